/**
 * SDK exceptions classified once (STYLE.md convention 6). Every AWS call of the
 * service goes through `AwsContext.call`, which rethrows failures as
 * `AwsCallError` carrying the SDK error name, the call and one of six classes.
 * Evidence collection turns the class into an item state (not-found → absent,
 * anything else → unreadable); only the job read maps classes to HTTP errors.
 *
 * Names come from the SDK: modelled errors keep their shape name
 * (`NoSuchEntityException`, `ResourceNotFoundException`...), unmodelled ones the
 * wire code (`AccessDenied`, `Throttling`). See
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/handling-exceptions.html
 */
import type { AwsErrorClass } from '../evidence/types.js'

export type { AwsErrorClass }

const NOT_FOUND = new Set([
  'NoSuchEntity', 'NoSuchEntityException', 'ResourceNotFoundException', 'NotFoundException',
  'AccountNotFoundException', 'PolicyNotFoundException', 'ChildNotFoundException', 'TargetNotFoundException',
  'ParentNotFoundException', 'OrganizationalUnitNotFoundException', 'RootNotFoundException',
  // Outside an organization DescribeOrganization answers this: a fact ("not in an organization"), not a failure.
  'AWSOrganizationsNotInUseException',
])
const ACCESS_DENIED = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException',
  'AuthorizationError', 'NotAuthorized', 'InvalidClientTokenId', 'UnrecognizedClientException',
  'ExpiredToken', 'ExpiredTokenException', 'SignatureDoesNotMatch', 'IncompleteSignature',
  'CredentialsProviderError', 'RegionDisabledException',
])
// Throttling codes the SDK's own retry strategy treats as throttling (@smithy/service-error-classification).
const THROTTLED = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestThrottled',
  'RequestThrottledException', 'RequestLimitExceeded', 'BandwidthLimitExceeded', 'SlowDown',
  'ProvisionedThroughputExceededException', 'TransactionInProgressException', 'PriorRequestNotComplete',
  'EC2ThrottledException',
])
const TIMEOUT = new Set([
  'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError', 'DeadlineExceeded',
  'ETIMEDOUT', 'ESOCKETTIMEDOUT',
])
const INVALID = new Set([
  'ValidationException', 'ValidationError', 'InvalidParameterValueException', 'InvalidParameterException',
  'InvalidParameter', 'InvalidInputException', 'InvalidInput', 'MissingParameterValueException',
  'MalformedPolicyDocument', 'MalformedPolicyDocumentException', 'InvalidArnException', 'InvalidRequestException',
])

interface ErrorLike {
  name?: unknown
  code?: unknown
  Code?: unknown
  $metadata?: { httpStatusCode?: number; attempts?: number }
  $retryable?: { throttling?: boolean }
}

/** The SDK error name (or Node error code for network errors), never the message. */
export function awsErrorName(e: unknown): string {
  if (e instanceof AwsCallError) return e.errorName
  if (e !== null && typeof e === 'object') {
    const o = e as ErrorLike
    if (typeof o.code === 'string' && /^E[A-Z]+$/.test(o.code)) return o.code
    if (typeof o.name === 'string' && o.name !== 'Error') return o.name
    if (typeof o.Code === 'string') return o.Code
    if (typeof o.code === 'string') return o.code
  }
  return 'UnknownError'
}

export function classifyAwsError(e: unknown): AwsErrorClass {
  if (e instanceof AwsCallError) return e.errorClass
  const name = awsErrorName(e)
  if (NOT_FOUND.has(name)) return 'not-found'
  if (ACCESS_DENIED.has(name)) return 'access-denied'
  if (THROTTLED.has(name)) return 'throttled'
  if (TIMEOUT.has(name)) return 'timeout'
  if (INVALID.has(name)) return 'invalid'
  const o = (e !== null && typeof e === 'object' ? e : {}) as ErrorLike
  if (o.$retryable?.throttling === true) return 'throttled'
  switch (o.$metadata?.httpStatusCode) {
    case 404: return 'not-found'
    case 403: return 'access-denied'
    case 429: return 'throttled'
    case 408: case 504: return 'timeout'
    default: return 'unknown'
  }
}

/** One failed AWS call, classified. `message` is AWS's message (no credentials ever appear in it). */
export class AwsCallError extends Error {
  readonly errorName: string
  readonly errorClass: AwsErrorClass
  readonly service: string
  readonly operation: string
  readonly httpStatus: number | undefined
  /** Attempts the SDK made (retries included), when it says. */
  readonly attempts: number | undefined

  constructor(
    init: { errorName: string; errorClass: AwsErrorClass; service: string; operation: string; message: string; httpStatus?: number; attempts?: number },
    opts: { cause?: unknown } = {},
  ) {
    super(init.message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'AwsCallError'
    this.errorName = init.errorName
    this.errorClass = init.errorClass
    this.service = init.service
    this.operation = init.operation
    this.httpStatus = init.httpStatus
    this.attempts = init.attempts
  }

  /** `service:Operation`, the form IAM policies and gaps use. */
  get call(): string {
    return `${this.service}:${this.operation}`
  }

  static from(e: unknown, meta: { service: string; operation: string }): AwsCallError {
    if (e instanceof AwsCallError) return e
    const o = (e !== null && typeof e === 'object' ? e : {}) as ErrorLike & { message?: unknown }
    return new AwsCallError(
      {
        errorName: awsErrorName(e),
        errorClass: classifyAwsError(e),
        service: meta.service,
        operation: meta.operation,
        message: typeof o.message === 'string' ? o.message : String(e),
        httpStatus: o.$metadata?.httpStatusCode,
        attempts: o.$metadata?.attempts,
      },
      { cause: e },
    )
  }
}
