/**
 * Resource control policies do not deny the job role on the resources it uses.
 * RCPs restrict resources of the accounts they are attached to, only for the
 * services that support them (S3, STS, KMS, SQS, Secrets Manager, ... — never
 * AWS Backup itself) and never AWS managed KMS keys ("Resource control
 * policies", https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
 * AWS attaches RCPFullAWSAccess everywhere, so only a Deny can block: fail →
 * RCP_DENIES (RCP id + Sid). The first call judged is AWS Backup assuming the
 * job role (sts:AssumeRole by backup.amazonaws.com, with the context of the
 * trust check): RCPs govern STS and, unlike SCPs, also restrict AWS service
 * principals — AWS's own confused-deputy RCP example denies them by
 * aws:SourceOrgID / aws:SourceAccount.
 */
import { defineCheck } from '../define-check.js'
import { buildTrustRequest, rcpAppliesTo } from '../../src/policy/index.js'
import type { EvalRequest } from '../../src/policy/index.js'
import { orgId, orgLevels, roleCall, votes } from '../lib/iam.js'
import { jobRoleActions, jobRoleKeyCalls } from '../lib/job-actions.js'
import { arnAccount, isAwsManagedKey, lookupKey, valueOf } from '../lib/evidence.js'
import { removeStatement } from '../lib/snippets.js'

export default defineCheck({
  id: 'resource-control-policies',
  title: 'Resource control policies do not deny the job role',
  severity: 'high',
  appliesTo: ['backup', 'restore', 'copy'],
  requires: ['job', 'organization', 'organization.rcps', 'keys'],
  after: ['job-role-exists'],
  skipUnless: (e) => (e.organization.state === 'absent' ? 'the account is not in an organization' : null),
  rootCauses: ['RCP_DENIES'],
  passesWithoutEvidence: ['none-governed'],
  docs: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html',
  messages: {
    allowed: 'No RCP denies the job role on the resources it uses ({{checked}} RCP-governed calls checked).',
    'none-governed': 'None of the job\'s calls is to a service RCPs govern.',
    denies: 'Statement {{statement}} of RCP {{policyId}} (attached to {{levelId}}) denies {{action}} on {{resource}} to {{principal}}.',
  },
  run({ evidence, job, hint }) {
    const roleArn = job.iamRoleArn ?? valueOf(evidence.jobRole)?.arn
    if (!roleArn) return { status: 'pass', messageId: 'none-governed', data: {} }
    // backup.amazonaws.com assuming the job role, as the trust check models it (aws:SourceAccount, aws:SourceArn).
    const sourceArn = job.backupVaultArn ?? undefined
    const t = buildTrustRequest({ roleArn, jobAccountId: job.accountId, region: job.region, sourceOrgId: orgId(evidence), ...(sourceArn ? { sourceArn } : {}) })
    const assume: EvalRequest = { principal: t.principal, action: t.action, resource: t.resource, resourceAccount: t.resourceAccount, context: t.context }
    const calls: { action: string; resource: string; kmsViaService?: string; request?: EvalRequest }[] = [{ action: assume.action, resource: assume.resource, request: assume }]
    calls.push(...jobRoleActions(job, hint)
      .filter((n) => rcpAppliesTo(n.action))
      .map((n) => ({ action: n.action, resource: n.resource })))
    // The job role's KMS calls (lib/job-actions.ts): the keys it uses, or the key the status message says it was refused.
    for (const call of jobRoleKeyCalls(evidence, job, hint)) {
      const item = lookupKey(evidence, call.resource)
      const key = item ? valueOf(item) : null
      if (key && isAwsManagedKey(key)) continue
      calls.push({ action: call.action, resource: call.resource, kmsViaService: call.kmsViaService })
    }
    for (const call of calls) {
      const account = arnAccount(call.resource) ?? job.accountId
      const levels = orgLevels(evidence, account, 'rcps') ?? []
      const req = call.request ?? roleCall(evidence, job, roleArn, call.action, call.resource, call.kmsViaService ? { kmsViaService: call.kmsViaService } : {})
      for (const level of levels) {
        const deny = votes(level.policies, req, level.levelId).denies[0]
        if (!deny) continue
        return {
          status: 'fail', messageId: 'denies',
          data: { policyId: deny.policyId, statement: deny.statement, levelId: level.levelId, action: call.action, resource: call.resource, principal: call.request ? 'backup.amazonaws.com (assuming the job role)' : 'the job role' },
          cause: { code: 'RCP_DENIES', entity: 'job-role', policy: { kind: 'rcp', id: deny.policyId, statement: deny.statement }, action: call.action, resource: call.resource },
          remediation: {
            steps: [`Exempt the job role (or aws:PrincipalIsAWSService / backup.amazonaws.com) from statement ${deny.statement} of RCP ${deny.policyId}.`],
            policySnippet: removeStatement(deny, level.policies.find((p) => p.id === deny.policyId)?.document),
          },
        }
      }
    }
    return { status: 'pass', messageId: 'allowed', data: { checked: calls.length } }
  },
})
