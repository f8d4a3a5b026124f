/**
 * The one error catalogue (STYLE.md convention 8). Every error the service can
 * answer with is an `AppError` with a stable `code`, an HTTP status and a title;
 * the single error handler (src/plugins/errors.ts) turns them into RFC 9457
 * application/problem+json. 5xx details never carry internals.
 */

export interface ProblemSpec {
  status: number
  title: string
}

export const ERROR_CATALOGUE = {
  BAD_REQUEST: { status: 400, title: 'Malformed request' },
  UNAUTHORIZED: { status: 401, title: 'Missing or invalid credentials' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  JOB_NOT_FOUND: { status: 404, title: 'Job not found' },
  NOT_ACCEPTABLE: { status: 406, title: 'Not acceptable' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal error' },
  AWS_BAD_RESPONSE: { status: 502, title: 'AWS answered in a way the service cannot use' },
  AWS_THROTTLED: { status: 503, title: 'AWS throttled the service past its retries' },
  NOT_CONFIGURED: { status: 503, title: 'Not configured' },
  NOT_READY: { status: 503, title: 'Not ready' },
  AWS_TIMEOUT: { status: 504, title: 'AWS did not answer in time' },
} as const satisfies Record<string, ProblemSpec>

export type ErrorCode = keyof typeof ERROR_CATALOGUE

/** RFC 9457 `type`: a stable URI per code (documented in docs/operations.md). */
export function problemType(code: string): string {
  return `https://backup-doctor.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`
}

/**
 * The `detail` of 5xx answers: fixed sentences, so that an AWS message, an ARN or a
 * stack never leaks through a server error (the real cause goes to the log).
 */
export const SERVER_ERROR_DETAIL: Record<number, string> = {
  500: 'The service failed to handle the request. The request id identifies it in the logs.',
  502: 'AWS answered with something the service could not use. Retry later; the request id identifies it in the logs.',
  503: 'The service cannot answer right now. Retry after the delay given in Retry-After.',
  504: 'AWS did not answer in time. Retry later; the request id identifies it in the logs.',
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly title: string
  /** Seconds, for 429/503. */
  readonly retryAfter?: number
  /** Extra members for the problem document (never internals). */
  readonly extra?: Record<string, unknown>

  constructor(code: ErrorCode, detail: string, opts: { retryAfter?: number; extra?: Record<string, unknown>; cause?: unknown } = {}) {
    super(detail, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'AppError'
    this.code = code
    this.status = ERROR_CATALOGUE[code].status
    this.title = ERROR_CATALOGUE[code].title
    if (opts.retryAfter !== undefined) this.retryAfter = opts.retryAfter
    if (opts.extra !== undefined) this.extra = opts.extra
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}
