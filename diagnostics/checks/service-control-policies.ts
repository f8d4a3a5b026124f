/**
 * Service control policies let the job role do what the job needs: at every
 * level of the account's organization path (root, each OU, the account) some
 * SCP must allow the action and none may deny it ("Service control policies",
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html;
 * SCPs do not restrict service-linked roles nor the management account).
 * The job role's KMS calls on the keys it uses are judged here too (lib/job-actions.ts
 * `jobRoleKeyCalls`): key policies do not lift an SCP, and KMS authorizes calls a
 * service makes for the role with the role's permissions. So is a restore's iam:PassRole of
 * the instance profile's role (lib/pass-role-calls.ts): an SCP guardrail on PassRole refuses
 * it however the job role's own policies allow it.
 * Fail: a Deny → SCP_DENIES (SCP id + Sid); a level where nothing allows →
 * SCP_NOT_ALLOWED (the policies attached at that level).
 */
import { defineCheck } from '../define-check.js'
import { isManagementAccount, orgLevels, roleCall, unreadOrgLevels, votes } from '../lib/iam.js'
import { jobRoleActions, jobRoleKeyCalls } from '../lib/job-actions.js'
import { passRoleCalls } from '../lib/pass-role-calls.js'
import { valueOf } from '../lib/evidence.js'
import { removeStatement } from '../lib/snippets.js'

export default defineCheck({
  id: 'service-control-policies',
  title: 'Service control policies allow what the job needs',
  severity: 'high',
  appliesTo: ['backup', 'restore', 'copy'],
  requires: ['job', 'organization', 'organization.scps'],
  after: ['job-role-exists'],
  skipUnless: (e, job) => {
    if (e.organization.state === 'absent') return 'the account is not in an organization'
    if (isManagementAccount(e, job.accountId)) return 'SCPs do not apply to the management account'
    return null
  },
  rootCauses: ['SCP_DENIES', 'SCP_NOT_ALLOWED'],
  // A Deny read at one level of the path decides whatever the unread levels attach: every
  // level must allow, and an explicit deny anywhere overrides (AWS Organizations, "SCP evaluation").
  conclusiveOnPartialEvidence: ['denies'],
  docs: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html',
  messages: {
    allowed: 'The SCPs on the path of account {{accountId}} allow every action the job needs.',
    'path-unknown': 'The organization path of account {{accountId}} was not read.',
    denies: 'Statement {{statement}} of SCP {{policyId}} (attached to {{levelId}}) denies {{action}} to the job role{{why}}.',
    'not-allowed': 'No SCP attached to {{levelId}} allows {{action}}; every level of the path root → account must allow it.',
  },
  run({ evidence, job, hint }) {
    const roleArn = job.iamRoleArn ?? valueOf(evidence.jobRole)?.arn
    const levels = orgLevels(evidence, job.accountId, 'scps')
    if (!levels || !roleArn) return { status: 'warn', messageId: 'path-unknown', data: { accountId: job.accountId } }
    // Run on partial evidence (below), a level whose SCPs were not read proves no missing Allow.
    const unread = unreadOrgLevels(evidence, job.accountId, 'scps')
    const needs: { action: string; resource: string; kmsViaService?: string; passedToService?: string }[] = [
      ...jobRoleActions(job, hint),
      ...passRoleCalls(evidence, job, hint),
      ...jobRoleKeyCalls(evidence, job, hint),
    ]
    for (const need of needs) {
      const opts = { ...(need.kmsViaService ? { kmsViaService: need.kmsViaService } : {}), ...(need.passedToService ? { passedToService: need.passedToService } : {}) }
      const req = roleCall(evidence, job, roleArn, need.action, need.resource, opts)
      for (const level of levels) {
        const v = votes(level.policies, req, level.levelId)
        const deny = v.denies[0]
        const cause = { entity: 'job-role', action: need.action, resource: need.resource } as const
        if (deny) {
          const cond = deny.conditions?.map((c) => `${c.key}=${(c.contextValues ?? ['(absent)']).join(',')}`).join(', ')
          return {
            status: 'fail', messageId: 'denies',
            data: { policyId: deny.policyId, statement: deny.statement, levelId: level.levelId, action: need.action, why: cond ? ` (${cond})` : '' },
            cause: { ...cause, code: 'SCP_DENIES', policy: { kind: 'scp', id: deny.policyId, statement: deny.statement } },
            remediation: {
              steps: [`Exempt the job role from statement ${deny.statement} of SCP ${deny.policyId} (e.g. add "ArnNotLike": {"aws:PrincipalArn": "${roleArn}"} to its Condition), or narrow the statement; SCP changes are made in the management account.`],
              policySnippet: removeStatement(deny, level.policies.find((p) => p.id === deny.policyId)?.document),
            },
          }
        }
        if (v.allows.length === 0 && v.missingContextKeys.length === 0 && !unread.has(level.levelId)) {
          const policyId = level.policies.length === 1 ? level.policies[0]!.id : level.levelId
          return {
            status: 'fail', messageId: 'not-allowed', data: { levelId: level.levelId, action: need.action, attached: level.policies.map((p) => p.id) },
            cause: { ...cause, code: 'SCP_NOT_ALLOWED', policy: { kind: 'scp', id: policyId, statement: null } },
            remediation: {
              steps: [`Allow ${need.action} in an SCP attached to ${level.levelId} (or attach FullAWSAccess there).`],
              policySnippet: { Version: '2012-10-17', Statement: [{ Sid: 'AllowAwsBackupJobActions', Effect: 'Allow', Action: need.action, Resource: '*' }] },
            },
          }
        }
      }
    }
    return { status: 'pass', messageId: 'allowed', data: { accountId: job.accountId } }
  },
})
