/**
 * Content negotiation for routes that offer several representations
 * (RFC 9110 §12.5.1): the offer with the highest q-value the Accept header gives,
 * ties broken by the route's order of preference. No Accept header = the first offer.
 * Nothing acceptable → 406 problem.
 */
import { AppError } from '../errors.js'

interface Range {
  type: string
  subtype: string
  q: number
  specificity: number
}

function parseAccept(header: string): Range[] {
  const ranges: Range[] = []
  for (const part of header.split(',').slice(0, 32)) {
    const [mediaRaw, ...params] = part.trim().split(';')
    const media = (mediaRaw ?? '').trim().toLowerCase()
    const m = /^([a-z0-9!#$&^_.+-]+|\*)\/([a-z0-9!#$&^_.+-]+|\*)$/.exec(media)
    if (!m) continue
    let q = 1
    for (const p of params) {
      const [k, v] = p.trim().split('=')
      if (k?.trim().toLowerCase() === 'q' && v !== undefined) {
        const n = Number(v.trim())
        if (Number.isFinite(n)) q = Math.min(1, Math.max(0, n))
      }
    }
    const type = m[1] as string
    const subtype = m[2] as string
    ranges.push({ type, subtype, q, specificity: (type === '*' ? 0 : 1) + (subtype === '*' ? 0 : 1) })
  }
  return ranges
}

/** The offer to serve, or null when none is acceptable. */
export function negotiate(accept: string | undefined, offers: readonly string[]): string | null {
  if (accept === undefined || accept.trim() === '') return offers[0] ?? null
  const ranges = parseAccept(accept)
  if (ranges.length === 0) return null
  let best: { offer: string; q: number } | null = null
  for (const offer of offers) {
    const [type, subtype] = offer.split('/')
    // The most specific range that matches the offer decides its q (RFC 9110 §12.5.1).
    let match: Range | null = null
    for (const r of ranges) {
      if ((r.type === type || r.type === '*') && (r.subtype === subtype || r.subtype === '*')) {
        if (match === null || r.specificity > match.specificity) match = r
      }
    }
    if (match !== null && match.q > 0 && (best === null || match.q > best.q)) best = { offer, q: match.q }
  }
  return best?.offer ?? null
}

/** Like negotiate, but a 406 problem when nothing fits. */
export function negotiateOrThrow(accept: string | undefined, offers: readonly string[]): string {
  const chosen = negotiate(accept, offers)
  if (chosen === null) throw new AppError('NOT_ACCEPTABLE', `This resource is available as ${offers.join(' or ')}`)
  return chosen
}
