/**
 * An error the sandbox answers with, in AWS's terms: the error code the real
 * service sends (which the SDK turns into its exception class) and the HTTP
 * status it sends with it. Default statuses come from the services' models
 * (the `httpError` traits in @aws-sdk/client-*), see DEFAULT_STATUS.
 */
export class AwsError extends Error {
  readonly code: string
  readonly status: number
  constructor(code: string, message: string, status?: number) {
    super(message)
    this.name = 'AwsError'
    this.code = code
    this.status = status ?? defaultStatus(code)
  }
}

const DEFAULT_STATUS: Record<string, number> = {
  // Common to every service.
  AccessDenied: 403,
  AccessDeniedException: 403,
  MissingAuthenticationToken: 403,
  MissingAuthenticationTokenException: 403,
  IncompleteSignature: 400,
  IncompleteSignatureException: 400,
  InvalidClientTokenId: 403,
  UnrecognizedClientException: 400,
  ExpiredToken: 400,
  ExpiredTokenException: 400,
  InvalidAction: 400,
  UnknownOperationException: 400,
  ValidationError: 400,
  ValidationException: 400,
  SerializationException: 400,
  MalformedQueryString: 404,
  InternalFailure: 500,
  InternalError: 500,
  ServiceUnavailable: 503,
  ServiceUnavailableException: 503,
  // Throttling: awsQuery services answer 400, JSON and REST ones 400 or 429.
  Throttling: 400,
  ThrottlingException: 400,
  RequestLimitExceeded: 400,
  TooManyRequestsException: 429,
  // IAM (awsQueryError traits).
  NoSuchEntity: 404,
  InvalidInput: 400,
  ServiceFailure: 500,
  // STS.
  InvalidAuthorizationMessageException: 400,
  RegionDisabledException: 403,
  // Backup (restJson1; the model has no httpError: AWS sends 400 for client errors).
  ResourceNotFoundException: 400,
  InvalidParameterValueException: 400,
  MissingParameterValueException: 400,
  InvalidRequestException: 400,
  DependencyFailureException: 500,
  // Organizations.
  AWSOrganizationsNotInUseException: 404,
  AccountNotFoundException: 404,
  ChildNotFoundException: 404,
  PolicyNotFoundException: 404,
  TargetNotFoundException: 404,
  InvalidInputException: 400,
  ServiceException: 500,
  // KMS.
  NotFoundException: 404,
  InvalidArnException: 400,
  InvalidMarkerException: 400,
  KMSInternalException: 500,
  DependencyTimeoutException: 503,
  KMSInvalidStateException: 409,
}

const THROTTLING = /^(Throttling|ThrottlingException|ThrottledException|TooManyRequestsException|RequestLimitExceeded|RequestThrottled)$/

/**
 * The status AWS sends with `code`. `service` refines it where services
 * differ: AWS Backup answers throttling with 429 (aws-wire-facts.md).
 */
export function defaultStatus(code: string, service?: string): number {
  if (service === 'backup' && THROTTLING.test(code)) return 429
  const known = DEFAULT_STATUS[code]
  if (known !== undefined) return known
  if (/Throttl|TooMany|RateExceeded|LimitExceeded/i.test(code)) return 400
  if (/Internal|ServiceFailure|ServiceException$/.test(code)) return 500
  if (/Unavailable/.test(code)) return 503
  if (/NotFound|NoSuch/.test(code)) return 404
  if (/AccessDenied|Unauthorized|Forbidden/.test(code)) return 403
  return 400
}
