/**
 * The job role's identity-based policies (inline and attached) allow every
 * action the job needs (required-actions.ts, plus the action the status message
 * names) and deny none of them. IAM: an action is allowed only when some
 * identity statement allows it and none denies it ("Policy evaluation logic",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 * Fail: explicit deny → IDENTITY_POLICY_EXPLICIT_DENY (policy + Sid); nothing
 * allows → IDENTITY_POLICY_MISSING_PERMISSION, or S3_BACKUP_POLICY_NOT_ATTACHED
 * for an S3 job whose role lacks the S3 managed policy (seeds/002: the default
 * role's policies exclude S3). The job role's KMS calls on the keys it uses
 * (lib/job-actions.ts `jobRoleKeyCalls`) are judged for explicit denies only: an
 * identity Deny overrides any key policy, even one naming the role, while a
 * missing Allow may be supplied by the key policy (kms-key-policy judges that).
 */
import { defineCheck } from '../define-check.js'
import { identityInputs, roleCall, votes } from '../lib/iam.js'
import { jobRoleActions, jobRoleKeyCalls, type NeededAction } from '../lib/job-actions.js'
import { attachedPolicyArns, resourceFamilyOf, valueOf } from '../lib/evidence.js'
import { managedPoliciesFor, managedPolicyArn } from '../required-actions.js'
import { jobPartition } from '../lib/partition.js'
import { allowStatement, attachManagedPolicy, removeStatement } from '../lib/snippets.js'

export default defineCheck({
  id: 'identity-policies',
  title: 'Job role identity policies allow every action the job needs',
  severity: 'critical',
  appliesTo: ['backup', 'restore', 'copy'],
  requires: ['job', 'jobRole', 'jobRole.policies'],
  after: ['job-role-exists'],
  rootCauses: ['IDENTITY_POLICY_MISSING_PERMISSION', 'IDENTITY_POLICY_EXPLICIT_DENY', 'S3_BACKUP_POLICY_NOT_ATTACHED'],
  // A Deny read in one policy decides even when another policy of the role could not be read.
  conclusiveOnPartialEvidence: ['explicit-deny'],
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/security-iam-awsmanpol.html',
  messages: {
    allowed: 'The job role\'s identity policies allow all {{count}} actions the job needs.',
    'no-actions': 'No required actions are known for {{resourceType}} {{jobType}} jobs and the status message names none.',
    'explicit-deny': 'Statement {{statement}} of {{policyId}} explicitly denies {{action}} on {{resource}} to the job role; remove or narrow it.',
    missing: 'No identity policy of {{roleArn}} allows {{action}} on {{resource}}{{more}}; grant it (the AWS managed policy {{managedPolicy}} does).',
    's3-policy-not-attached': 'The job role {{roleArn}} lacks {{s3Count}} of the S3 permissions AWS Backup needs (e.g. {{action}}): attach {{managedPolicy}}, which the default backup policies do not include.',
    'missing-context': 'Whether the identity policies allow {{action}} depends on condition keys the evidence does not carry ({{keys}}).',
  },
  run({ evidence, job, hint }) {
    const role = valueOf(evidence.jobRole)!
    const needed = jobRoleActions(job, hint)
    const data0 = { roleArn: role.arn, jobType: job.type, resourceType: job.resourceType ?? 'unknown' }
    if (needed.length === 0) return { status: 'warn', messageId: 'no-actions', data: data0 }
    const policies = identityInputs(role)
    const missing: NeededAction[] = []
    const undecided: { action: string; keys: string[] }[] = []
    for (const need of needed) {
      const req = roleCall(evidence, job, role.arn, need.action, need.resource)
      const v = votes(policies, req)
      const deny = v.denies[0]
      if (deny) {
        const doc = policies.find((p) => p.id === deny.policyId)?.document
        return {
          status: 'fail', messageId: 'explicit-deny',
          data: { ...data0, action: need.action, resource: need.resource, policyId: deny.policyId, statement: deny.statement },
          cause: { code: 'IDENTITY_POLICY_EXPLICIT_DENY', entity: 'job-role', policy: { kind: 'identity', id: deny.policyId, statement: deny.statement }, action: need.action, resource: need.resource },
          remediation: {
            steps: [`Remove statement ${deny.statement} from ${deny.policyId}, or add a condition that exempts the job role ${role.arn} from it.`],
            policySnippet: removeStatement(deny, doc),
          },
        }
      }
      const alternativeAllowed = (need.alternatives ?? []).some((alt) => {
        const av = votes(policies, roleCall(evidence, job, role.arn, alt, need.resource))
        return av.denies.length === 0 && av.allows.length > 0
      })
      if (v.allows.length === 0 && !alternativeAllowed) {
        if (v.missingContextKeys.length > 0) undecided.push({ action: need.action, keys: v.missingContextKeys })
        else missing.push(need)
      }
    }
    for (const call of jobRoleKeyCalls(evidence, job, hint)) {
      const deny = votes(policies, roleCall(evidence, job, role.arn, call.action, call.resource, { kmsViaService: call.kmsViaService })).denies[0]
      if (!deny) continue
      return {
        status: 'fail', messageId: 'explicit-deny',
        data: { ...data0, action: call.action, resource: call.resource, policyId: deny.policyId, statement: deny.statement },
        cause: { code: 'IDENTITY_POLICY_EXPLICIT_DENY', entity: 'job-role', policy: { kind: 'identity', id: deny.policyId, statement: deny.statement }, action: call.action, resource: call.resource },
        remediation: {
          steps: [`Remove statement ${deny.statement} from ${deny.policyId}, or exempt the keys AWS Backup uses (${call.resource}) from it.`],
          policySnippet: removeStatement(deny, policies.find((p) => p.id === deny.policyId)?.document),
        },
      }
    }
    if (missing.length === 0 && undecided.length > 0) {
      const u = undecided[0]!
      return { status: 'warn', messageId: 'missing-context', data: { ...data0, action: u.action, keys: u.keys } }
    }
    if (missing.length === 0) return { status: 'pass', messageId: 'allowed', data: { ...data0, count: needed.length } }

    const first = missing[0]!
    const family = resourceFamilyOf(job)
    const managed = managedPoliciesFor(job.type, family).map((n) => managedPolicyArn(n, jobPartition(job)))
    const rest = missing.slice(1).map((m) => m.action)
    const more = rest.length > 0 ? ` (and ${rest.length} more: ${rest.slice(0, 3).join(', ')}${rest.length > 3 ? ', ...' : ''})` : ''
    const data = { ...data0, action: first.action, resource: first.resource, missing: missing.map((m) => m.action), more }
    const s3Missing = family === 'S3' && missing.some((m) => m.action.toLowerCase().startsWith('s3:'))
    const s3Policies = managed.filter((arn) => /S3(Backup|Restore)$/.test(arn))
    if (s3Missing && !s3Policies.every((arn) => attachedPolicyArns(role).includes(arn))) {
      const s3First = missing.find((m) => m.action.toLowerCase().startsWith('s3:'))!
      return {
        status: 'fail', messageId: 's3-policy-not-attached',
        data: { ...data, action: s3First.action, managedPolicy: s3Policies.join(', '), s3Count: missing.filter((m) => m.action.toLowerCase().startsWith('s3:')).length },
        cause: { code: 'S3_BACKUP_POLICY_NOT_ATTACHED', entity: 'job-role', policy: { kind: 'identity', id: role.arn, statement: null }, action: s3First.action, resource: s3First.resource },
        remediation: {
          steps: [
            `Attach ${s3Policies.join(' and ')} to ${role.arn} (aws iam attach-role-policy --role-name ${role.name} --policy-arn ${s3Policies[0]}).`,
            'Attach AWSBackupServiceRolePolicyForS3Restore as well if this role also restores S3 buckets.',
          ],
          policySnippet: attachManagedPolicy(role.arn, s3Policies),
        },
      }
    }
    return {
      status: 'fail', messageId: 'missing',
      data: { ...data, managedPolicy: managed.join(', ') },
      cause: { code: 'IDENTITY_POLICY_MISSING_PERMISSION', entity: 'job-role', policy: { kind: 'identity', id: role.arn, statement: null }, action: first.action, resource: first.resource },
      remediation: {
        steps: [
          `Add the missing action(s) ${missing.map((m) => m.action).join(', ')} to a policy of ${role.arn} (statement below),`,
          `or attach ${managed.join(' and ')}, which grants every action AWS Backup needs for ${job.resourceType ?? 'this resource type'} ${job.type} jobs.`,
        ],
        policySnippet: allowStatement('AllowAwsBackupJobActions', [...new Set(missing.map((m) => m.action))], [...new Set(missing.map((m) => m.resource))]),
      },
    }
  },
})
