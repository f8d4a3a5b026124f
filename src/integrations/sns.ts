/**
 * Amazon SNS HTTP(S) deliveries: parsing, signature verification, and what an
 * AWS Backup notification means.
 *
 * Verification follows "Verifying the signatures of Amazon SNS messages"
 * (docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html):
 *  - the string to sign is `Key\nValue\n` for a fixed, ordered field list:
 *    Notification: Message, MessageId, Subject (only when present), Timestamp,
 *    TopicArn, Type; SubscriptionConfirmation and UnsubscribeConfirmation:
 *    Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type;
 *  - SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA, the signature base64;
 *  - the certificate comes from `SigningCertURL`, which must be an https URL on
 *    the SNS endpoint of the topic's region (`sns.<region>.amazonaws.com`): an
 *    attacker who can choose the certificate host can sign anything. Certificates
 *    are cached by URL.
 * A subscription is confirmed by GETting `SubscribeURL`, only after the signature
 * verifies and only on that same host ("Parsing message formats",
 * docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html).
 *
 * AWS Backup ("Using Amazon SNS to track AWS Backup events",
 * docs.aws.amazon.com/aws-backup/latest/devguide/sns-notifications.html) has no
 * "job failed" type for backups: a failed or expired backup arrives with
 * EventType BACKUP_JOB(_COMPLETED) and State FAILED/EXPIRED in MessageAttributes;
 * copies have COPY_JOB_FAILED. The Message is prose; the usable fields are the
 * attributes `Id`, `State`, `AccountId`. The region is taken from the TopicArn
 * (AWS Backup only notifies topics of its own account and region).
 */
import { X509Certificate, verify as cryptoVerify } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { JobType } from '../evidence/types.js'
import { isAccountId, isJobId, isRegion } from '../validate.js'
import { decideEventBridge, FAILURE_STATES, looksLikeEventBridge, type EventDecision } from './eventbridge.js'

export type SnsMessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation'

export interface SnsMessage {
  Type: SnsMessageType
  MessageId: string
  TopicArn: string
  Message: string
  Timestamp: string
  SignatureVersion: '1' | '2'
  Signature: string
  SigningCertURL: string
  Subject?: string
  SubscribeURL?: string
  Token?: string
  UnsubscribeURL?: string
  MessageAttributes?: Record<string, { Type?: string; Value?: string }>
}

const TYPES: readonly string[] = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']
const TOPIC_ARN = /^arn:aws(-[a-z]+)*:sns:([a-z0-9-]{1,25}):([0-9]{12}):[A-Za-z0-9_.-]{1,256}$/
const MESSAGE_ID = /^[A-Za-z0-9-]{1,100}$/

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export type SnsParseResult = { ok: true; message: SnsMessage; region: string; topicAccountId: string } | { ok: false; detail: string }

export function parseSnsMessage(body: unknown): SnsParseResult {
  let obj = body
  if (typeof obj === 'string') {
    try {
      obj = JSON.parse(obj)
    } catch {
      return { ok: false, detail: 'The SNS message is not JSON.' }
    }
  }
  if (!isRecord(obj)) return { ok: false, detail: 'The SNS message must be a JSON object.' }
  const str = (k: string): string | undefined => (typeof obj[k] === 'string' ? (obj[k] as string) : undefined)
  const type = str('Type')
  if (type === undefined || !TYPES.includes(type)) return { ok: false, detail: 'Unknown SNS message `Type`.' }
  for (const k of ['MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL']) {
    if (str(k) === undefined) return { ok: false, detail: `The SNS message has no \`${k}\`.` }
  }
  if (type !== 'Notification') {
    for (const k of ['SubscribeURL', 'Token']) if (str(k) === undefined) return { ok: false, detail: `The SNS message has no \`${k}\`.` }
  }
  const sv = str('SignatureVersion')
  if (sv !== '1' && sv !== '2') return { ok: false, detail: 'Unsupported SNS `SignatureVersion`.' }
  if (!MESSAGE_ID.test(str('MessageId') as string)) return { ok: false, detail: 'Invalid SNS `MessageId`.' }
  const m = TOPIC_ARN.exec(str('TopicArn') as string)
  if (m === null || !isRegion(m[2])) return { ok: false, detail: 'Invalid SNS `TopicArn`.' }
  const attrs = obj['MessageAttributes']
  if (attrs !== undefined && !isRecord(attrs)) return { ok: false, detail: 'Invalid SNS `MessageAttributes`.' }
  if (obj['Subject'] !== undefined && typeof obj['Subject'] !== 'string') return { ok: false, detail: 'Invalid SNS `Subject`.' }
  return { ok: true, message: obj as unknown as SnsMessage, region: m[2] as string, topicAccountId: m[3] as string }
}

/** The canonical string SNS signs (see the field lists above). */
export function snsStringToSign(msg: SnsMessage): string {
  const keys =
    msg.Type === 'Notification'
      ? ['Message', 'MessageId', ...(msg.Subject !== undefined ? ['Subject'] : []), 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type']
  const rec = msg as unknown as Record<string, string>
  return keys.map((k) => `${k}\n${rec[k] ?? ''}\n`).join('')
}

/** An https URL on exactly `sns.<region>.amazonaws.com` (default port, no credentials). */
export function isSnsEndpointUrl(url: string, region: string): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  return u.protocol === 'https:' && u.hostname === `sns.${region}.amazonaws.com` && u.port === '' && u.username === '' && u.password === ''
}

export type CertFetcher = (url: string) => Promise<string>

export type SnsVerifyFailure = 'bad-cert-url' | 'cert-unavailable' | 'bad-certificate' | 'bad-signature' | 'stale'
export type SnsVerifyResult = { ok: true } | { ok: false; reason: SnsVerifyFailure }

export interface SnsVerifierOptions {
  /** Fetches a PEM certificate; only ever called with URLs that passed `isSnsEndpointUrl`. */
  fetchCert?: CertFetcher
  now?: () => number
  /** Messages older than this are refused (a replay of an old signed message after its id left the dedupe cache). */
  maxAgeMs?: number
  certCacheSize?: number
}

/** Fetch a certificate over https with a timeout and a size bound. */
export const defaultCertFetcher: CertFetcher = async (url) => {
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5000) })
  if (!res.ok) throw new Error(`certificate fetch answered ${res.status}`)
  const text = await res.text()
  if (text.length > 64 * 1024) throw new Error('certificate too large')
  return text
}

export class SnsVerifier {
  private readonly fetchCert: CertFetcher
  private readonly now: () => number
  private readonly maxAgeMs: number
  /** Parsed certificates (and in-flight fetches, so a burst fetches once) by URL. */
  private readonly certs: LRUCache<string, Promise<X509Certificate>>

  constructor(opts: SnsVerifierOptions = {}) {
    this.fetchCert = opts.fetchCert ?? defaultCertFetcher
    this.now = opts.now ?? Date.now
    this.maxAgeMs = opts.maxAgeMs ?? 24 * 3600 * 1000
    this.certs = new LRUCache({ max: opts.certCacheSize ?? 32, ttl: 24 * 3600 * 1000 })
  }

  async verify(msg: SnsMessage, region: string): Promise<SnsVerifyResult> {
    if (!isSnsEndpointUrl(msg.SigningCertURL, region) || !new URL(msg.SigningCertURL).pathname.endsWith('.pem')) {
      return { ok: false, reason: 'bad-cert-url' }
    }
    const ts = Date.parse(msg.Timestamp)
    if (Number.isNaN(ts) || this.now() - ts > this.maxAgeMs) return { ok: false, reason: 'stale' }
    let cert: X509Certificate
    try {
      cert = await this.certificate(msg.SigningCertURL)
    } catch (err) {
      return { ok: false, reason: err instanceof CertificateError ? 'bad-certificate' : 'cert-unavailable' }
    }
    const validTo = Date.parse(cert.validTo)
    const validFrom = Date.parse(cert.validFrom)
    if (!(this.now() <= validTo && this.now() >= validFrom)) return { ok: false, reason: 'bad-certificate' }
    const alg = msg.SignatureVersion === '1' ? 'sha1' : 'sha256'
    const sig = Buffer.from(msg.Signature, 'base64')
    let ok = false
    try {
      ok = cryptoVerify(alg, Buffer.from(snsStringToSign(msg), 'utf8'), cert.publicKey, sig)
    } catch {
      ok = false
    }
    return ok ? { ok: true } : { ok: false, reason: 'bad-signature' }
  }

  private certificate(url: string): Promise<X509Certificate> {
    const cached = this.certs.get(url)
    if (cached) return cached
    const p = this.fetchCert(url).then((pem) => {
      try {
        return new X509Certificate(pem)
      } catch {
        throw new CertificateError()
      }
    })
    this.certs.set(url, p)
    // A failed fetch is not cached: the next message tries again.
    p.catch(() => this.certs.delete(url))
    return p
  }
}

class CertificateError extends Error {}

function attr(msg: SnsMessage, name: string): string | undefined {
  const a = msg.MessageAttributes?.[name]
  return isRecord(a) && typeof a.Value === 'string' ? a.Value : undefined
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  if (!text.startsWith('{')) return null
  try {
    const v: unknown = JSON.parse(text)
    return isRecord(v) ? v : null
  } catch {
    return null
  }
}

function jobTypeOf(eventType: string): JobType | null {
  if (eventType.startsWith('BACKUP_JOB')) return 'backup'
  if (eventType.startsWith('COPY_JOB')) return 'copy'
  if (eventType.startsWith('RESTORE_JOB')) return 'restore'
  return null
}

/** What to do with a verified AWS Backup notification. */
export function decideSnsNotification(msg: SnsMessage, region: string, topicAccountId: string): EventDecision {
  const eventId = msg.MessageId
  const eventType = attr(msg, 'EventType')?.toUpperCase()
  if (eventType === undefined) {
    // An EventBridge rule whose target is an SNS topic: the Message (which SNS
    // signs) is the whole event, so it is as trustworthy as the envelope.
    const event = parseJsonObject(msg.Message)
    if (event !== null && looksLikeEventBridge(event)) return decideEventBridge(event)
    return { kind: 'ignore', eventId, reason: 'not an AWS Backup notification' }
  }
  const jobType = jobTypeOf(eventType)
  if (jobType === null) return { kind: 'ignore', eventId, reason: 'not a job notification' }
  const state = attr(msg, 'State')?.toUpperCase() ?? (eventType.endsWith('_FAILED') ? 'FAILED' : undefined)
  if (state === undefined || !FAILURE_STATES.has(state)) return { kind: 'ignore', eventId, reason: 'not a failure' }
  const jobId = attr(msg, 'Id')
  if (!isJobId(jobId)) return { kind: 'malformed', detail: 'The notification has no valid `Id` attribute.' }
  // SNS does not sign MessageAttributes (they are not in the string to sign), so
  // a captured message could be replayed with other attributes. Tie them to the
  // signed parts: the job id the prose names ("BackupJob ID : ...") and the
  // topic's account (AWS Backup notifies only topics of the job's own account,
  // "Notification options with AWS Backup", Limitations).
  const named = /Job ID\s*:\s*([A-Za-z0-9-]+)/i.exec(msg.Message)?.[1]
  if (named !== undefined && named.toLowerCase() !== jobId.toLowerCase()) {
    return { kind: 'malformed', detail: 'The `Id` attribute does not match the job named in the signed message.' }
  }
  const accountId = attr(msg, 'AccountId') ?? topicAccountId
  if (!isAccountId(accountId) || accountId !== topicAccountId) {
    return { kind: 'malformed', detail: 'The `AccountId` attribute is not the account of the topic.' }
  }
  return { kind: 'diagnose', eventId, state, ref: { jobId, jobType, accountId, region } }
}
