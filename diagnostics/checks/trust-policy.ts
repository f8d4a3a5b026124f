/**
 * The job role's trust policy lets backup.amazonaws.com call sts:AssumeRole,
 * with the context AWS Backup sends (aws:SourceAccount = the job's account; IAM
 * "The confused deputy problem"). For a service principal only the trust policy
 * decides ("Policy evaluation logic"; seeds/002: the job role "must have a trust
 * policy that allows AWS Backup to assume it"). Fail → TRUST_POLICY_DENIES_BACKUP
 * (explicit deny: that statement; no allow: statement null). A decision that
 * hangs on a condition key AWS Backup's request context may not carry is a `warn`.
 */
import { defineCheck } from '../define-check.js'
import { buildTrustRequest, evaluate, tryParsePolicy } from '../../src/policy/index.js'
import type { EvalRequest } from '../../src/policy/index.js'
import { valueOf } from '../lib/evidence.js'
import { orgId } from '../lib/iam.js'
import { removeStatement } from '../lib/snippets.js'

const TRUST_STATEMENT = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllowAwsBackupToAssumeRole', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }],
}

export default defineCheck({
  id: 'trust-policy',
  title: 'Job role trusts AWS Backup',
  severity: 'critical',
  appliesTo: ['backup', 'restore', 'copy'],
  requires: ['job', 'jobRole'],
  after: ['job-role-exists'],
  rootCauses: ['TRUST_POLICY_DENIES_BACKUP'],
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html',
  messages: {
    trusted: 'The trust policy of {{roleArn}} lets backup.amazonaws.com assume it (statement {{statement}}).',
    'explicit-deny': 'Statement {{statement}} of the trust policy of {{roleArn}} denies sts:AssumeRole to backup.amazonaws.com.',
    'not-trusted': 'The trust policy of {{roleArn}} does not let backup.amazonaws.com assume the role; add the statement below.',
    'missing-context': 'Whether backup.amazonaws.com may assume {{roleArn}} depends on condition keys ({{keys}}) AWS Backup may not send.',
    malformed: 'The trust policy of {{roleArn}} could not be parsed ({{reason}} at {{path}}).',
  },
  run({ evidence, job }) {
    const role = valueOf(evidence.jobRole)!
    const policy = { kind: 'trust' as const, id: role.arn, document: role.trustPolicy }
    const parsed = tryParsePolicy(policy)
    if (!parsed.ok) return { status: 'warn', messageId: 'malformed', data: { roleArn: role.arn, reason: parsed.error.reason, path: parsed.error.path } }
    // aws:SourceArn: AWS Backup acts for a Backup resource of the job's account; the job's vault ARN stands for it
    // (a trust condition like ArnLike arn:aws:backup:REGION:ACCOUNT:* matches it). Documented as uncertain in docs/pipeline.md.
    const sourceArn = job.backupVaultArn ?? undefined
    const t = buildTrustRequest({ roleArn: role.arn, jobAccountId: job.accountId, region: job.region, sourceOrgId: orgId(evidence), ...(sourceArn ? { sourceArn } : {}) })
    const req: EvalRequest = { principal: t.principal, action: t.action, resource: t.resource, resourceAccount: t.resourceAccount, context: t.context }
    const r = evaluate(req, { resourcePolicy: policy })
    const data = { roleArn: role.arn }
    if (r.decision === 'allowed') return { status: 'pass', messageId: 'trusted', data: { ...data, statement: r.decidingStatement?.statement ?? null } }
    const cause = { code: 'TRUST_POLICY_DENIES_BACKUP', entity: 'job-role', action: 'sts:AssumeRole', resource: role.arn } as const
    const deny = r.byType.trust?.denies[0] ?? (r.decision === 'explicit-deny' ? r.decidingStatement : null)
    if (deny) {
      return {
        status: 'fail', messageId: 'explicit-deny', data: { ...data, statement: deny.statement },
        cause: { ...cause, policy: { kind: 'trust', id: role.arn, statement: deny.statement } },
        remediation: { steps: [`Remove or narrow statement ${deny.statement} of the trust policy of ${role.arn}.`], policySnippet: removeStatement(deny, role.trustPolicy) },
      }
    }
    if (r.missingContextKeys.length > 0) return { status: 'warn', messageId: 'missing-context', data: { ...data, keys: r.missingContextKeys } }
    return {
      status: 'fail', messageId: 'not-trusted', data,
      cause: { ...cause, policy: { kind: 'trust', id: role.arn, statement: null } },
      remediation: {
        steps: [`Add this statement to the trust policy of ${role.arn} (aws iam update-assume-role-policy).`],
        policySnippet: TRUST_STATEMENT,
      },
    }
  },
})
