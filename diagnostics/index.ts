/**
 * The diagnostic pipeline: the ordered checks (AWS's troubleshooting checklist,
 * seeds/002, extended — see docs/pipeline.md) and `diagnose`, a PURE function of
 * an Evidence object: no AWS calls, so a saved evidence file replays to the same
 * diagnosis.
 */
import type { Evidence, JobEvidence } from '../src/evidence/types.js'
import type { Check } from './define-check.js'
import type { Diagnosis, Finding, Gap, JobSummary } from './types.js'
import { resolveRef } from './evidence-refs.js'
import { classifyMessage } from './message-classifier.js'
import { runChecks } from './runner.js'
import { locateCause } from './lib/pointers.js'
import { decideVerdict } from './verdict.js'
import { evidenceGaps } from '../src/evidence/gaps.js'

import jobState from './checks/job-state.js'
import statusMessage from './checks/status-message.js'
import jobRoleExists from './checks/job-role-exists.js'
import trustPolicy from './checks/trust-policy.js'
import identityPolicies from './checks/identity-policies.js'
import passRole from './checks/pass-role.js'
import permissionsBoundary from './checks/permissions-boundary.js'
import resourcePolicy from './checks/resource-policy.js'
import targetVaultExists from './checks/target-vault-exists.js'
import vaultAccessPolicy from './checks/vault-access-policy.js'
import serviceControlPolicies from './checks/service-control-policies.js'
import resourceControlPolicies from './checks/resource-control-policies.js'
import kmsKeyState from './checks/kms-key-state.js'
import kmsAwsManagedKeyCrossAccount from './checks/kms-aws-managed-key-cross-account.js'
import kmsKeyPolicy from './checks/kms-key-policy.js'
import serviceLinkedRole from './checks/service-linked-role.js'
import sameOrganization from './checks/same-organization.js'
import crossAccountBackupSetting from './checks/cross-account-backup-setting.js'
import recoveryPointState from './checks/recovery-point-state.js'
import vaultLockRetention from './checks/vault-lock-retention.js'
import nonPermissionCause from './checks/non-permission-cause.js'

/** The pipeline, in order. The order is part of the verdict: the first failing check wins unless the message names another. */
export const PIPELINE: readonly Check[] = [
  // 1–2: did the job fail, and what does its message say
  jobState,
  statusMessage,
  // 3–6: the job role — exists, assumable, its policies, its boundary
  jobRoleExists,
  trustPolicy,
  identityPolicies,
  passRole,
  permissionsBoundary,
  resourcePolicy,
  // 7: vaults (a missing vault before its policy)
  targetVaultExists,
  vaultAccessPolicy,
  // 8–9: organization policies
  serviceControlPolicies,
  resourceControlPolicies,
  // 10: KMS keys (state, AWS managed keys across accounts, key policies)
  kmsKeyState,
  kmsAwsManagedKeyCrossAccount,
  kmsKeyPolicy,
  // 11–12: service-linked role, cross-account prerequisites
  serviceLinkedRole,
  sameOrganization,
  crossAccountBackupSetting,
  // 13: non-permission causes
  recoveryPointState,
  vaultLockRetention,
  nonPermissionCause,
]

function summaryOf(evidence: Evidence, job: JobEvidence | null): JobSummary {
  if (job) {
    const { id, type, accountId, region, state, statusMessage: msg, resourceType, resourceArn, iamRoleArn, creationDate } = job
    return { id, type, accountId, region, state, statusMessage: msg, resourceType, resourceArn, iamRoleArn, creationDate }
  }
  const r = evidence.request
  return {
    id: r.jobId, type: r.jobType ?? 'backup', accountId: r.accountId, region: r.region, state: 'UNKNOWN',
    statusMessage: null, resourceType: null, resourceArn: null, iamRoleArn: null, creationDate: null,
  }
}

/**
 * A code the status message suggests is ruled out when the check that judges it (the first of
 * the pipeline listing it in `rootCauses`) passed on evidence it read in full: every evidence
 * name it requires resolves to items, all read, and the pass judged something (not one of its
 * `passesWithoutEvidence`).
 */
function ruledOutBy(pipeline: readonly Check[], findings: readonly Finding[], evidence: Evidence, job: JobEvidence | null): (code: string) => boolean {
  const owner = new Map<string, Check>()
  for (const check of pipeline) for (const code of check.rootCauses) if (!owner.has(code)) owner.set(code, check)
  return (code) => {
    const check = owner.get(code)
    const finding = findings.find((f) => f.check === check?.id)
    if (check === undefined || job === null || finding?.status !== 'pass') return false
    if ((check.passesWithoutEvidence ?? []).includes(finding.messageId ?? '')) return false
    const refs = typeof check.requires === 'function' ? check.requires(job) : check.requires
    return refs.every((ref) => {
      const items = resolveRef(evidence, ref)
      return items.length > 0 && items.every(([, item]) => item.state === 'read')
    })
  }
}

export function diagnose(evidence: Evidence, opts: { pipeline?: readonly Check[]; gaps?: Gap[] } = {}): Diagnosis {
  const job = evidence.job.state === 'read' ? evidence.job.value : null
  const decoded = evidence.authorizationMessages.flatMap((m) => (m.decoded.state === 'read' ? [m.decoded.value] : []))
  const hint = classifyMessage({
    message: job?.statusMessage ?? null,
    jobType: job?.type ?? evidence.request.jobType ?? 'backup',
    resourceType: job?.resourceType ?? null,
    decoded,
  })
  const { findings } = runChecks(opts.pipeline ?? PIPELINE, evidence, job, hint)
  // One definition of gaps for the whole service: src/evidence/gaps.ts (pure).
  const gaps = opts.gaps ?? evidenceGaps(evidence)
  const verdict = decideVerdict(findings, hint, gaps, (code) => locateCause(evidence, job, hint, code), ruledOutBy(opts.pipeline ?? PIPELINE, findings, evidence, job))
  return {
    job: summaryOf(evidence, job),
    rootCause: verdict.rootCause,
    confidence: verdict.confidence,
    remediation: verdict.remediation,
    findings,
    gaps,
    messageHint: { codes: hint.codes, action: hint.action, policyType: hint.policyType },
    evidenceStats: evidence.stats,
  }
}

export { classifyMessage } from './message-classifier.js'
export type { Diagnosis } from './types.js'
