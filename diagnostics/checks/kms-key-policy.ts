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
 * A key policy that lets the job role in only by delegating to its account
 * (`arn:PARTITION:iam::ACCOUNT:root`, the default key policy) leaves the decision to
 * IAM: the role's identity policies must then allow the KMS actions, and its
 * permissions boundary too ("Default key policy": it "allows IAM policies to
 * allow access to the KMS key"), judged by the evaluator over all three.
 * Fail → KMS_KEY_POLICY_DENIES (policy.id = key ARN; entity
 * service-linked-role when the SLR is the user); the key policy delegates and
 * IAM refuses → IDENTITY_POLICY_MISSING_PERMISSION / IDENTITY_POLICY_EXPLICIT_DENY
 * / PERMISSION_BOUNDARY_BLOCKS on the job role.
 */
import type { Evidence, JobEvidence, KeyEvidence, RoleEvidence } from '../../src/evidence/types.js'
import { defineCheck, type CheckResult } from '../define-check.js'
import { evaluate, tryParsePolicy } from '../../src/policy/index.js'
import type { EvalRequest, PolicyInput } from '../../src/policy/index.js'
import { boundaryInput, identityInputs, kmsViaServiceFor, policyInput, roleCall, votes } from '../lib/iam.js'
import { copyDestinationAccount, isAwsManagedKey, isCrossAccountCopy, keyUses, slrArn, valueOf } from '../lib/evidence.js'
import { accountRootArn, jobPartition } from '../lib/partition.js'
import { allowStatement, removeStatement } from '../lib/snippets.js'
import { unreadableRefs } from '../evidence-refs.js'
import { jobRoleKmsActions } from '../required-actions.js'

interface KeyCheck { key: KeyEvidence; principalArn: string; entity: 'job-role' | 'service-linked-role'; actions: string[] }

/** What the destination account's service-linked role does with the source key during a cross-account copy. */
const SLR_ACTIONS = ['kms:DescribeKey', 'kms:CreateGrant']
const SLR_SOURCE_KEY_ACTIONS = ['kms:DescribeKey', 'kms:CreateGrant', 'kms:Decrypt']

function keyChecks(e: Evidence, job: JobEvidence): KeyCheck[] {
  const roleArn = job.iamRoleArn
  const dest = copyDestinationAccount(job)
  const cross = isCrossAccountCopy(job)
  const roleActions = jobRoleKmsActions(job)
  const partition = jobPartition(job)
  const out: KeyCheck[] = []
  for (const use of keyUses(e, job)) {
    const key = use.key ? valueOf(use.key) : null
    if (!key || isAwsManagedKey(key)) continue
    if (use.role === 'destination-vault') {
      if (cross && dest) out.push({ key, principalArn: slrArn(partition, dest), entity: 'service-linked-role', actions: SLR_ACTIONS })
      else if (roleArn) out.push({ key, principalArn: roleArn, entity: 'job-role', actions: roleActions })
      continue
    }
    if (roleArn) out.push({ key, principalArn: roleArn, entity: 'job-role', actions: roleActions })
    if (use.role === 'recovery-point' && cross && dest) out.push({ key, principalArn: slrArn(partition, dest), entity: 'service-linked-role', actions: SLR_SOURCE_KEY_ACTIONS })
  }
  return out
}

/** The job role's readable identity policies and boundary, or null when any of them could not be read (then IAM's side cannot be judged). */
function roleSide(e: Evidence, principalArn: string): { role: RoleEvidence; identity: PolicyInput[]; boundary: PolicyInput | null } | null {
  const role = valueOf(e.jobRole)
  if (!role || role.arn !== principalArn || unreadableRefs(e, ['jobRole.policies', 'jobRole.boundary']).length > 0) return null
  // A malformed policy is reported by identity-policies; it is never evaluated as if it allowed.
  const identity = identityInputs(role).filter((p) => tryParsePolicy(p).ok)
  const b = boundaryInput(role)
  return { role, identity, boundary: b && tryParsePolicy(b).ok ? b : null }
}

type Msg = 'allowed' | 'explicit-deny' | 'not-allowed' | 'missing-context' | 'no-policy' | 'identity-missing' | 'identity-deny' | 'boundary-blocks'
type IamSide = CheckResult<Msg> | null

/**
 * The key policy allows the job role only through its account: does IAM (identity policies and
 * boundary) allow the call too? null when it does, or when IAM's side cannot be read.
 */
function iamSideOfDelegation(e: Evidence, c: KeyCheck, req: EvalRequest, key: PolicyInput): IamSide {
  const side = roleSide(e, c.principalArn)
  if (side === null) return null
  const r = evaluate(req, { identity: side.identity, boundary: side.boundary, resourcePolicy: key })
  if (r.decision === 'allowed') return null
  const data = { keyArn: c.key.arn, roleArn: side.role.arn, action: req.action, statement: r.decidingStatement?.statement ?? null, policyId: r.decidingStatement?.policyId ?? null }
  const cause = { entity: 'job-role', action: req.action, resource: c.key.arn } as const
  if (r.decision === 'explicit-deny' && r.decidedBy === 'identity' && r.decidingStatement) {
    const d = r.decidingStatement
    return {
      status: 'fail', messageId: 'identity-deny', data,
      cause: { ...cause, code: 'IDENTITY_POLICY_EXPLICIT_DENY', policy: { kind: 'identity', id: d.policyId, statement: d.statement } },
      remediation: { steps: [`Remove or narrow statement ${d.statement} of ${d.policyId}.`], policySnippet: removeStatement(d, side.identity.find((p) => p.id === d.policyId)?.document) },
    }
  }
  if (r.decidedBy === 'boundary' && side.boundary) {
    const d = r.decision === 'explicit-deny' ? r.decidingStatement : null
    return {
      status: 'fail', messageId: 'boundary-blocks', data: { ...data, boundaryArn: side.boundary.id },
      cause: { ...cause, code: 'PERMISSION_BOUNDARY_BLOCKS', policy: { kind: 'boundary', id: side.boundary.id, statement: d?.statement ?? null } },
      remediation: {
        steps: [`Allow ${c.actions.join(', ')} on ${c.key.arn} in the permissions boundary ${side.boundary.id}${d ? ` and remove or narrow its statement ${d.statement}` : ''}.`],
        policySnippet: d ? removeStatement(d, side.boundary.document) : allowStatement('AllowUseOfBackupKey', c.actions, [c.key.arn]),
      },
    }
  }
  if (r.decidedBy !== 'identity') return null
  if (r.missingContextKeys.length > 0) return { status: 'warn', messageId: 'missing-context', data: { ...data, principalArn: side.role.arn, keys: r.missingContextKeys } }
  return {
    status: 'fail', messageId: 'identity-missing', data,
    cause: { ...cause, code: 'IDENTITY_POLICY_MISSING_PERMISSION', policy: { kind: 'identity', id: side.role.arn, statement: null } },
    remediation: {
      steps: [
        `The key policy of ${c.key.arn} delegates to account ${c.key.accountId}, so an identity policy of ${side.role.arn} must allow the key: add the statement below,`,
        'or attach the AWS managed policy for this job type (AWSBackupServiceRolePolicyForBackup / ...ForRestores), which grants it.',
      ],
      policySnippet: allowStatement('AllowUseOfBackupKey', c.actions, [c.key.arn]),
    },
  }
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
  rootCauses: ['KMS_KEY_POLICY_DENIES', 'IDENTITY_POLICY_MISSING_PERMISSION', 'IDENTITY_POLICY_EXPLICIT_DENY', 'PERMISSION_BOUNDARY_BLOCKS'],
  docs: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html',
  messages: {
    allowed: 'The key policies allow every principal that uses them ({{keys}}).',
    'explicit-deny': 'Statement {{statement}} of the key policy of {{keyArn}} denies {{action}} to {{principalArn}}.',
    'not-allowed': 'The key policy of {{keyArn}} does not let {{principalArn}} ({{entity}}, account {{principalAccount}}) use the key ({{action}}); add the statement below to the key policy.',
    'missing-context': 'Whether the key policy of {{keyArn}} allows {{principalArn}} depends on condition keys the evidence does not carry ({{keys}}).',
    'no-policy': 'The key policy of {{keyArn}} was not read ({{reason}}).',
    'identity-missing': 'The key policy of {{keyArn}} lets the job role in only through its account, and no identity policy of {{roleArn}} allows {{action}} on the key; add it to the role\'s policy.',
    'identity-deny': 'Statement {{statement}} of {{policyId}} denies {{action}} on the key {{keyArn}} to the job role {{roleArn}}.',
    'boundary-blocks': 'The permissions boundary {{boundaryArn}} of {{roleArn}} does not allow {{action}} on the key {{keyArn}}.',
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
        if (v.allows.length > 0) {
          // Only the account is named (delegation): IAM decides for the job role.
          if (c.entity === 'job-role' && v.allows.every((a) => a.principalMatch === 'account')) {
            const iam = iamSideOfDelegation(evidence, c, req, policy)
            if (iam) return iam
          }
          continue
        }
        if (v.missingContextKeys.length > 0) return { status: 'warn', messageId: 'missing-context', data: { ...data, keys: v.missingContextKeys } }
        const principal = c.entity === 'service-linked-role' ? accountRootArn(jobPartition(job), principalAccount) : c.principalArn
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
