import t from 'tap'
import check from '../../../diagnostics/checks/kms-key-state.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { KEY_ID, SNAPSHOT_RP, aKey, aRecoveryPoint, aVault, absent, anEvidence, keyArn, read, unreadable } from '../../helpers/evidence-builders.js'

const KEY = keyArn(KEY_ID)
// An EFS backup is encrypted with the vault's key (the helpers' default job, an EBS backup, keeps its volume's key).
const EFS = { resourceType: 'EFS', resourceArn: 'arn:aws:elasticfilesystem:us-east-1:111111111111:file-system/fs-0123456789abcdef0' }
const efs = (overrides: Parameters<typeof anEvidence>[0] = {}) => anEvidence(overrides, EFS)

runCheckCases(t, check, [
  { name: 'enabled', evidence: efs(), status: 'pass', messageId: 'usable' },
  {
    name: 'disabled', evidence: efs({ keys: { [KEY]: read(aKey({ keyState: 'Disabled', enabled: false })) } }),
    status: 'fail', messageId: 'not-enabled', code: 'KMS_KEY_UNUSABLE', entity: 'none', policy: { kind: 'kms-key', id: KEY }, data: { keyState: 'Disabled' }, verdict: 'KMS_KEY_UNUSABLE',
  },
  { name: 'pending deletion', evidence: efs({ keys: { [KEY]: read(aKey({ keyState: 'PendingDeletion', enabled: false })) } }), status: 'fail', code: 'KMS_KEY_UNUSABLE', data: { keyState: 'PendingDeletion' } },
  { name: 'deleted', evidence: efs({ keys: { [KEY]: absent('NotFoundException') } }), status: 'fail', messageId: 'missing', code: 'KMS_KEY_UNUSABLE', resource: KEY },
  { name: 'unreadable → unknown', evidence: efs({ keys: { [KEY]: unreadable('kms:DescribeKey') } }), status: 'unknown' },
  { name: 'no key', evidence: efs({ keys: {}, sourceVault: read(aVault({ encryptionKeyArn: null })) }), status: 'skipped' },
  // "Amazon EBS snapshots are automatically encrypted with the same encryption key that was used to encrypt the
  // source EBS volume" (AWS Backup, Encryption for backups): an EBS/RDS backup never uses the vault's key.
  { name: 'EBS backup: the vault key is not used, even disabled', evidence: anEvidence({ keys: { [KEY]: read(aKey({ keyState: 'Disabled', enabled: false })) } }), status: 'skipped' },
  { name: 'RDS backup: the vault key is not used', evidence: anEvidence({ keys: { [KEY]: absent('NotFoundException') } }, { resourceType: 'RDS', resourceArn: 'arn:aws:rds:us-east-1:111111111111:db:orders' }), status: 'skipped' },
  {
    name: 'EBS restore: the recovery point key is used', evidence: anEvidence({ recoveryPoint: read(aRecoveryPoint()), keys: { [KEY]: read(aKey({ keyState: 'PendingDeletion', enabled: false })) } }, { type: 'restore', recoveryPointArn: SNAPSHOT_RP }),
    status: 'fail', code: 'KMS_KEY_UNUSABLE', data: { use: 'recovery-point' },
  },
])
