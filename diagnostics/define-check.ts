/**
 * The check factory (STYLE.md convention 3, after typescript-eslint's
 * `createRule`): a check is metadata next to one pure `run` function of the
 * evidence. `defineCheck` only types and freezes what it is given; the runner
 * (runner.ts) owns order and the `skipped` / `unknown` statuses, and the verdict
 * (verdict.ts) is decided once, after every check ran.
 */
import type { Evidence, JobEvidence, JobType } from '../src/evidence/types.js'
import type { Entity, PolicyPointer, Remediation } from './types.js'
import type { MessageHint } from './message-classifier.js'

export type Severity = 'critical' | 'high' | 'medium' | 'low'

/**
 * Names of the pieces of evidence a check reads. The runner resolves each name
 * to the evidence items behind it (evidence-refs.ts): any `unreadable` one makes
 * the check `unknown` without running it.
 */
export type EvidenceRef =
  | 'job'
  | 'jobRole'
  | 'jobRole.policies'
  | 'jobRole.boundary'
  | 'alternateDefaultRole'
  | 'passedRoles'
  | 'restoreMetadata'
  | 'sourceVault'
  | 'sourceVault.accessPolicy'
  | 'destinationVault'
  | 'destinationVault.accessPolicy'
  | 'recoveryPoint'
  | 'keys'
  | 'keys.policies'
  | 'organization'
  | 'organization.accounts'
  | 'organization.scps'
  | 'organization.rcps'
  | 'serviceLinkedRoles'
  | 'backupSettings'

export type CheckData = Record<string, unknown>

/** What a failing check says caused the failure (the verdict turns it into a RootCause). */
export interface CauseSpec {
  code: string
  entity: Entity
  policy: PolicyPointer | null
  action: string | null
  resource: string | null
}

export type CheckResult<M extends string> =
  | { status: 'pass' | 'warn'; messageId: M; data?: CheckData }
  | { status: 'fail'; messageId: M; data?: CheckData; cause: CauseSpec; remediation?: Remediation }

/** Outcome of a check as the runner recorded it (what later checks can read). */
export interface CheckOutcome {
  id: string
  status: 'pass' | 'fail' | 'warn' | 'skipped' | 'unknown'
  messageId: string
  data: CheckData
  cause?: CauseSpec
}

export interface CheckContext {
  evidence: Evidence
  /** The job (the runner makes every check `unknown` when the job itself could not be read). */
  job: JobEvidence
  /** What the job's status message says (message-classifier.ts): hints only. */
  hint: MessageHint
  /** Outcomes of the checks that ran before this one, by id. */
  previous: ReadonlyMap<string, CheckOutcome>
}

export interface CheckMeta<M extends string> {
  /** kebab-case, equal to the file name in diagnostics/checks/. */
  id: string
  /** A fact, as it reads when the check passes ("Job role trusts AWS Backup"). */
  title: string
  severity: Severity
  appliesTo: readonly JobType[]
  /** Evidence the check reads; a function when it depends on the job (e.g. a copy's destination vault). */
  requires: readonly EvidenceRef[] | ((job: JobEvidence) => readonly EvidenceRef[])
  /** Checks that must not have failed (or been skipped) for this one to mean anything. */
  after?: readonly string[]
  /** Return a reason to skip this job (e.g. "same-account copy"), or null to run. Read by the runner only. */
  skipUnless?: (evidence: Evidence, job: JobEvidence) => string | null
  /** Every root-cause code a failure of this check can name. */
  rootCauses: readonly string[]
  /**
   * Pass message ids that judged nothing (no role to pass, no status to read...): such a pass
   * does not rule out a code the status message suggests (verdict.ts).
   */
  passesWithoutEvidence?: readonly M[]
  /**
   * Fail message ids that stay true when part of `requires` is unreadable: an explicit Deny
   * read in one identity policy denies whatever the unread policies say ("Policy evaluation
   * logic": an explicit deny overrides any allow). With such ids the runner runs the check on
   * what was read and keeps only those failures; any other result stays `unknown`.
   */
  conclusiveOnPartialEvidence?: readonly M[]
  /** Message templates by id; `{{name}}` is replaced with `data.name`. */
  messages: Readonly<Record<M, string>>
  /** The AWS documentation page the check rests on. */
  docs: string
}

export interface Check<M extends string = string> extends CheckMeta<M> {
  run(ctx: CheckContext): CheckResult<M>
}

export function defineCheck<M extends string>(check: CheckMeta<M> & { run(ctx: CheckContext): CheckResult<M> }): Check<M> {
  return Object.freeze(check)
}

/** Fills `{{name}}` placeholders of a template from data (missing names stay visible as `{{name}}`). */
export function renderMessage(template: string, data: CheckData): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const v = data[name]
    if (v === undefined || v === null) return whole
    if (Array.isArray(v)) return v.map(String).join(', ')
    return typeof v === 'object' ? JSON.stringify(v) : String(v)
  })
}
