/**
 * Probes. GET /healthz: the process answers (liveness; no AWS call, no auth).
 * GET /readyz: the service can use its own AWS credentials (cached check, see
 * src/service/readiness.ts); 503 problem with Retry-After when it cannot.
 */
import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AppError } from '../src/errors.js'
import { problemResponse } from '../src/schemas/problem.js'
import type { Readiness } from '../src/service/readiness.js'

export interface HealthRouteOptions {
  readiness: Readiness
}

const healthRoutes: FastifyPluginAsyncTypebox<HealthRouteOptions> = async (app, opts) => {
  app.get(
    '/healthz',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['health'],
        summary: 'Liveness',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/readyz',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['health'],
        summary: "Readiness: the service's own AWS credentials work",
        response: {
          200: Type.Object({ status: Type.Literal('ready'), checkedAt: Type.String() }),
          503: problemResponse('Not ready: the AWS credentials check failed (see Retry-After)'),
        },
      },
    },
    async () => {
      const r = await opts.readiness.check()
      if (!r.ready) throw new AppError('NOT_READY', r.reason, { retryAfter: 5 })
      return { status: 'ready' as const, checkedAt: r.checkedAt }
    },
  )
}

export default healthRoutes
