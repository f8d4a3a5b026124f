import t from 'tap'
import check from '../../../diagnostics/checks/kms-key-policy.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import type { doc} from '../../helpers/evidence-builders.js';
import { ACCT, DEST, KEY_ID, aCopyEvidence, aKey, anEvidence, keyArn, keyPolicyDelegating, read } from '../../helpers/evidence-builders.js'

const KEY = keyArn(KEY_ID)
// An EFS backup is encrypted with the vault's key (an EBS backup, the helpers' default, keeps its volume's key).
const efs = (overrides: Parameters<typeof anEvidence>[0] = {}) =>
  anEvidence(overrides, { resourceType: 'EFS', resourceArn: 'arn:aws:elasticfilesystem:us-east-1:111111111111:file-system/fs-0123456789abcdef0' })
const copyWithSourceKeyPolicy = (policy: ReturnType<typeof doc>) => {
  const base = aCopyEvidence()
  return aCopyEvidence({ keys: { ...base.keys, [KEY]: read(aKey({ policy: read(policy) })) } })
}

runCheckCases(t, check, [
  { name: 'EFS backup: key policy delegates to the account', evidence: efs(), status: 'pass', messageId: 'allowed' },
  { name: 'cross-account copy: source key shared with the destination account', evidence: aCopyEvidence(), status: 'pass' },
  {
    name: 'cross-account copy: source key not shared', evidence: copyWithSourceKeyPolicy(keyPolicyDelegating(ACCT)),
    status: 'fail', messageId: 'not-allowed', code: 'KMS_KEY_POLICY_DENIES', entity: 'service-linked-role', policy: { kind: 'kms-key', id: KEY, statement: null },
    resource: KEY, data: { principalAccount: DEST }, verdict: 'KMS_KEY_POLICY_DENIES',
  },
  {
    name: 'key policy denies the job role', evidence: efs({ keys: { [KEY]: read(aKey({ policy: read(keyPolicyDelegating(ACCT, { Sid: 'NoGrants', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:CreateGrant', Resource: '*' })) })) } }),
    status: 'fail', messageId: 'explicit-deny', code: 'KMS_KEY_POLICY_DENIES', entity: 'job-role', policy: { kind: 'kms-key', id: KEY, statement: 'NoGrants' }, action: 'kms:CreateGrant',
  },
  {
    name: 'key policy of another account only', evidence: efs({ keys: { [KEY]: read(aKey({ policy: read(keyPolicyDelegating('999999999999')) })) } }),
    status: 'fail', messageId: 'not-allowed', code: 'KMS_KEY_POLICY_DENIES', entity: 'job-role',
  },
  { name: 'EBS backup: the vault key is not used, whatever its policy', evidence: anEvidence({ keys: { [KEY]: read(aKey({ policy: read(keyPolicyDelegating('999999999999')) })) } }), status: 'skipped' },
])
