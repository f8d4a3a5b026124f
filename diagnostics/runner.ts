/**
 * Runs the ordered checks over one Evidence. The runner alone decides `skipped`
 * (not for this job type, a prerequisite check failed, or the check's
 * `skipUnless` gave a reason) and `unknown` (evidence it requires is unreadable,
 * or the check threw): a check that throws becomes an `unknown` finding and never
 * takes the run down (Prowler / cfn-lint style).
 */
import type { Evidence, JobEvidence } from '../src/evidence/types.js'
import type { Check, CheckContext, CheckOutcome, CheckResult } from './define-check.js'
import { renderMessage } from './define-check.js'
import type { MessageHint } from './message-classifier.js'
import type { Finding, RootCause } from './types.js'
import { unreadableRefs } from './evidence-refs.js'

export interface RunOutput {
  findings: Finding[]
  outcomes: CheckOutcome[]
}

export const RUNNER_MESSAGES = {
  'not-for-job-type': 'Not applicable to {{jobType}} jobs.',
  'prerequisite-failed': 'Not evaluated: {{prerequisite}} did not pass.',
  'not-applicable': 'Not applicable: {{reason}}.',
  'evidence-unreadable': 'Could not be evaluated: {{what}} could not be read ({{error}} on {{call}}).',
  'check-crashed': 'Could not be evaluated: the check failed with {{error}}.',
  'job-unreadable': 'Could not be evaluated: the job could not be read.',
} as const

export function runChecks(checks: readonly Check[], evidence: Evidence, job: JobEvidence | null, hint: MessageHint): RunOutput {
  const previous = new Map<string, CheckOutcome>()
  const findings: Finding[] = []
  const outcomes: CheckOutcome[] = []

  checks.forEach((check, index) => {
    const order = index + 1
    const outcome = runOne(check, evidence, job, hint, previous)
    previous.set(check.id, outcome)
    outcomes.push(outcome)
    findings.push(toFinding(check, order, outcome))
  })
  return { findings, outcomes }
}

function runOne(check: Check, evidence: Evidence, job: JobEvidence | null, hint: MessageHint, previous: ReadonlyMap<string, CheckOutcome>): CheckOutcome {
  const base = { id: check.id }
  if (job === null) return { ...base, status: 'unknown', messageId: 'job-unreadable', data: {} }
  if (!check.appliesTo.includes(job.type)) return { ...base, status: 'skipped', messageId: 'not-for-job-type', data: { jobType: job.type } }
  for (const prerequisite of check.after ?? []) {
    const p = previous.get(prerequisite)
    if (p && (p.status === 'fail' || p.status === 'skipped')) {
      return { ...base, status: 'skipped', messageId: 'prerequisite-failed', data: { prerequisite } }
    }
  }
  try {
    const reason = check.skipUnless?.(evidence, job) ?? null
    if (reason !== null) return { ...base, status: 'skipped', messageId: 'not-applicable', data: { reason } }
    const refs = typeof check.requires === 'function' ? check.requires(job) : check.requires
    const unreadable = unreadableRefs(evidence, refs)
    const ctx: CheckContext = { evidence, job, hint, previous }
    if (unreadable.length > 0) {
      const first = unreadable[0]!
      const unknown: CheckOutcome = { ...base, status: 'unknown', messageId: 'evidence-unreadable', data: { ...first, unreadable } }
      const conclusive = partialVerdict(check, ctx)
      if (conclusive === null) return unknown
      // Proven on what was read; the unread items still stand as gaps of the diagnosis.
      const proven: CheckOutcome = { ...base, status: 'fail', messageId: conclusive.messageId, data: { ...(conclusive.data ?? {}), unreadable }, cause: conclusive.cause }
      if (conclusive.remediation) proven.data = { ...proven.data, remediation: conclusive.remediation }
      return proven
    }
    const result: CheckResult<string> = check.run(ctx)
    const outcome: CheckOutcome = { ...base, status: result.status, messageId: result.messageId, data: result.data ?? {} }
    if (result.status === 'fail') {
      outcome.cause = result.cause
      if (result.remediation) outcome.data = { ...outcome.data, remediation: result.remediation }
    }
    return outcome
  } catch (e) {
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
    return { ...base, status: 'unknown', messageId: 'check-crashed', data: { error } }
  }
}

/**
 * A check run on partial evidence (`conclusiveOnPartialEvidence`): its failure when it is one
 * the unread evidence cannot overturn, else null. A check that cannot run on what was read
 * (it throws) proves nothing.
 */
function partialVerdict(check: Check, ctx: CheckContext): Extract<CheckResult<string>, { status: 'fail' }> | null {
  const ids: readonly string[] = check.conclusiveOnPartialEvidence ?? []
  if (ids.length === 0) return null
  try {
    const r = check.run(ctx)
    return r.status === 'fail' && ids.includes(r.messageId) ? r : null
  } catch {
    return null
  }
}

function toFinding(check: Check, order: number, o: CheckOutcome): Finding {
  const templates: Record<string, string> = { ...RUNNER_MESSAGES, ...check.messages }
  const template = templates[o.messageId] ?? o.messageId
  const { remediation, ...data } = o.data as Record<string, unknown> & { remediation?: Finding['remediation'] }
  const message = renderMessage(template, data)
  const finding: Finding = { check: check.id, order, title: check.title, status: o.status, message, messageId: o.messageId, data }
  if (o.cause) {
    const rootCause: RootCause = { ...o.cause, summary: message }
    finding.rootCause = rootCause
    if (remediation) finding.remediation = remediation
  }
  return finding
}
