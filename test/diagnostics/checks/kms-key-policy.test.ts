import t from 'tap'
import check from '../../../diagnostics/checks/kms-key-policy.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, DEST, KEY_ID, aCopyEvidence, aKey, aRole, anEvidence, customerPolicy, doc, keyArn, keyPolicyDelegating, read, unreadable, withRole } from '../../helpers/evidence-builders.js'

const KEY = keyArn(KEY_ID)
// An EFS backup is encrypted with the vault's key (an EBS backup, the helpers' default, keeps its volume's key).
const efs = (overrides: Parameters<typeof anEvidence>[0] = {}) =>
  anEvidence(overrides, { resourceType: 'EFS', resourceArn: 'arn:aws:elasticfilesystem:us-east-1:111111111111:file-system/fs-0123456789abcdef0' })
const copyWithSourceKeyPolicy = (policy: ReturnType<typeof doc>) => {
  const base = aCopyEvidence()
  return aCopyEvidence({ keys: { ...base.keys, [KEY]: read(aKey({ policy: read(policy) })) } })
}

const EFS_ACTIONS = { Effect: 'Allow', Action: ['elasticfilesystem:Backup', 'elasticfilesystem:DescribeTags', 'backup:*'], Resource: '*' }
const EFS_ONLY_ROLE = aRole({ name: 'efs-backup', inline: { efs: doc(EFS_ACTIONS) } })

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
  // The default key policy delegates to the account ("allows IAM policies to allow access"): IAM then decides.
  {
    name: 'delegating key policy, role without any KMS permission', evidence: withRole(efs(), EFS_ONLY_ROLE),
    status: 'fail', messageId: 'identity-missing', code: 'IDENTITY_POLICY_MISSING_PERMISSION', entity: 'job-role',
    policy: { kind: 'identity', id: EFS_ONLY_ROLE.arn, statement: null }, action: 'kms:DescribeKey', resource: KEY, verdict: 'IDENTITY_POLICY_MISSING_PERMISSION',
  },
  {
    name: 'delegating key policy, identity policy denies CreateGrant', evidence: withRole(efs(), aRole({ name: 'efs-backup', inline: { efs: doc(EFS_ACTIONS, { Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Sid: 'NoGrants', Effect: 'Deny', Action: 'kms:CreateGrant', Resource: '*' }) } })),
    status: 'fail', messageId: 'identity-deny', code: 'IDENTITY_POLICY_EXPLICIT_DENY', policy: { kind: 'identity', id: 'efs', statement: 'NoGrants' }, action: 'kms:CreateGrant',
  },
  {
    name: 'delegating key policy, boundary without KMS', evidence: withRole(efs(), aRole({ name: 'efs-backup', boundary: customerPolicy('no-kms', doc({ Effect: 'Allow', Action: ['elasticfilesystem:*', 'backup:*'], Resource: '*' })) })),
    status: 'fail', messageId: 'boundary-blocks', code: 'PERMISSION_BOUNDARY_BLOCKS', policy: { kind: 'boundary', id: `arn:aws:iam::${ACCT}:policy/no-kms`, statement: null },
  },
  {
    name: 'key policy names the role itself: no identity policy needed', evidence: withRole(efs({ keys: { [KEY]: read(aKey({ policy: read(keyPolicyDelegating(ACCT, { Sid: 'BackupRole', Effect: 'Allow', Principal: { AWS: EFS_ONLY_ROLE.arn }, Action: ['kms:DescribeKey', 'kms:CreateGrant'], Resource: '*' })) })) } }), EFS_ONLY_ROLE),
    status: 'pass', messageId: 'allowed',
  },
  {
    name: 'role policies unreadable: the delegation is not second-guessed', evidence: withRole(efs(), { ...EFS_ONLY_ROLE, inlinePolicies: unreadable('iam:ListRolePolicies') }),
    status: 'pass', messageId: 'allowed',
  },
  { name: 'EBS backup: the vault key is not used, whatever its policy', evidence: anEvidence({ keys: { [KEY]: read(aKey({ policy: read(keyPolicyDelegating('999999999999')) })) } }), status: 'skipped' },
])
