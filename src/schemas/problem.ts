/**
 * RFC 9457 problem details, as every error of the API answers them
 * (../shared/contract/api.md "Errors"): `type`, `title`, `status`, `detail`, `code`.
 */
import { Type } from 'typebox'
import type { Static, TSchema } from 'typebox'

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI identifying the kind of problem' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String(),
    code: Type.String({ description: 'Stable error code (src/errors.ts), e.g. JOB_NOT_FOUND, AWS_THROTTLED' }),
    instance: Type.Optional(Type.String({ description: 'The request path' })),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          in: Type.String({ description: 'body, querystring, params or headers' }),
          path: Type.String({ description: 'JSON pointer of the offending value' }),
          message: Type.String(),
        }),
      ),
    ),
  },
  { description: 'application/problem+json (RFC 9457)' },
)
export type Problem = Static<typeof ProblemSchema>

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** A response entry whose body is a problem document. */
export function problemResponse(description: string): { description: string; content: Record<string, { schema: TSchema }> } {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } }
}

/** Problem responses every authenticated, rate-limited /v1 route can answer. */
export function commonProblems(): Record<number, ReturnType<typeof problemResponse>> {
  return {
    400: problemResponse('Malformed input: an id, account id or region that is not well formed, an unknown field, a body that is not JSON'),
    401: problemResponse('Missing or wrong bearer token'),
    406: problemResponse('The Accept header asks for a representation the route does not offer'),
    429: problemResponse("The caller's rate limit is exceeded (see Retry-After)"),
    500: problemResponse('Unexpected failure of the service'),
  }
}
