/**
 * The key policy of every customer managed KMS key the job uses lets the
 * principal that uses it do so. Key policies are required: "Unless the key
 * policy explicitly allows it, you cannot use IAM policies to allow access to a
 * KMS key" (AWS KMS "Key policies",
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html).
 * Who uses which key: the job role uses the recovery point's key (restore, copy)
 * and the target vault's key (a backup of a type encrypted with the vault key: EFS,
 * S3, DynamoDB...; not EBS/RDS, whose snapshots keep their source's key); in a CROSS-ACCOUNT copy the destination
 * account's AWSServiceRoleForBackup uses the SOURCE key, so its key policy must
 * allow the destination account ("Allowing users in other accounts to use a KMS
 * key"), and the destination vault's key. AWS managed keys are judged by
 * kms-aws-managed-key-cross-account and never edited by customers.
 * Fail → KMS_KEY_POLICY_DENIES (policy.id = key ARN; entity
 * service-linked-role when the SLR is the user).
 */
import type { Evidence, JobEvidence, KeyEvidence } from '../../src/evidence/types.js'
import { defineCheck } from '../define-check.js'
import { kmsViaServiceFor, policyInput, roleCall, votes } from '../lib/iam.js'
import { copyDestinationAccount, isAwsManagedKey, isCrossAccountCopy, keyUses, slrArn, valueOf } from '../lib/evidence.js'
import { removeStatement } from '../lib/snippets.js'

interface KeyCheck { key: KeyEvidence; principalArn: string; entity: 'job-role' | 'service-linked-role'; actions: string[] }

const BASE = ['kms:DescribeKey', 'kms:CreateGrant']
const CROSS_ACCOUNT = ['kms:DescribeKey', 'kms:CreateGrant', 'kms:Decrypt']

function keyChecks(e: Evidence, job: JobEvidence): KeyCheck[] {
  const roleArn = job.iamRoleArn
  const dest = copyDestinationAccount(job)
  const cross = isCrossAccountCopy(job)
  const out: KeyCheck[] = []
  for (const use of keyUses(e, job)) {
    const key = use.key ? valueOf(use.key) : null
    if (!key || isAwsManagedKey(key)) continue
    if (use.role === 'destination-vault') {
      if (cross && dest) out.push({ key, principalArn: slrArn(dest), entity: 'service-linked-role', actions: BASE })
      else if (roleArn) out.push({ key, principalArn: roleArn, entity: 'job-role', actions: BASE })
      continue
    }
    if (roleArn) out.push({ key, principalArn: roleArn, entity: 'job-role', actions: BASE })
    if (use.role === 'recovery-point' && cross && dest) out.push({ key, principalArn: slrArn(dest), entity: 'service-linked-role', actions: CROSS_ACCOUNT })
  }
  return out
}

export default defineCheck({
  id: 'kms-key-policy',
  title: 'KMS key policies let the job\'s principals use the keys',
  severity: 'high',
  appliesTo: ['backup', 'restore', 'copy'],
  requires: ['job', 'keys.policies'],
  // A key that cannot be used at all (disabled, deleted) makes its policy moot.
  after: ['kms-key-state'],
  skipUnless: (e, job) => (keyChecks(e, job).length > 0 ? null : 'the job uses no readable customer managed KMS key'),
  rootCauses: ['KMS_KEY_POLICY_DENIES'],
  docs: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html',
  messages: {
    allowed: 'The key policies allow every principal that uses them ({{keys}}).',
    'explicit-deny': 'Statement {{statement}} of the key policy of {{keyArn}} denies {{action}} to {{principalArn}}.',
    'not-allowed': 'The key policy of {{keyArn}} does not let {{principalArn}} ({{entity}}, account {{principalAccount}}) use the key ({{action}}); add the statement below to the key policy.',
    'missing-context': 'Whether the key policy of {{keyArn}} allows {{principalArn}} depends on condition keys the evidence does not carry ({{keys}}).',
    'no-policy': 'The key policy of {{keyArn}} was not read ({{reason}}).',
  },
  run({ evidence, job }) {
    const checks = keyChecks(evidence, job)
    for (const c of checks) {
      const { key } = c
      if (key.policy.state !== 'read') return { status: 'warn', messageId: 'no-policy', data: { keyArn: key.arn, reason: key.policy.state === 'absent' ? key.policy.reason : 'not collected' } }
      const policy = policyInput('kms-key', key.arn, key.policy.value)
      const principalAccount = c.principalArn.split(':')[4] ?? ''
      for (const action of c.actions) {
        const req = roleCall(evidence, job, c.principalArn, action, key.arn, { kmsViaService: kmsViaServiceFor(job), resourceAccount: key.accountId })
        const v = votes([policy], req)
        const data = { keyArn: key.arn, principalArn: c.principalArn, entity: c.entity, principalAccount, action }
        const cause = { code: 'KMS_KEY_POLICY_DENIES', entity: c.entity, action, resource: key.arn } as const
        const deny = v.denies[0]
        if (deny) {
          return {
            status: 'fail', messageId: 'explicit-deny', data: { ...data, statement: deny.statement },
            cause: { ...cause, policy: { kind: 'kms-key', id: key.arn, statement: deny.statement } },
            remediation: { steps: [`Remove or narrow statement ${deny.statement} of the key policy of ${key.arn}.`], policySnippet: removeStatement(deny, key.policy.value) },
          }
        }
        if (v.allows.length > 0) continue
        if (v.missingContextKeys.length > 0) return { status: 'warn', messageId: 'missing-context', data: { ...data, keys: v.missingContextKeys } }
        const principal = c.entity === 'service-linked-role' ? `arn:aws:iam::${principalAccount}:root` : c.principalArn
        return {
          status: 'fail', messageId: 'not-allowed', data,
          cause: { ...cause, policy: { kind: 'kms-key', id: key.arn, statement: null } },
          remediation: {
            steps: [
              `Add the statement below to the key policy of ${key.arn} (account ${key.accountId}).`,
              ...(c.entity === 'service-linked-role' ? [`Account ${principalAccount} uses this key through its AWSServiceRoleForBackup during the cross-account copy.`] : []),
            ],
            policySnippet: {
              Sid: c.entity === 'service-linked-role' ? `AllowBackupCopyFrom${principalAccount}` : 'AllowAwsBackupJobRole',
              Effect: 'Allow',
              Principal: { AWS: principal },
              Action: ['kms:DescribeKey', 'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant'],
              Resource: '*',
            },
          },
        }
      }
    }
    return { status: 'pass', messageId: 'allowed', data: { keys: [...new Set(checks.map((c) => c.key.arn))] } }
  },
})
