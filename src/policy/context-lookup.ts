/**
 * Case-insensitive view of a request context. "Condition key names are not
 * case-sensitive" (IAM JSON policy elements: Condition), tag keys included
 * (`aws:PrincipalTag/Team` = `aws:principaltag/team`). Values are normalised to
 * string lists once per context object: booleans become "true"/"false", numbers
 * their decimal form. Built once per evaluation (never cached across calls, so a
 * caller may reuse and mutate its context objects).
 */
import type { RequestContext } from './types.js'

export interface ContextLookup {
  /** Values of a key (lowercase name), or undefined when the key is absent. */
  get(keyLower: string): readonly string[] | undefined
}

function toStrings(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x))
  return [String(v)]
}

export function lookupFor(ctx: RequestContext): ContextLookup {
  const map = new Map<string, string[]>()
  for (const k in ctx) {
    const v = ctx[k]
    if (v === undefined || v === null) continue
    map.set(k.toLowerCase(), toStrings(v))
  }
  return { get: (k) => map.get(k) }
}
