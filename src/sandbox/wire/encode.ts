/**
 * Encoders for the three wire protocols' bodies. Handlers return plain values
 * with `Date`s; the protocol decides how a date travels: epoch seconds in
 * restJson1 and awsJson1_1, RFC 3339 in awsQuery XML
 * (https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html,
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html).
 */

/** Deep copy with every Date replaced by epoch seconds (fractions kept). */
export function toEpochJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000
  if (Array.isArray(value)) return value.map(toEpochJson)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toEpochJson(v)
    return out
  }
  return value
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
}

/**
 * awsQuery XML for a value: structures become elements named after their
 * members, lists wrap each item in <member>, dates are RFC 3339 (ISO 8601 UTC).
 */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('')
  if (typeof value === 'object') {
    let out = ''
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue
      out += `<${k}>${toXml(v)}</${k}>`
    }
    return out
  }
  return escapeXml(String(value))
}

/**
 * Opaque pagination tokens: the offset into the filtered list plus a hash of
 * the filters, so a token replayed with other filters is refused as AWS does.
 */
export function encodeToken(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: scope })).toString('base64url')
}

export function decodeToken(token: string, scope: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; s?: unknown }
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.s === scope) return parsed.o
  } catch {
    // fall through: not one of ours
  }
  return undefined
}
