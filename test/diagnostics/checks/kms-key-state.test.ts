import t from 'tap'
import check from '../../../diagnostics/checks/kms-key-state.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { KEY_ID, aKey, aVault, absent, anEvidence, keyArn, read, unreadable } from '../../helpers/evidence-builders.js'

const KEY = keyArn(KEY_ID)

runCheckCases(t, check, [
  { name: 'enabled', evidence: anEvidence(), status: 'pass', messageId: 'usable' },
  {
    name: 'disabled', evidence: anEvidence({ keys: { [KEY]: read(aKey({ keyState: 'Disabled', enabled: false })) } }),
    status: 'fail', messageId: 'not-enabled', code: 'KMS_KEY_UNUSABLE', entity: 'none', policy: { kind: 'kms-key', id: KEY }, data: { keyState: 'Disabled' }, verdict: 'KMS_KEY_UNUSABLE',
  },
  { name: 'pending deletion', evidence: anEvidence({ keys: { [KEY]: read(aKey({ keyState: 'PendingDeletion', enabled: false })) } }), status: 'fail', code: 'KMS_KEY_UNUSABLE', data: { keyState: 'PendingDeletion' } },
  { name: 'deleted', evidence: anEvidence({ keys: { [KEY]: absent('NotFoundException') } }), status: 'fail', messageId: 'missing', code: 'KMS_KEY_UNUSABLE', resource: KEY },
  { name: 'unreadable → unknown', evidence: anEvidence({ keys: { [KEY]: unreadable('kms:DescribeKey') } }), status: 'unknown' },
  { name: 'no key', evidence: anEvidence({ keys: {}, sourceVault: read(aVault({ encryptionKeyArn: null })) }), status: 'skipped' },
])
