/**
 * GET /v1/jobs/{jobId}/diagnosis?jobType=&accountId=&region= — the same diagnosis
 * as POST /v1/diagnoses, addressable by URL (links in tickets, Slack messages).
 * Unknown query parameters are a 400, like unknown body fields.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { JobParamsSchema, JobQuerySchema } from '../src/schemas/diagnosis.js'
import { diagnosisResponses, jobRef, replyWithDiagnosis } from './diagnoses.js'
import type { DiagnosisRouteOptions } from './diagnoses.js'

const jobsRoutes: FastifyPluginAsyncTypebox<DiagnosisRouteOptions> = async (app, opts) => {
  app.get(
    '/v1/jobs/:jobId/diagnosis',
    {
      config: { auth: 'bearer' },
      schema: {
        tags: ['diagnoses'],
        summary: 'Diagnose one failed job, addressed by its id',
        security: [{ bearerAuth: [] }],
        params: JobParamsSchema,
        querystring: JobQuerySchema,
        response: diagnosisResponses(),
      },
    },
    async (request, reply) => replyWithDiagnosis(request, reply, jobRef(request.params.jobId, request.query), opts),
  )
}

export default jobsRoutes
