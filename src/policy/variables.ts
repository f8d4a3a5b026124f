/**
 * Policy variables (IAM User Guide, "IAM policy elements: Variables and tags").
 *
 * - `${key}` is replaced by the value of `key` in the request context; key names
 *   are case-insensitive. `${key, 'default'}` uses the default when the key is
 *   absent (a doubled quote '' inside the default is one quote).
 * - `${*}`, `${?}`, `${$}` stand for the literal characters, so `${*}` matches a
 *   real asterisk instead of acting as a wildcard.
 * - Variables are only recognised in policies whose Version is "2012-10-17";
 *   in older versions `${...}` is plain text.
 * - "If AWS cannot resolve a variable this might cause the entire statement to be
 *   invalid": a variable with no value (an absent key, or a multivalued one,
 *   which cannot be a variable) makes the statement not apply — neither its Allow
 *   nor its Deny counts — unless another pattern of the same Resource element
 *   already matched. The key is reported as missing.
 */
import type { PatternPart } from './wildcard.js'
import type { ContextLookup } from './context-lookup.js'

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'var'; key: string; keyLower: string; default: string | null }

export interface Template {
  raw: string
  parts: TemplatePart[]
}

const VAR_RE = /\$\{([^}]*)\}/g
const DEFAULT_RE = /^\s*([^,\s]+)\s*,\s*'((?:[^']|'')*)'\s*$/

/** Returns a Template when `raw` contains variables, otherwise null (plain string). */
export function parseTemplate(raw: string): Template | null {
  if (!raw.includes('${')) return null
  const parts: TemplatePart[] = []
  let last = 0
  let any = false
  for (const m of raw.matchAll(VAR_RE)) {
    const body = m[1] as string
    const at = m.index
    let part: TemplatePart | null = null
    if (body === '*' || body === '?' || body === '$') part = { kind: 'literal', text: body }
    else {
      const d = DEFAULT_RE.exec(body)
      if (d !== null) {
        const key = d[1] as string
        part = { kind: 'var', key, keyLower: key.toLowerCase(), default: (d[2] as string).replace(/''/g, "'") }
      } else if (/^\s*[^\s,']+\s*$/.test(body)) {
        const key = body.trim()
        part = { kind: 'var', key, keyLower: key.toLowerCase(), default: null }
      }
    }
    if (part === null) continue // not a well-formed variable: stays plain text
    any = true
    if (at > last) parts.push({ kind: 'text', text: raw.slice(last, at) })
    parts.push(part)
    last = at + m[0].length
  }
  if (!any) return null
  if (last < raw.length) parts.push({ kind: 'text', text: raw.slice(last) })
  return { raw, parts }
}

/**
 * Resolves a template into pattern parts (variable values and escapes literal).
 * Returns null when a variable has no value; its key is pushed to `missing`.
 */
export function resolveTemplate(t: Template, ctx: ContextLookup, missing: string[]): PatternPart[] | null {
  const out: PatternPart[] = []
  let ok = true
  for (const p of t.parts) {
    if (p.kind === 'text') out.push({ text: p.text, literal: false })
    else if (p.kind === 'literal') out.push({ text: p.text, literal: true })
    else {
      const v = ctx.get(p.keyLower)
      if (v !== undefined && v.length === 1) out.push({ text: v[0] as string, literal: true })
      else if (p.default !== null) out.push({ text: p.default, literal: true })
      else {
        missing.push(p.key)
        ok = false
      }
    }
  }
  return ok ? out : null
}

export function partsToString(parts: readonly PatternPart[]): string {
  let s = ''
  for (const p of parts) s += p.text
  return s
}
