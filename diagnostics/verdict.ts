/**
 * The verdict, decided in ONE place as a pure function of the findings, the
 * message hint and the gaps (root-causes.md, "One verdict when several codes fit"):
 *
 * 1. Among failing findings, a STRONG message hint picks the one it names (the
 *    status message shows which cause made this job fail); otherwise the first
 *    failing finding in pipeline order wins (AWS's own order of checks: the role
 *    must be assumable before its policies matter, a vault must exist before its
 *    policy...). Weak hints never pick; they only fail to contradict.
 * 2. Evidence and a strong message that disagree → the evidence decides, the
 *    summary says so, confidence drops to medium.
 * 3. Evidence partial (some check `unknown`, or any gap) → the most likely cause,
 *    at most medium confidence (api.md: partial evidence lowers confidence, even
 *    for a cause the message states).
 * 4. No failing finding: the message alone names the cause (low confidence, or
 *    medium when unread evidence could hold it), but never a code whose own check
 *    read its evidence and passed; `UNDETERMINED` only when neither evidence nor
 *    message supports any code.
 * The remediation also names the other failing findings.
 */
import type { MessageHint } from './message-classifier.js'
import type { Confidence, Finding, Gap, Remediation, RootCause } from './types.js'
import { codeInfo, codesAgree } from './codes.js'

export interface Verdict {
  rootCause: RootCause
  confidence: Confidence
  remediation: Remediation
  /** Id of the finding the verdict rests on, null when it rests on the message or on nothing. */
  basis: string | null
}

const TERMINAL_CODES = new Set(['JOB_NOT_FAILED', 'STOPPED_BY_USER'])

const lower = (c: Confidence): Confidence => (c === 'high' ? 'medium' : 'low')
const cap = (c: Confidence, max: Confidence): Confidence => (c === 'high' && max !== 'high' ? max : c === 'medium' && max === 'low' ? 'low' : c)

function pickByHint(failing: Finding[], hint: MessageHint): Finding | null {
  if (hint.strength !== 'strong') return null
  for (const code of hint.codes) {
    const f = failing.find((x) => x.rootCause && codesAgree(x.rootCause.code, code))
    if (f) return f
  }
  if (hint.action !== null) {
    const action = hint.action.toLowerCase()
    const f = failing.find((x) => x.rootCause?.action?.toLowerCase() === action)
    if (f) return f
  }
  return null
}

/** Where a message-only cause most likely sits (lib/pointers.ts); the verdict stays a pure function of its inputs. */
export type Locate = (code: string) => { policy: RootCause['policy']; entity?: RootCause['entity'] }

/** Whether the evidence read rules a code out: the check that judges it passed on evidence it read in full (index.ts). */
export type RuledOut = (code: string) => boolean

export function decideVerdict(
  findings: readonly Finding[], hint: MessageHint, gaps: readonly Gap[],
  locate: Locate = () => ({ policy: null }), isRuledOut: RuledOut = () => false,
): Verdict {
  const failing = findings.filter((f) => f.status === 'fail' && f.rootCause !== undefined)
  const unknown = findings.filter((f) => f.status === 'unknown')
  const partial = unknown.length > 0 || gaps.length > 0

  // A job that did not fail (or that someone stopped) has no other root cause, whatever else the message says.
  const terminal = failing.find((f) => TERMINAL_CODES.has(f.rootCause!.code)) ?? null
  const byHint = terminal ? null : pickByHint(failing, hint)
  const chosen = terminal ?? byHint ?? failing[0] ?? null

  if (chosen?.rootCause) {
    const disagrees = terminal === null && byHint === null && hint.strength === 'strong' && hint.codes.length > 0
      && !hint.codes.some((c) => codesAgree(chosen.rootCause!.code, c))
    let confidence: Confidence = 'high'
    let summary = chosen.rootCause.summary
    if (disagrees) {
      confidence = 'medium'
      summary += ` (The status message points to ${hint.codes[0]}, which the evidence does not show.)`
    }
    // api.md: a diagnosis that could read only part of the evidence comes "with gaps and a lower
    // confidence" — even when the message states the cause or the job did not fail, the unread
    // items are evidence the verdict did not weigh, so it is never `high` beside a gap.
    if (partial) confidence = cap(confidence, 'medium')
    const others = terminal ? [] : failing.filter((f) => f !== chosen)
    return {
      rootCause: { ...chosen.rootCause, summary },
      confidence,
      remediation: withOthers(chosen.remediation ?? defaultRemediation(chosen.rootCause.code), others),
      basis: chosen.check,
    }
  }

  // A code the message suggests but whose check read its evidence and passed is ruled out: the
  // message never outweighs a policy that was read (an IAM denial without its "because" clause
  // does not say which policy refused, and the identity policies that allow the action are not it).
  const ruledOut = hint.codes.filter(isRuledOut)
  const hinted = hint.codes.find((code) => !ruledOut.includes(code))
  if (hinted !== undefined) {
    const info = codeInfo(hinted)
    const located = locate(hinted)
    const confidence: Confidence = hint.strength === 'strong' && unknown.length > 0 ? 'medium' : 'low'
    const summary = `${info.summary} The status message says so; the evidence ${unknown.length > 0 ? 'that could be read' : ''} does not confirm it.`.replace(/\s+/g, ' ')
    return {
      rootCause: { code: hinted, entity: located.entity ?? info.entity, summary, policy: located.policy, action: hint.action, resource: hint.resource },
      confidence: hint.strength === 'weak' ? 'low' : confidence,
      remediation: defaultRemediation(hinted),
      basis: null,
    }
  }

  const info = codeInfo('UNDETERMINED')
  return {
    rootCause: {
      code: 'UNDETERMINED', entity: 'none', policy: null, action: null, resource: null,
      summary: (gaps.length > 0
        ? `No check found a cause and ${gaps.length} piece(s) of evidence could not be read; see gaps.`
        : 'No check found a cause and the status message names none.')
        + (ruledOut.length > 0 ? ` The status message points to ${ruledOut.join(', ')}, which the evidence read rules out.` : ''),
    },
    confidence: 'low',
    remediation: { steps: [...info.steps], policySnippet: null },
    basis: null,
  }
}

function defaultRemediation(code: string): Remediation {
  return { steps: [...codeInfo(code).steps], policySnippet: null }
}

function withOthers(r: Remediation, others: Finding[]): Remediation {
  if (others.length === 0) return r
  return {
    steps: [...r.steps, ...others.map((f) => `Also failing (${f.check}): ${f.message}`)],
    policySnippet: r.policySnippet,
  }
}

export { lower as lowerConfidence }
