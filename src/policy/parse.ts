/**
 * Parsing and validation of policy documents into a normalised form that the
 * evaluator matches quickly (IAM User Guide, "IAM JSON policy elements
 * reference", "IAM JSON policy language grammar").
 *
 * - `Statement` may be one object or an array; Action/Resource/Principal values
 *   may be a string or a list. A statement is named by its Sid, else its index.
 * - Anything the grammar does not allow is a PolicyParseError naming where
 *   (JSON-pointer path): invalid JSON, unknown top-level or statement element,
 *   wrong types, an Effect other than Allow/Deny, Action with NotAction (same for
 *   Resource, Principal), an unknown condition operator, an invalid numeric,
 *   date or IP value. A malformed policy is never evaluated as if it allowed.
 * - Principal/NotPrincipal are rejected in identity policies, boundaries and SCPs,
 *   and required in resource-based policies (vault, KMS key, trust, resource).
 *   Resource/NotResource are required except in trust policies and RCPs/SCPs
 *   whose AWS managed forms sometimes omit them (there they default to "*").
 * - IAM returns role trust policies and policy versions URL-encoded (RFC 3986);
 *   a string that is not JSON but decodes to JSON is accepted.
 *
 * Parsed documents are cached by input object, by document object and by JSON
 * text: a diagnosis evaluates the same dozen policies hundreds of times.
 */
import { parseOperator, type ConditionValue, type ParsedCondition } from './conditions/index.js'
import type { PolicyInput, PolicyKind, PolicyParseErrorInfo } from './types.js'
import { parseTemplate, type Template } from './variables.js'
import { compileArnPattern, compileGlobIgnoreCase, hasWildcard, type Matcher } from './wildcard.js'

export class PolicyParseError extends Error {
  readonly info: PolicyParseErrorInfo
  constructor(info: PolicyParseErrorInfo) {
    super(`policy ${info.policyKind} ${info.policyId} is malformed at ${info.path || '/'}: ${info.reason}`)
    this.name = 'PolicyParseError'
    this.info = info
  }
}

export interface ActionMatcher {
  /** Lowercase action names without wildcards. */
  exact: Set<string>
  /** Patterns with `*`/`?`, compiled (case-insensitive). */
  patterns: Matcher[]
  raw: string[]
}

export interface ResourceMatcher {
  all: boolean
  /** Patterns without policy variables, compiled. */
  plain: Matcher[]
  templates: Template[]
  raw: string[]
}

export interface PrincipalSpec {
  /** `"*"` or `{"AWS": "*"}`-style wildcard present (any principal). */
  any: boolean
  /** `{"AWS": "*"}`: every principal except AWS service principals. */
  anyAws: boolean
  aws: string[]
  /** Lowercase service principal names. */
  service: string[]
  federated: string[]
  canonicalUser: string[]
}

export interface ParsedStatement {
  index: number
  sid: string | null
  /** Sid when present, else the zero-based index as a string (root-causes.md). */
  label: string
  effect: 'Allow' | 'Deny'
  action: ActionMatcher | null
  notAction: ActionMatcher | null
  /** Both null = every resource. */
  resource: ResourceMatcher | null
  notResource: ResourceMatcher | null
  principal: PrincipalSpec | null
  notPrincipal: PrincipalSpec | null
  conditions: ParsedCondition[]
}

export interface ParsedPolicy {
  readonly parsed: true
  kind: PolicyKind
  id: string
  name?: string
  version: string | null
  statements: ParsedStatement[]
}

interface Body {
  version: string | null
  statements: ParsedStatement[]
}

type Fail = (path: string, reason: string) => never

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement'])
const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'])
const VERSIONS = new Set(['2012-10-17', '2008-10-17'])
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser'])
const NO_PRINCIPAL_KINDS = new Set<PolicyKind>(['identity', 'boundary', 'scp'])
const PRINCIPAL_REQUIRED_KINDS = new Set<PolicyKind>(['vault', 'kms-key', 'trust', 'resource'])
const RESOURCE_OPTIONAL_KINDS = new Set<PolicyKind>(['trust', 'scp', 'rcp'])

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function stringList(v: unknown, path: string, fail: Fail): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) {
    if (v.length === 0) fail(path, 'must not be an empty list')
    return v.map((x, i) => {
      if (typeof x !== 'string') fail(`${path}/${i}`, 'must be a string')
      return x
    })
  }
  return fail(path, 'must be a string or a list of strings')
}

function parseActions(v: unknown, path: string, fail: Fail): ActionMatcher {
  const raw = stringList(v, path, fail)
  const m: ActionMatcher = { exact: new Set(), patterns: [], raw }
  raw.forEach((a, i) => {
    // "service:action", or "*" (IAM JSON policy elements: Action)
    if (a !== '*' && !/^[A-Za-z0-9-]+:[A-Za-z0-9*?_-]*$/.test(a)) fail(`${path}${Array.isArray(v) ? '/' + i : ''}`, `"${a}" is not service:action`)
    const low = a.toLowerCase()
    if (hasWildcard(low)) m.patterns.push(compileGlobIgnoreCase(low))
    else m.exact.add(low)
  })
  return m
}

function parseResources(v: unknown, path: string, fail: Fail, variables: boolean): ResourceMatcher {
  const raw = stringList(v, path, fail)
  const m: ResourceMatcher = { all: false, plain: [], templates: [], raw }
  raw.forEach((r, i) => {
    if (r !== '*' && !r.startsWith('arn:') && !(variables && r.startsWith('${'))) {
      fail(`${path}${Array.isArray(v) ? '/' + i : ''}`, `"${r}" is neither "*" nor an ARN`)
    }
    if (r === '*') m.all = true
    const t = variables ? parseTemplate(r) : null
    if (t !== null) m.templates.push(t)
    else m.plain.push(compileArnPattern(r))
  })
  return m
}

function parsePrincipal(v: unknown, path: string, fail: Fail): PrincipalSpec {
  const p: PrincipalSpec = { any: false, anyAws: false, aws: [], service: [], federated: [], canonicalUser: [] }
  if (v === '*') {
    p.any = true
    return p
  }
  if (!isObject(v)) return fail(path, 'must be "*" or an object with AWS, Service, Federated or CanonicalUser')
  for (const [k, val] of Object.entries(v)) {
    if (!PRINCIPAL_KEYS.has(k)) fail(`${path}/${k}`, `unknown principal type "${k}"`)
    const list = stringList(val, `${path}/${k}`, fail)
    if (k === 'AWS') {
      for (const a of list) {
        if (a === '*') p.anyAws = true
        else p.aws.push(a)
      }
    } else if (k === 'Service') {
      for (const s of list) {
        if (s === '*') p.any = true
        else p.service.push(s.toLowerCase())
      }
    } else if (k === 'Federated') p.federated.push(...list)
    else p.canonicalUser.push(...list)
  }
  return p
}

function parseConditions(v: unknown, path: string, fail: Fail, variables: boolean): ParsedCondition[] {
  if (!isObject(v)) return fail(path, 'must be an object of condition operators')
  const out: ParsedCondition[] = []
  for (const [op, block] of Object.entries(v)) {
    const opPath = `${path}/${op}`
    const spec = parseOperator(op)
    if (spec === null) fail(opPath, `unknown condition operator "${op}"`)
    if (!isObject(block)) fail(opPath, 'must be an object of condition keys')
    for (const [key, raw] of Object.entries(block)) {
      const keyPath = `${opPath}/${key}`
      const list = Array.isArray(raw) ? raw : [raw]
      const values: ConditionValue[] = list.map((x, i) => {
        if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') {
          fail(Array.isArray(raw) ? `${keyPath}/${i}` : keyPath, 'must be a string, number or boolean')
        }
        const text = String(x)
        const template = variables && spec.def.variables ? parseTemplate(text) : null
        if (template === null && spec.def.validate !== undefined) {
          const why = spec.def.validate(text)
          if (why !== null) fail(Array.isArray(raw) ? `${keyPath}/${i}` : keyPath, `"${text}" ${why}`)
        }
        return { text, template }
      })
      out.push({ ...spec, operator: op, key, keyLower: key.toLowerCase(), values })
    }
  }
  return out
}

function parseStatement(st: unknown, index: number, path: string, kind: PolicyKind, variables: boolean, fail: Fail): ParsedStatement {
  if (!isObject(st)) return fail(path, 'a statement must be an object')
  for (const k of Object.keys(st)) if (!STATEMENT_ELEMENTS.has(k)) fail(`${path}/${k}`, `unknown statement element "${k}"`)
  const sidRaw = st.Sid
  if (sidRaw !== undefined && typeof sidRaw !== 'string') fail(`${path}/Sid`, 'must be a string')
  const sid = typeof sidRaw === 'string' && sidRaw !== '' ? sidRaw : null
  const effect = st.Effect
  if (effect !== 'Allow' && effect !== 'Deny') fail(`${path}/Effect`, 'must be "Allow" or "Deny"')
  const pair = (a: string, b: string): void => {
    if (st[a] !== undefined && st[b] !== undefined) fail(`${path}/${b}`, `${a} and ${b} cannot both be present`)
  }
  pair('Action', 'NotAction')
  pair('Resource', 'NotResource')
  pair('Principal', 'NotPrincipal')
  if (st.Action === undefined && st.NotAction === undefined) fail(`${path}/Action`, 'Action or NotAction is required')
  if (st.Resource === undefined && st.NotResource === undefined && !RESOURCE_OPTIONAL_KINDS.has(kind)) {
    fail(`${path}/Resource`, 'Resource or NotResource is required')
  }
  const hasPrincipal = st.Principal !== undefined || st.NotPrincipal !== undefined
  if (hasPrincipal && NO_PRINCIPAL_KINDS.has(kind)) fail(`${path}/${st.Principal !== undefined ? 'Principal' : 'NotPrincipal'}`, `not allowed in ${kind} policies`)
  if (!hasPrincipal && PRINCIPAL_REQUIRED_KINDS.has(kind)) fail(`${path}/Principal`, `Principal or NotPrincipal is required in ${kind} policies`)
  // "NotPrincipal must be used with "Effect":"Deny"" (IAM JSON policy elements: NotPrincipal)
  if (st.NotPrincipal !== undefined && effect === 'Allow') fail(`${path}/NotPrincipal`, 'NotPrincipal is only supported with "Effect": "Deny"')
  if (kind === 'rcp') checkRcpStatement(st, effect, path, fail)
  return {
    index,
    sid,
    label: sid ?? String(index),
    effect,
    action: st.Action === undefined ? null : parseActions(st.Action, `${path}/Action`, fail),
    notAction: st.NotAction === undefined ? null : parseActions(st.NotAction, `${path}/NotAction`, fail),
    resource: st.Resource === undefined ? null : parseResources(st.Resource, `${path}/Resource`, fail, variables),
    notResource: st.NotResource === undefined ? null : parseResources(st.NotResource, `${path}/NotResource`, fail, variables),
    principal: st.Principal === undefined ? null : parsePrincipal(st.Principal, `${path}/Principal`, fail),
    notPrincipal: st.NotPrincipal === undefined ? null : parsePrincipal(st.NotPrincipal, `${path}/NotPrincipal`, fail),
    conditions: st.Condition === undefined ? [] : parseConditions(st.Condition, `${path}/Condition`, fail, variables),
  }
}

/**
 * RCP grammar (AWS Organizations, "RCP syntax"): NotAction and NotPrincipal are not
 * supported, Principal must be "*", and only RCPFullAWSAccess may Allow, so a
 * Deny cannot use the bare "*" action.
 */
function checkRcpStatement(st: Record<string, unknown>, effect: string, path: string, fail: Fail): void {
  if (st.NotAction !== undefined) fail(`${path}/NotAction`, 'NotAction is not supported in RCPs')
  if (st.NotPrincipal !== undefined) fail(`${path}/NotPrincipal`, 'NotPrincipal is not supported in RCPs')
  if (st.Principal !== undefined && st.Principal !== '*') fail(`${path}/Principal`, 'Principal must be "*" in RCPs')
  const actions = Array.isArray(st.Action) ? st.Action : [st.Action]
  if (effect === 'Deny' && actions.includes('*')) fail(`${path}/Action`, 'Action cannot be "*" in an RCP Deny statement')
}

function decodeDocument(doc: unknown, fail: Fail): unknown {
  if (typeof doc !== 'string') return doc
  try {
    return JSON.parse(doc)
  } catch (e) {
    if (/^\s*%7B/i.test(doc)) {
      try {
        return JSON.parse(decodeURIComponent(doc))
      } catch {
        // fall through to the original error
      }
    }
    return fail('', `invalid JSON: ${(e as Error).message}`)
  }
}

function parseBody(document: unknown, kind: PolicyKind): Body {
  const fail: Fail = (path, reason) => {
    throw new BodyError(path, reason)
  }
  const doc = decodeDocument(document, fail)
  if (!isObject(doc)) return fail('', 'a policy document must be a JSON object')
  for (const k of Object.keys(doc)) if (!TOP_LEVEL.has(k)) fail(`/${k}`, `unknown top-level element "${k}"`)
  let version: string | null = null
  if (doc.Version !== undefined) {
    if (typeof doc.Version !== 'string' || !VERSIONS.has(doc.Version)) fail('/Version', 'must be "2012-10-17" or "2008-10-17"')
    version = doc.Version
  }
  if (doc.Id !== undefined && typeof doc.Id !== 'string') fail('/Id', 'must be a string')
  if (doc.Statement === undefined) fail('/Statement', 'Statement is required')
  // Policy variables exist only in Version 2012-10-17 (IAM JSON policy elements: Version).
  const variables = version === '2012-10-17'
  const raw = doc.Statement
  const statements = Array.isArray(raw)
    ? raw.map((st, i) => parseStatement(st, i, `/Statement/${i}`, kind, variables, fail))
    : [parseStatement(raw, 0, '/Statement', kind, variables, fail)]
  return { version, statements }
}

class BodyError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(reason)
  }
}

type BodyResult = { ok: true; body: Body } | { ok: false; path: string; reason: string }

const byInput = new WeakMap<PolicyInput, { document: unknown; result: ParsedPolicy | PolicyParseError }>()
const byObject = new WeakMap<object, Map<PolicyKind, BodyResult>>()
const byText = new Map<string, BodyResult>()
const MAX_TEXT_CACHE = 2_000

function bodyOf(document: unknown, kind: PolicyKind): BodyResult {
  const compute = (): BodyResult => {
    try {
      return { ok: true, body: parseBody(document, kind) }
    } catch (e) {
      if (e instanceof BodyError) return { ok: false, path: e.path, reason: e.reason }
      return { ok: false, path: '', reason: `unreadable policy: ${(e as Error).message}` }
    }
  }
  if (typeof document === 'string') {
    const key = kind + '\u0000' + document
    let r = byText.get(key)
    if (r === undefined) {
      if (byText.size >= MAX_TEXT_CACHE) byText.clear()
      r = compute()
      byText.set(key, r)
    }
    return r
  }
  if (typeof document === 'object' && document !== null) {
    let perKind = byObject.get(document)
    if (perKind === undefined) {
      perKind = new Map()
      byObject.set(document, perKind)
    }
    let r = perKind.get(kind)
    if (r === undefined) {
      r = compute()
      perKind.set(kind, r)
    }
    return r
  }
  return compute()
}

function build(input: PolicyInput): ParsedPolicy | PolicyParseError {
  const r = bodyOf(input.document, input.kind)
  if (!r.ok) return new PolicyParseError({ policyKind: input.kind, policyId: input.id, path: r.path, reason: r.reason })
  const p: ParsedPolicy = { parsed: true, kind: input.kind, id: input.id, version: r.body.version, statements: r.body.statements }
  if (input.name !== undefined) p.name = input.name
  return p
}

/** Parses (or returns the cached parse of) a policy. Throws PolicyParseError when malformed. */
export function parsePolicy(input: PolicyInput): ParsedPolicy {
  let hit = byInput.get(input)
  if (hit === undefined || hit.document !== input.document) {
    hit = { document: input.document, result: build(input) }
    byInput.set(input, hit)
  }
  if (hit.result instanceof PolicyParseError) throw hit.result
  // Identity and names can change on a reused input object; the body cannot.
  if (hit.result.id !== input.id || hit.result.kind !== input.kind || hit.result.name !== input.name) {
    hit = { document: input.document, result: build(input) }
    byInput.set(input, hit)
    if (hit.result instanceof PolicyParseError) throw hit.result
  }
  return hit.result
}

export function tryParsePolicy(input: PolicyInput): { ok: true; policy: ParsedPolicy } | { ok: false; error: PolicyParseErrorInfo } {
  try {
    return { ok: true, policy: parsePolicy(input) }
  } catch (e) {
    if (e instanceof PolicyParseError) return { ok: false, error: e.info }
    throw e
  }
}

export function isParsedPolicy(p: unknown): p is ParsedPolicy {
  return isObject(p) && p.parsed === true && Array.isArray(p.statements)
}
