/**
 * The one error handler (STYLE.md convention 8): every error, whatever raised it
 * (an AppError from the service, Ajv validation, Fastify's body parser, the rate
 * limiter, an unknown route), leaves as RFC 9457 application/problem+json with
 * `type`, `title`, `status`, `detail` and `code`. 5xx details are fixed sentences:
 * internals (AWS messages, ARNs, stacks) go to the log, never to the caller.
 */
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, ERROR_CATALOGUE, SERVER_ERROR_DETAIL, isAppError, problemType } from '../errors.js'
import type { ErrorCode } from '../errors.js'
import { PROBLEM_CONTENT_TYPE } from '../schemas/problem.js'
import type { Problem } from '../schemas/problem.js'

/** Seconds a 503 without a better estimate asks callers to wait. */
const DEFAULT_RETRY_AFTER_S = 5

/** Fastify's own client errors, by code, mapped onto the catalogue. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
}

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
}

/** Plain words for the format checks of the fields every caller sends (instead of a regex). */
const FIELD_FORMATS: Record<string, string> = {
  jobId: 'must be an AWS Backup job id (letters, digits and dashes)',
  accountId: 'must be a 12-digit AWS account id',
  region: 'must be an AWS region name such as us-east-1',
}

type ValidationItem = { instancePath?: string; message?: string; keyword?: string; params?: Record<string, unknown> }

/** Turns an Ajv error list into `errors[]` with the part of the request it concerns and a JSON pointer. */
function validationErrors(part: string, items: ValidationItem[]): NonNullable<Problem['errors']> {
  return items.map((v) => {
    let path = v.instancePath ?? ''
    let message = v.message ?? 'is invalid'
    if (v.keyword === 'additionalProperties' && typeof v.params?.additionalProperty === 'string') {
      path = `${path}/${v.params.additionalProperty}`
      message = 'is not a known field'
    } else if ((v.keyword === 'pattern' || v.keyword === 'maxLength') && FIELD_FORMATS[path.split('/').pop() ?? ''] !== undefined) {
      message = FIELD_FORMATS[path.split('/').pop() ?? ''] as string
    } else if (v.keyword === 'required' && typeof v.params?.missingProperty === 'string') {
      path = `${path}/${v.params.missingProperty}`
      message = 'is required'
    }
    return { in: part, path: path === '' ? '/' : path, message }
  })
}

export interface ProblemInput {
  code: ErrorCode
  detail: string
  retryAfter?: number
  errors?: Problem['errors']
}

/** Classifies any thrown value into a problem; unknown errors are 500 INTERNAL. */
export function toProblemInput(error: unknown): ProblemInput {
  if (isAppError(error)) {
    const p: ProblemInput = { code: error.code, detail: error.message }
    if (error.retryAfter !== undefined) p.retryAfter = error.retryAfter
    const errs = error.extra?.['errors']
    if (Array.isArray(errs)) p.errors = errs as Problem['errors']
    return p
  }
  const e = error as Partial<FastifyError> & { validation?: ValidationItem[]; validationContext?: string }
  if (Array.isArray(e.validation)) {
    const part = e.validationContext ?? 'request'
    const errors = validationErrors(part, e.validation)
    const first = errors[0]
    return {
      code: 'BAD_REQUEST',
      detail: first === undefined ? `Invalid ${part}` : `${part}${first.path === '/' ? '' : ` ${first.path}`} ${first.message}`,
      errors,
    }
  }
  if (typeof e.code === 'string' && e.code in FASTIFY_CODES) {
    const code = FASTIFY_CODES[e.code] as ErrorCode
    const detail =
      code === 'UNSUPPORTED_MEDIA_TYPE'
        ? "This route does not accept the request's Content-Type (the API takes application/json)"
        : code === 'PAYLOAD_TOO_LARGE'
          ? 'The request body is larger than the limit'
          : typeof e.message === 'string'
            ? e.message
            : ERROR_CATALOGUE[code].title
    return { code, detail }
  }
  // Fastify's JSON parser raises a SyntaxError with statusCode 400; prototype poisoning too.
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500
  if (status >= 400 && status < 500) {
    const code = BY_STATUS[status] ?? 'BAD_REQUEST'
    const detail = e instanceof SyntaxError ? 'The body is not valid JSON' : typeof e.message === 'string' ? e.message : ERROR_CATALOGUE[code].title
    return { code, detail }
  }
  return { code: 'INTERNAL', detail: SERVER_ERROR_DETAIL[500] as string }
}

/** Sends a problem document; also used by routes that answer an error without throwing. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, input: ProblemInput): FastifyReply {
  const spec = ERROR_CATALOGUE[input.code]
  const status = spec.status
  const body: Problem = {
    type: problemType(input.code),
    title: spec.title,
    status,
    detail: status >= 500 ? (SERVER_ERROR_DETAIL[status] ?? (SERVER_ERROR_DETAIL[500] as string)) : input.detail,
    code: input.code,
    instance: request.url.split('?')[0] ?? '/',
    requestId: request.id,
  }
  if (input.errors !== undefined && input.errors.length > 0) body.errors = input.errors
  if (status === 429 || status === 503) {
    reply.header('retry-after', String(Math.max(1, Math.ceil(input.retryAfter ?? DEFAULT_RETRY_AFTER_S))))
  }
  // A problem body is JSON, whatever the route would have served (e.g. text/markdown).
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(body)
}

async function errorsPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error, request, reply) => {
    const input = toProblemInput(error)
    const status = ERROR_CATALOGUE[input.code].status
    if (status >= 500) {
      // The real cause, for operators; the caller gets a fixed sentence and the request id.
      request.log.error({ err: error, code: input.code }, 'request failed')
    } else {
      request.log.info({ code: input.code, status, detail: input.detail }, 'request rejected')
    }
    return sendProblem(request, reply, input)
  })

  app.setNotFoundHandler((request, reply) => {
    return sendProblem(request, reply, { code: 'NOT_FOUND', detail: `No route ${request.method} ${request.url.split('?')[0] ?? ''}` })
  })
}

export default fp(errorsPlugin, { name: 'backup-doctor-errors', fastify: '5.x' })

export { AppError }
