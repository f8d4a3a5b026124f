/**
 * Table-driven tester for one check (after ESLint's RuleTester): each case is an
 * Evidence and the finding the check must produce when the WHOLE pipeline runs
 * over it (so prerequisites, `skipped` and `unknown` are exercised as in
 * production). Cases assert status, messageId, root-cause code/entity/policy and
 * a subset of `data` — never prose.
 */
import type { Test } from 'tap'
import type { Evidence } from '../../src/evidence/types.js'
import type { Check } from '../../diagnostics/define-check.js'
import type { Finding, FindingStatus } from '../../diagnostics/types.js'
import { diagnose } from '../../diagnostics/index.js'

export interface CheckCase {
  name: string
  evidence: Evidence
  status: FindingStatus
  messageId?: string
  code?: string
  entity?: string
  policy?: { kind?: string; id?: string; statement?: string | null }
  action?: string | null
  resource?: string | null
  data?: Record<string, unknown>
  /** Also assert the whole diagnosis' verdict code. */
  verdict?: string
}

export function findingOf(check: Check, evidence: Evidence): Finding {
  const d = diagnose(evidence)
  const f = d.findings.find((x) => x.check === check.id)
  if (!f) throw new Error(`check ${check.id} is not in the pipeline`)
  return f
}

export function runCheckCases(t: Test, check: Check, cases: readonly CheckCase[]): void {
  for (const c of cases) {
    t.test(c.name, async (tt) => {
      const d = diagnose(c.evidence)
      const f = d.findings.find((x) => x.check === check.id)
      tt.ok(f, 'finding present')
      if (!f) return
      tt.equal(f.status, c.status, `status (message: ${f.message})`)
      if (c.messageId !== undefined) tt.equal(f.messageId, c.messageId, 'messageId')
      if (c.code !== undefined) tt.equal(f.rootCause?.code, c.code, 'root cause code')
      if (c.status !== 'fail') tt.equal(f.rootCause, undefined, 'no root cause unless failing')
      if (c.entity !== undefined) tt.equal(f.rootCause?.entity, c.entity, 'entity')
      if (c.policy !== undefined) {
        const p = f.rootCause?.policy
        if (c.policy.kind !== undefined) tt.equal(p?.kind, c.policy.kind, 'policy.kind')
        if (c.policy.id !== undefined) tt.equal(p?.id, c.policy.id, 'policy.id')
        if (c.policy.statement !== undefined) tt.equal(p?.statement, c.policy.statement, 'policy.statement')
      }
      if (c.action !== undefined) tt.equal(f.rootCause?.action ?? null, c.action, 'action')
      if (c.resource !== undefined) tt.equal(f.rootCause?.resource ?? null, c.resource, 'resource')
      if (c.data !== undefined) tt.match(f.data, c.data, 'data')
      if (c.verdict !== undefined) tt.equal(d.rootCause.code, c.verdict, 'verdict')
      // Every rendered message has its placeholders filled.
      tt.notMatch(f.message, /\{\{\w+\}\}/, 'message fully rendered')
      if (f.rootCause) tt.ok(check.rootCauses.includes(f.rootCause.code) || f.status !== 'fail', 'code declared in metadata')
    })
  }
}
