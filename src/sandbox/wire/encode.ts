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

/**
 * XML text escaping as AWS does it: markup characters as entities, and CR/LF/TAB
 * as character references so XML end-of-line normalisation cannot alter them.
 * Characters XML 1.0 cannot carry at all (other C0 controls) are dropped.
 */
export function escapeXml(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>"'\r\n\t]/g, (c) => XML_ESCAPES[c]!)
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;', '\n': '&#xA;', '\t': '&#x9;',
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
