/**
 * Configuration: the ONLY module that reads the environment (STYLE.md convention 9).
 * `loadConfig(env)` validates every variable once at start-up and returns a frozen
 * object that is passed in to everything else; on bad input it throws a
 * `ConfigError` whose message lists every variable to fix, so the service refuses
 * to start instead of failing on the first request.
 *
 * The variables of ../shared/contract/api.md keep their names and defaults; the
 * `BACKUP_DOCTOR_*` knobs below them are operational and optional.
 */
import { isRegion } from './validate.js'

export interface Config {
  readonly port: number
  readonly host: string
  /** Region used when a request names none (AWS_REGION). */
  readonly defaultRegion: string
  /** AWS_ENDPOINT_URL: every AWS call goes there (the sandbox); null = AWS itself. */
  readonly awsEndpointUrl: string | null
  readonly auth: Readonly<{ enabled: boolean; apiKeys: readonly string[] }>
  readonly slack: Readonly<{
    signingSecret: string | null
    webhookUrl: string | null
    /** Where slash-command verdicts may be posted (response_url prefixes). */
    responseUrlPrefixes: readonly string[]
  }>
  /** BACKUP_DOCTOR_SNS_TOPIC_ARNS: SNS topics /v1/events accepts; null = any topic whose message signature verifies. */
  readonly snsTopicArns: readonly string[] | null
  /** Role assumed in each account a diagnosis reads (BACKUP_DOCTOR_READER_ROLE). */
  readonly readerRoleName: string
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  readonly rateLimit: Readonly<{ max: number; windowMs: number }>
  /** Largest request body accepted (bytes): diagnosis requests are a few hundred bytes. */
  readonly bodyLimitBytes: number
  /** Whole-request deadline enforced by Node's HTTP server (receiving the request). */
  readonly requestTimeoutMs: number
  /** Idle socket timeout. */
  readonly connectionTimeoutMs: number
  readonly aws: Readonly<{
    /** Per AWS call (each attempt), before the SDK gives up on it. */
    callTimeoutMs: number
    /** SDK attempts per call (standard retry mode). */
    maxAttempts: number
    /** Overall budget of one diagnosis; pending evidence becomes a gap after it. */
    diagnosisDeadlineMs: number
  }>
  /** How long a readiness answer (own AWS credentials) is reused. */
  readonly readinessCacheMs: number
  /** Trust X-Forwarded-For (behind a load balancer), so per-IP limits see the client. */
  readonly trustProxy: boolean
  /** Public base URL of this service (links in Slack messages); null = unknown. */
  readonly publicUrl: string | null
}

export class ConfigError extends Error {
  readonly problems: readonly string[]
  constructor(problems: string[]) {
    super(`Invalid configuration; set:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

export type Env = Readonly<Record<string, string | undefined>>

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** The reader role name becomes part of an ARN: IAM role names are [\w+=,.@-]{1,64}. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/

export function loadConfig(env: Env): Config {
  const problems: string[] = []
  const get = (name: string): string | undefined => {
    const v = env[name]
    return v === undefined || v.trim() === '' ? undefined : v.trim()
  }
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = get(name)
    if (raw === undefined) return def
    const n = Number(raw)
    if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
      problems.push(`${name}: an integer from ${min} to ${max} (got "${raw}")`)
      return def
    }
    return n
  }
  const url = (name: string, protocols: string[]): string | null => {
    const raw = get(name)
    if (raw === undefined) return null
    try {
      const u = new URL(raw)
      if (!protocols.includes(u.protocol)) throw new Error('protocol')
      return raw
    } catch {
      problems.push(`${name}: an ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL (got an invalid value)`)
      return null
    }
  }

  const port = int('PORT', 3000, 0, 65535)
  const host = get('HOST') ?? '127.0.0.1'

  const defaultRegion = get('AWS_REGION') ?? 'us-east-1'
  // A region becomes part of a hostname (backup.<region>.amazonaws.com): validate it here too.
  if (!isRegion(defaultRegion)) problems.push(`AWS_REGION: an AWS region name such as us-east-1 (got "${defaultRegion}")`)

  const awsEndpointUrl = url('AWS_ENDPOINT_URL', ['http:', 'https:'])

  const authRaw = (get('BACKUP_DOCTOR_AUTH') ?? 'on').toLowerCase()
  if (authRaw !== 'on' && authRaw !== 'off') problems.push(`BACKUP_DOCTOR_AUTH: "on" or "off" (got "${authRaw}")`)
  const authEnabled = authRaw !== 'off'
  const apiKeys = (get('BACKUP_DOCTOR_API_KEYS') ?? '').split(',').map((k) => k.trim()).filter((k) => k.length > 0)
  if (authEnabled && apiKeys.length === 0) {
    problems.push('BACKUP_DOCTOR_API_KEYS: comma-separated bearer tokens accepted by /v1/* (or BACKUP_DOCTOR_AUTH=off for local use)')
  }
  for (const k of apiKeys) {
    // Keys travel in an HTTP header: printable ASCII without spaces only.
    if (!/^[\x21-\x7e]+$/.test(k) || k.length > 512) {
      problems.push('BACKUP_DOCTOR_API_KEYS: each key printable ASCII without spaces, at most 512 characters')
      break
    }
  }

  // A slash command's response_url is attacker-influenced input: verdicts are posted only under these prefixes.
  const responseUrlPrefixes = (get('BACKUP_DOCTOR_SLACK_RESPONSE_URL_PREFIXES') ?? 'https://hooks.slack.com/')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
  for (const p of responseUrlPrefixes) {
    let ok = false
    try {
      const u = new URL(p)
      ok = (u.protocol === 'https:' || (u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost'))) && p.endsWith('/')
    } catch {
      ok = false
    }
    if (!ok) {
      problems.push('BACKUP_DOCTOR_SLACK_RESPONSE_URL_PREFIXES: https URL prefixes ending in "/" (http only for 127.0.0.1/localhost)')
      break
    }
  }

  // SNS deliveries are accepted on their signature alone: a signed message from ANY topic verifies.
  // Naming the topics here restricts /v1/events to them (recommended in production).
  const snsTopicArns = (get('BACKUP_DOCTOR_SNS_TOPIC_ARNS') ?? '').split(',').map((a) => a.trim()).filter((a) => a.length > 0)
  for (const a of snsTopicArns) {
    if (!/^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-[0-9]{1,2}:[0-9]{12}:[A-Za-z0-9_-]{1,256}$/.test(a)) {
      problems.push(`BACKUP_DOCTOR_SNS_TOPIC_ARNS: comma-separated SNS topic ARNs (got "${a}")`)
      break
    }
  }

  const readerRoleName = get('BACKUP_DOCTOR_READER_ROLE') ?? 'BackupDoctorReadOnly'
  if (!ROLE_NAME.test(readerRoleName)) problems.push(`BACKUP_DOCTOR_READER_ROLE: an IAM role name ([A-Za-z0-9+=,.@_-], 1-64 characters)`)

  const logLevel = (get('LOG_LEVEL') ?? 'info').toLowerCase()
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(`LOG_LEVEL: one of ${LOG_LEVELS.join(', ')}`)

  const config: Config = {
    port,
    host,
    defaultRegion,
    awsEndpointUrl,
    auth: Object.freeze({ enabled: authEnabled, apiKeys: Object.freeze(apiKeys) }),
    slack: Object.freeze({
      signingSecret: get('SLACK_SIGNING_SECRET') ?? null,
      webhookUrl: url('SLACK_WEBHOOK_URL', ['https:', 'http:']),
      responseUrlPrefixes: Object.freeze(responseUrlPrefixes),
    }),
    snsTopicArns: snsTopicArns.length > 0 ? Object.freeze(snsTopicArns) : null,
    readerRoleName,
    logLevel: logLevel as Config['logLevel'],
    rateLimit: Object.freeze({
      max: int('BACKUP_DOCTOR_RATE_LIMIT', 60, 1, 1_000_000),
      windowMs: int('BACKUP_DOCTOR_RATE_WINDOW_MS', 60_000, 1_000, 3_600_000),
    }),
    bodyLimitBytes: int('BACKUP_DOCTOR_BODY_LIMIT', 16_384, 256, 1_048_576),
    requestTimeoutMs: int('BACKUP_DOCTOR_REQUEST_TIMEOUT_MS', 60_000, 1_000, 600_000),
    connectionTimeoutMs: int('BACKUP_DOCTOR_CONNECTION_TIMEOUT_MS', 75_000, 1_000, 600_000),
    aws: Object.freeze({
      callTimeoutMs: int('BACKUP_DOCTOR_AWS_CALL_TIMEOUT_MS', 5_000, 50, 120_000),
      maxAttempts: int('BACKUP_DOCTOR_AWS_MAX_ATTEMPTS', 3, 1, 10),
      diagnosisDeadlineMs: int('BACKUP_DOCTOR_DIAGNOSIS_DEADLINE_MS', 20_000, 100, 300_000),
    }),
    readinessCacheMs: int('BACKUP_DOCTOR_READINESS_CACHE_MS', 30_000, 0, 3_600_000),
    trustProxy: (get('BACKUP_DOCTOR_TRUST_PROXY') ?? 'false').toLowerCase() === 'true',
    publicUrl: url('BACKUP_DOCTOR_PUBLIC_URL', ['https:', 'http:']),
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze(config)
}

/** What may be logged about a configuration: no keys, secrets or webhook URLs. */
export function describeConfig(c: Config): Record<string, unknown> {
  return {
    port: c.port,
    host: c.host,
    defaultRegion: c.defaultRegion,
    awsEndpointUrl: c.awsEndpointUrl,
    auth: c.auth.enabled ? `on (${c.auth.apiKeys.length} key${c.auth.apiKeys.length === 1 ? '' : 's'})` : 'off',
    slack: { signingSecret: c.slack.signingSecret === null ? 'unset' : 'set', webhookUrl: c.slack.webhookUrl === null ? 'unset' : 'set' },
    readerRoleName: c.readerRoleName,
    rateLimit: c.rateLimit,
    aws: c.aws,
  }
}
