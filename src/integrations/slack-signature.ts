/**
 * Verification of Slack request signatures.
 *
 * Slack signs every slash-command request: `X-Slack-Signature` is `v0=` plus the
 * hex HMAC-SHA256, keyed with the app's signing secret, of
 * `v0:{X-Slack-Request-Timestamp}:{raw request body}`. Slack's guide
 * ("Verifying requests from Slack", api.slack.com/authentication/verifying-requests-from-slack)
 * asks to reject timestamps more than five minutes away from now (replay
 * protection) and to compare signatures in constant time. We also remember
 * every signature accepted within that window and refuse to accept it twice:
 * a captured request replayed within five minutes would otherwise pass.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { LRUCache } from 'lru-cache'

/** Slack's documented tolerance. */
export const SLACK_MAX_SKEW_SECONDS = 5 * 60

export type SlackSignatureFailure = 'missing-headers' | 'bad-timestamp' | 'stale' | 'bad-signature' | 'replayed'

export type SlackSignatureResult = { ok: true } | { ok: false; reason: SlackSignatureFailure }

export function computeSlackSignature(secret: string, timestamp: string, rawBody: string): string {
  return 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`, 'utf8').digest('hex')
}

const SIGNATURE = /^v0=[0-9a-f]{64}$/
const TIMESTAMP = /^[0-9]{1,12}$/

export interface SlackVerifierOptions {
  signingSecret: string
  /** Seconds since the epoch; injectable for tests. */
  now?: () => number
  /** How many recent signatures to remember (bounded; the window is 10 minutes wide). */
  replayCacheSize?: number
}

export class SlackVerifier {
  private readonly secret: string
  private readonly now: () => number
  private readonly seen: LRUCache<string, true>

  constructor(opts: SlackVerifierOptions) {
    this.secret = opts.signingSecret
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000))
    this.seen = new LRUCache<string, true>({ max: opts.replayCacheSize ?? 10_000, ttl: 2 * SLACK_MAX_SKEW_SECONDS * 1000 })
  }

  verify(headers: { timestamp: string | undefined; signature: string | undefined }, rawBody: string): SlackSignatureResult {
    const { timestamp, signature } = headers
    if (timestamp === undefined || signature === undefined) return { ok: false, reason: 'missing-headers' }
    if (!TIMESTAMP.test(timestamp)) return { ok: false, reason: 'bad-timestamp' }
    if (Math.abs(this.now() - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS) return { ok: false, reason: 'stale' }
    if (!SIGNATURE.test(signature)) return { ok: false, reason: 'bad-signature' }
    const expected = Buffer.from(computeSlackSignature(this.secret, timestamp, rawBody), 'utf8')
    const given = Buffer.from(signature, 'utf8')
    // Both are `v0=` + 64 hex digits here, so the lengths are equal as timingSafeEqual requires.
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad-signature' }
    // Only a signature that verified is remembered: junk cannot fill the cache with
    // entries that push out real ones. A request outside the window is already
    // refused as stale, so entries need not outlive it.
    if (this.seen.has(signature)) return { ok: false, reason: 'replayed' }
    this.seen.set(signature, true)
    return { ok: true }
  }
}
