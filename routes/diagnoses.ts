/**
 * POST /v1/diagnoses — diagnose one failed AWS Backup job (../shared/contract/api.md).
 * The body is validated against DiagnoseBodySchema before anything reaches AWS
 * (unknown fields are a 400); the representation is negotiated first, so an
 * unacceptable Accept costs no AWS call.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Diagnosis } from '../diagnostics/types.js'
import { DiagnoseBodySchema, DiagnosisSchema, MarkdownSchema } from '../src/schemas/diagnosis.js'
import { commonProblems, problemResponse } from '../src/schemas/problem.js'
import { negotiateOrThrow } from '../src/plugins/negotiate.js'
import type { DiagnosisService, JobRef } from '../src/service/diagnosis-service.js'

export interface DiagnosisRouteOptions {
  diagnosisService: DiagnosisService
  renderMarkdown: (diagnosis: Diagnosis) => string
}

export const DIAGNOSIS_REPRESENTATIONS = ['application/json', 'text/markdown'] as const

/** The responses of both diagnosis routes. */
export function diagnosisResponses() {
  return {
    200: {
      description: 'The diagnosis (partial evidence still answers 200, with `gaps` and a lower confidence)',
      content: {
        'application/json': { schema: DiagnosisSchema },
        'text/markdown': { schema: MarkdownSchema },
      },
    },
    ...commonProblems(),
    404: problemResponse('No job with that id in that account and region'),
    502: problemResponse('AWS answered in a way the service cannot use'),
    503: problemResponse('AWS throttled the service past its retries (see Retry-After)'),
    504: problemResponse('AWS did not answer in time'),
  }
}

/** Diagnoses `ref` and answers in the negotiated representation. */
export async function replyWithDiagnosis(
  request: FastifyRequest,
  reply: FastifyReply,
  ref: JobRef,
  opts: DiagnosisRouteOptions,
): Promise<unknown> {
  const representation = negotiateOrThrow(request.headers.accept, DIAGNOSIS_REPRESENTATIONS)
  const { diagnosis } = await opts.diagnosisService.diagnose(ref)
  reply.header('vary', 'accept')
  if (representation === 'text/markdown') {
    return reply.type('text/markdown; charset=utf-8').send(opts.renderMarkdown(diagnosis))
  }
  return reply.type('application/json; charset=utf-8').send(diagnosis)
}

/** Copies only the fields that were given (exactOptionalPropertyTypes-friendly). */
export function jobRef(jobId: string, q: { jobType?: JobRef['jobType']; accountId?: string; region?: string }): JobRef {
  const ref: JobRef = { jobId }
  if (q.jobType !== undefined) ref.jobType = q.jobType
  if (q.accountId !== undefined) ref.accountId = q.accountId
  if (q.region !== undefined) ref.region = q.region
  return ref
}

const diagnosesRoutes: FastifyPluginAsyncTypebox<DiagnosisRouteOptions> = async (app, opts) => {
  // Fastify parses text/plain by default; here only JSON is a diagnosis request (415 otherwise).
  // Encapsulated: other routes (SNS posts text/plain) keep their own parsers.
  app.removeContentTypeParser('text/plain')
  app.post(
    '/v1/diagnoses',
    {
      config: { auth: 'bearer' },
      schema: {
        tags: ['diagnoses'],
        summary: 'Diagnose one failed backup, restore or copy job',
        security: [{ bearerAuth: [] }],
        body: DiagnoseBodySchema,
        response: {
          ...diagnosisResponses(),
          413: problemResponse('The body is larger than the limit'),
          415: problemResponse('The body is not application/json'),
        },
      },
    },
    async (request, reply) => replyWithDiagnosis(request, reply, jobRef(request.body.jobId, request.body), opts),
  )
}

export default diagnosesRoutes
