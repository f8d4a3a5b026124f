/**
 * Wildcard matching as IAM does it: `*` matches any run of characters (also none),
 * `?` exactly one character. Patterns are compiled once and cached, because the
 * same few hundred patterns are matched against every request of a diagnosis.
 *
 * Case rules (IAM JSON policy elements: Action, Resource; Condition operators):
 * action names are case-insensitive, ARNs and StringLike values are case-sensitive.
 */

/** A piece of a pattern after policy-variable substitution: `literal` text never acts as a wildcard (`${*}`, variable values). */
export interface PatternPart {
  text: string
  literal: boolean
}

const cache = new Map<string, RegExp>()
const MAX_CACHE = 20_000

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
}

function globSource(pattern: string): string {
  let out = ''
  for (const ch of pattern) {
    if (ch === '*') out += '.*'
    else if (ch === '?') out += '.'
    else out += escapeRegex(ch)
  }
  return out
}

function remember(key: string, build: () => RegExp): RegExp {
  let re = cache.get(key)
  if (re === undefined) {
    if (cache.size >= MAX_CACHE) cache.clear()
    re = build()
    cache.set(key, re)
  }
  return re
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?')
}

/** Case-sensitive glob match of a whole string. */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true
  if (!hasWildcard(pattern)) return pattern === value
  return remember('s' + pattern, () => new RegExp('^' + globSource(pattern) + '$', 's')).test(value)
}

/** Case-insensitive glob match of a whole string (action names, StringLike has no such variant). */
export function globMatchIgnoreCase(pattern: string, value: string): boolean {
  if (pattern === '*') return true
  if (!hasWildcard(pattern)) return pattern.toLowerCase() === value.toLowerCase()
  return remember('i' + pattern, () => new RegExp('^' + globSource(pattern) + '$', 'is')).test(value)
}

/** Glob match where some parts are literal (resolved policy variables, `${*}` escapes). */
export function globMatchParts(parts: readonly PatternPart[], value: string): boolean {
  let key = 'p'
  for (const p of parts) key += (p.literal ? '\u0001' : '\u0002') + p.text
  const re = remember(key, () => {
    let src = ''
    for (const p of parts) src += p.literal ? escapeRegex(p.text) : globSource(p.text)
    return new RegExp('^' + src + '$', 's')
  })
  return re.test(value)
}

/**
 * Splits an ARN into its six colon-separated components; the sixth (resource)
 * keeps any further colons. Returns null for a string with fewer than six.
 */
export function splitArn(arn: string): string[] | null {
  const out: string[] = []
  let start = 0
  for (let i = 0; i < 5; i++) {
    const at = arn.indexOf(':', start)
    if (at < 0) return null
    out.push(arn.slice(start, at))
    start = at + 1
  }
  out.push(arn.slice(start))
  return out
}

/**
 * ARN matching for the Resource element and the Arn* condition operators.
 * "Each of the six colon-delimited components of the ARN is checked separately
 * and each can include multi-character match wildcards (*) or single-character
 * match wildcards (?)" (IAM JSON policy elements: Condition operators, ARN
 * condition operators). A pattern with fewer than six components (e.g. a bare
 * "*") is matched against the whole string.
 */
export function arnMatch(pattern: string, arn: string): boolean {
  if (pattern === '*') return true
  if (!hasWildcard(pattern)) return pattern === arn
  const p = splitArn(pattern)
  if (p === null) return globMatch(pattern, arn)
  const a = splitArn(arn)
  if (a === null) return false
  for (let i = 0; i < 6; i++) {
    if (!globMatch(p[i] as string, a[i] as string)) return false
  }
  return true
}

/** ARN matching for patterns with literal parts (policy variables). */
export function arnMatchParts(parts: readonly PatternPart[], arn: string): boolean {
  // Split the pattern into its six components on the colons of non-literal text only.
  const comps: PatternPart[][] = [[]]
  for (const part of parts) {
    if (part.literal || comps.length === 6) {
      ;(comps[comps.length - 1] as PatternPart[]).push(part)
      continue
    }
    let rest = part.text
    for (;;) {
      const at = comps.length < 6 ? rest.indexOf(':') : -1
      if (at < 0) {
        ;(comps[comps.length - 1] as PatternPart[]).push({ text: rest, literal: false })
        break
      }
      ;(comps[comps.length - 1] as PatternPart[]).push({ text: rest.slice(0, at), literal: false })
      comps.push([])
      rest = rest.slice(at + 1)
    }
  }
  if (comps.length < 6) return globMatchParts(parts, arn)
  const a = splitArn(arn)
  if (a === null) return false
  for (let i = 0; i < 6; i++) {
    if (!globMatchParts(comps[i] as PatternPart[], a[i] as string)) return false
  }
  return true
}

/** A compiled matcher: patterns are compiled once at parse time, not per request. */
export type Matcher = (value: string) => boolean

const compiled = new Map<string, Matcher>()

function memo(key: string, build: () => Matcher): Matcher {
  let m = compiled.get(key)
  if (m === undefined) {
    if (compiled.size >= MAX_CACHE) compiled.clear()
    m = build()
    compiled.set(key, m)
  }
  return m
}

/** Compiles a case-insensitive glob (action names). */
export function compileGlobIgnoreCase(pattern: string): Matcher {
  return memo('i' + pattern, () => buildGlobIgnoreCase(pattern))
}

function buildGlobIgnoreCase(pattern: string): Matcher {
  if (pattern === '*') return () => true
  if (!hasWildcard(pattern)) {
    const low = pattern.toLowerCase()
    return (v) => v.toLowerCase() === low
  }
  const re = new RegExp('^' + globSource(pattern) + '$', 'is')
  return (v) => re.test(v)
}

/**
 * Compiles an ARN pattern into one regular expression equivalent to arnMatch():
 * in the first five components a wildcard cannot cross a colon, in the sixth
 * (resource) component it can.
 */
export function compileArnPattern(pattern: string): Matcher {
  return memo('a' + pattern, () => buildArnPattern(pattern))
}

function buildArnPattern(pattern: string): Matcher {
  if (pattern === '*') return () => true
  if (!hasWildcard(pattern)) return (v) => v === pattern
  const comps = splitArn(pattern)
  if (comps === null) {
    const re = new RegExp('^' + globSource(pattern) + '$', 's')
    return (v) => re.test(v)
  }
  let src = '^'
  for (let i = 0; i < 5; i++) {
    for (const ch of comps[i] as string) src += ch === '*' ? '[^:]*' : ch === '?' ? '[^:]' : escapeRegex(ch)
    src += ':'
  }
  src += globSource(comps[5] as string) + '$'
  const re = new RegExp(src, 's')
  return (v) => re.test(v)
}
