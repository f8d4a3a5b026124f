/**
 * GET /metrics — Prometheus exposition of the app's own registry
 * (src/plugins/metrics.ts, which must be registered first). Protected like the
 * API: `config.auth = 'bearer'`, so the app's auth hook asks for the same bearer
 * key as /v1/* (Prometheus: `authorization: { type: Bearer, credentials: ... }`).
 */
import type { FastifyPluginAsync } from 'fastify'

const metricsRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/metrics',
    {
      config: { auth: 'bearer' },
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (bearer-authenticated)',
        security: [{ bearerAuth: [] }],
        produces: ['text/plain'],
      },
    },
    async (_request, reply) => {
      const registry = app.metrics.registry
      const body = await registry.metrics()
      return reply.type(registry.contentType).send(body)
    },
  )
}

export default metricsRoutes
