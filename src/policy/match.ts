/**
 * Does one statement apply to one request? (IAM User Guide, "IAM JSON policy
 * elements reference": Effect, Action/NotAction, Resource/NotResource,
 * Principal/NotPrincipal, Condition.)
 */
import type { ContextLookup } from './context-lookup.js'
import { evaluateCondition } from './conditions/index.js'
import type { ActionMatcher, ParsedPolicy, ParsedStatement, PrincipalSpec, ResourceMatcher } from './parse.js'
import type { ConditionTrace, EvalRequest, Principal, PrincipalMatch, StatementRef } from './types.js'
import { resolveTemplate } from './variables.js'
import { arnMatchParts } from './wildcard.js'

export interface MatchOptions {
  /**
   * The principal has a permissions boundary. "The NotPrincipal element with a
   * Deny effect will always deny any IAM principal that has a permissions
   * boundary policy attached, regardless of the values specified in the
   * NotPrincipal element" (IAM JSON policy elements: NotPrincipal, Key points).
   */
  hasPermissionsBoundary?: boolean
}

/** Action names are case-insensitive (IAM JSON policy elements: Action). */
export function actionMatches(m: ActionMatcher, actionLower: string): boolean {
  if (m.exact.has(actionLower)) return true
  for (const p of m.patterns) if (p(actionLower)) return true
  return false
}

/**
 * ARNs are matched case-sensitively, component by component (IAM JSON policy
 * elements: Resource). Returns 'unresolved' when a pattern's policy variable has
 * no value and no other pattern matched: "If AWS cannot resolve a variable this
 * might cause the entire statement to be invalid" (IAM policy elements:
 * Variables and tags) — the statement then does not apply at all.
 */
export function resourceMatches(m: ResourceMatcher, resource: string, ctx: ContextLookup, missing: string[]): boolean | 'unresolved' {
  if (m.all) return true
  for (const p of m.plain) if (p(resource)) return true
  let unresolved = false
  for (const t of m.templates) {
    const parts = resolveTemplate(t, ctx, missing)
    if (parts === null) unresolved = true
    else if (arnMatchParts(parts, resource)) return true
  }
  return unresolved ? 'unresolved' : false
}

const ROOT_RE = /^arn:[^:]+:iam::(\d{12}):root$/

/** The account an AWS principal entry names as a whole ("123456789012" or arn:aws:iam::123456789012:root), else null. */
export function accountOfPrincipalEntry(entry: string): string | null {
  if (/^\d{12}$/.test(entry)) return entry
  const m = ROOT_RE.exec(entry)
  return m === null ? null : (m[1] as string)
}

/**
 * Whether an account entry names the principal's account: same id, and for a root ARN the
 * same partition (account ids are unique within a partition only — a GovCloud or China
 * account is not the commercial account with the same digits). A bare id is read in the
 * policy's own partition, which is the principal's wherever policies can name it.
 */
function namesAccountOf(entry: string, p: Principal): boolean {
  if (p.accountId === null || accountOfPrincipalEntry(entry) !== p.accountId) return false
  if (!entry.startsWith('arn:')) return true
  const principalPartition = p.arn.startsWith('arn:') ? p.arn.split(':')[1] : undefined
  return principalPartition === undefined || entry.split(':')[1] === principalPartition
}

const RANK: Record<PrincipalMatch, number> = { session: 5, exact: 4, role: 3, wildcard: 2, account: 1 }

/**
 * How a Principal element matches the request's principal (IAM JSON policy
 * elements: Principal): "*" everyone; {"AWS": "*"} every AWS principal (not
 * service principals); an account id or account root ARN the account as a whole
 * (delegation: the account's identity policies must also allow); a role ARN the
 * sessions of that role; a session ARN that session; Service/Federated/
 * CanonicalUser by exact name. Wildcards cannot match part of a principal.
 */
export function principalMatch(spec: PrincipalSpec, p: Principal): PrincipalMatch | null {
  let best: PrincipalMatch | null = null
  const take = (m: PrincipalMatch): void => {
    if (best === null || RANK[m] > RANK[best]) best = m
  }
  if (spec.any) take('wildcard')
  if (p.type === 'service') {
    if (spec.service.includes(p.arn.toLowerCase())) take('exact')
    return best
  }
  if (spec.anyAws) take('wildcard')
  for (const a of spec.aws) {
    if (accountOfPrincipalEntry(a) !== null) {
      if (namesAccountOf(a, p)) take(p.type === 'root' ? 'exact' : 'account')
    } else if (p.type === 'assumed-role') {
      if (a === p.arn) take('session')
      else if (p.roleArn !== undefined && a === p.roleArn) take('role')
    } else if (a === p.arn) take(p.type === 'role' ? 'role' : 'exact')
  }
  if (spec.federated.includes(p.arn) || spec.canonicalUser.includes(p.arn)) take('exact')
  return best
}

/**
 * Whether a NotPrincipal element exempts the principal. AWS checks a principal
 * level by level — "first the account, then the role, then the assumed-role
 * user" — so every level must be listed: the account AND the role (or the
 * session). Listing a role and its account root exempts that role's sessions
 * only; the account's other roles are still denied (IAM JSON policy elements:
 * NotPrincipal, Key points).
 */
export function notPrincipalExempts(spec: PrincipalSpec, p: Principal, opts: MatchOptions): boolean {
  if (opts.hasPermissionsBoundary === true && p.type !== 'service' && p.type !== 'root') return false
  if (spec.any) return true
  if (p.type === 'service') return spec.service.includes(p.arn.toLowerCase())
  if (spec.anyAws) return true
  const accountListed = spec.aws.some((a) => namesAccountOf(a, p))
  switch (p.type) {
    case 'root':
      return accountListed
    case 'assumed-role':
      return accountListed && (spec.aws.includes(p.arn) || (p.roleArn !== undefined && spec.aws.includes(p.roleArn)))
    default:
      return accountListed && (spec.aws.includes(p.arn) || spec.federated.includes(p.arn))
  }
}

export interface StatementHit {
  statement: ParsedStatement
  principalMatch: PrincipalMatch | null
  conditions: ConditionTrace[]
}

/** Returns the hit when the statement applies to the request, else null. Collects missing condition keys. */
export function matchStatement(
  st: ParsedStatement,
  req: EvalRequest,
  actionLower: string,
  ctx: ContextLookup,
  missing: string[],
  opts: MatchOptions,
): StatementHit | null {
  if (st.action !== null && !actionMatches(st.action, actionLower)) return null
  if (st.notAction !== null && actionMatches(st.notAction, actionLower)) return null
  if (st.resource !== null && resourceMatches(st.resource, req.resource, ctx, missing) !== true) return null
  // An unresolvable variable invalidates the statement, also under NotResource.
  if (st.notResource !== null && resourceMatches(st.notResource, req.resource, ctx, missing) !== false) return null
  let pm: PrincipalMatch | null = null
  if (st.principal !== null) {
    pm = principalMatch(st.principal, req.principal)
    if (pm === null) return null
  } else if (st.notPrincipal !== null) {
    if (notPrincipalExempts(st.notPrincipal, req.principal, opts)) return null
    pm = 'wildcard'
  }
  const traces: ConditionTrace[] = []
  let ok = true
  for (const c of st.conditions) {
    const r = evaluateCondition(c, ctx, missing)
    traces.push({
      operator: c.operator,
      key: c.key,
      values: c.values.map((v) => v.text),
      contextValues: r.contextValues === null ? null : [...r.contextValues],
    })
    if (!r.matched || r.unresolved) ok = false
  }
  if (!ok) return null
  return { statement: st, principalMatch: pm, conditions: traces }
}

export function refOf(policy: ParsedPolicy, hit: StatementHit, levelId?: string): StatementRef {
  const st = hit.statement
  const ref: StatementRef = { policyKind: policy.kind, policyId: policy.id, statement: st.label, index: st.index, effect: st.effect }
  if (policy.name !== undefined) ref.policyName = policy.name
  if (levelId !== undefined) ref.levelId = levelId
  if (hit.conditions.length > 0) ref.conditions = hit.conditions
  if (hit.principalMatch !== null) ref.principalMatch = hit.principalMatch
  return ref
}

/**
 * The statements of a policy that can match actions of one service, in document
 * order: those naming the service in Action, plus every statement whose actions
 * are not tied to one service (NotAction, "*", a wildcard in the service part).
 * Built lazily per (statement list, service) — a large managed policy is then
 * scanned only for the handful of statements about the requested service.
 */
const byService = new WeakMap<readonly ParsedStatement[], Map<string, ParsedStatement[]>>()

function servicesOf(st: ParsedStatement): Set<string> | null {
  if (st.action === null) return null
  const out = new Set<string>()
  for (const a of st.action.raw) {
    const colon = a.indexOf(':')
    const svc = colon < 0 ? a : a.slice(0, colon)
    if (colon < 0 || svc.includes('*') || svc.includes('?')) return null
    out.add(svc.toLowerCase())
  }
  return out
}

export function candidates(statements: readonly ParsedStatement[], actionLower: string): readonly ParsedStatement[] {
  const colon = actionLower.indexOf(':')
  if (colon < 0 || statements.length < 8) return statements
  const svc = actionLower.slice(0, colon)
  let perService = byService.get(statements)
  if (perService === undefined) {
    perService = new Map()
    byService.set(statements, perService)
  }
  let list = perService.get(svc)
  if (list === undefined) {
    list = statements.filter((st) => {
      const s = servicesOf(st)
      return s === null || s.has(svc)
    })
    perService.set(svc, list)
  }
  return list
}

/** All statements of one parsed policy that apply, split by effect. */
export function matchPolicy(
  policy: ParsedPolicy,
  req: EvalRequest,
  actionLower: string,
  ctx: ContextLookup,
  missing: string[],
  opts: MatchOptions,
  levelId?: string,
): { allows: StatementRef[]; denies: StatementRef[] } {
  const allows: StatementRef[] = []
  const denies: StatementRef[] = []
  for (const st of candidates(policy.statements, actionLower)) {
    const hit = matchStatement(st, req, actionLower, ctx, missing, opts)
    if (hit === null) continue
    ;(st.effect === 'Allow' ? allows : denies).push(refOf(policy, hit, levelId))
  }
  return { allows, denies }
}
