/** Value parsers shared by the numeric, date and IP operators. */

/** IAM numeric condition values: integers or decimals, optionally signed. */
export function parseNumber(s: string): number | null {
  if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s)) return null
  return Number(s)
}

/**
 * Date condition values: "a W3C implementation of the ISO 8601 date formats" or
 * epoch (UNIX) time in seconds (IAM User Guide, Condition operators, Date
 * condition operators). Returns epoch milliseconds.
 */
export function parseDate(s: string): number | null {
  const t = s.trim()
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t) * 1000
  if (!/^\d{4}-\d{2}(-\d{2})?/.test(t)) return null
  const ms = Date.parse(t)
  return Number.isNaN(ms) ? null : ms
}

export interface IpRange {
  v6: boolean
  bytes: number[]
  prefix: number
}

function parseV4(s: string): number[] | null {
  const parts = s.split('.')
  if (parts.length !== 4) return null
  const out: number[] = []
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null
    const n = Number(p)
    if (n > 255) return null
    out.push(n)
  }
  return out
}

function parseV6(s: string): number[] | null {
  let head = s
  let v4tail: number[] = []
  const lastColon = s.lastIndexOf(':')
  if (s.includes('.')) {
    // An embedded IPv4 tail ("::ffff:192.0.2.1") fills the last 32 bits.
    const v4 = parseV4(s.slice(lastColon + 1))
    if (v4 === null) return null
    v4tail = v4
    const before = s.slice(0, lastColon + 1)
    head = before.endsWith('::') ? before : s.slice(0, lastColon)
  }
  const dbl = head.split('::')
  if (dbl.length > 2) return null
  const groupsOf = (x: string): number[] | null => {
    if (x === '') return []
    const out: number[] = []
    for (const g of x.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null
      const n = parseInt(g, 16)
      out.push(n >> 8, n & 0xff)
    }
    return out
  }
  const want = 16 - v4tail.length
  const left = groupsOf(dbl[0] as string)
  if (left === null) return null
  if (dbl.length === 1) {
    if (left.length !== want) return null
    return [...left, ...v4tail]
  }
  const right = groupsOf(dbl[1] as string)
  if (right === null || left.length + right.length > want - 2) return null
  return [...left, ...new Array<number>(want - left.length - right.length).fill(0), ...right, ...v4tail]
}

/** Parses "203.0.113.0/24", "203.0.113.7", "2001:db8::/32" (RFC 4632 / RFC 4291 notation). */
export function parseIpRange(s: string): IpRange | null {
  const t = s.trim()
  const slash = t.indexOf('/')
  const addr = slash < 0 ? t : t.slice(0, slash)
  const v6 = addr.includes(':')
  const bytes = v6 ? parseV6(addr) : parseV4(addr)
  if (bytes === null) return null
  const max = v6 ? 128 : 32
  let prefix = max
  if (slash >= 0) {
    const p = t.slice(slash + 1)
    if (!/^\d{1,3}$/.test(p)) return null
    prefix = Number(p)
    if (prefix > max) return null
  }
  return { v6, bytes, prefix }
}

export function ipInRange(ip: IpRange, range: IpRange): boolean {
  if (ip.v6 !== range.v6) return false
  let bits = range.prefix
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff
    if (((ip.bytes[i] as number) & mask) !== ((range.bytes[i] as number) & mask)) return false
  }
  return true
}
