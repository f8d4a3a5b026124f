/**
 * The OpenAPI document, generated from the routes' TypeBox schemas by
 * @fastify/swagger, served at /openapi.json, and browsable at /docs
 * (@fastify/swagger-ui). Neither needs authentication: they describe the API,
 * they do not use it. Register before the routes so every route is collected.
 */
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

export interface OpenApiOptions {
  version: string
}

async function openapiPlugin(app: FastifyInstance, opts: OpenApiOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Backup Doctor',
        version: opts.version,
        description:
          'Diagnoses failed AWS Backup backup, restore and copy jobs: one root-cause verdict from the evaluated IAM, ' +
          'Organizations, vault and KMS policies. Errors are application/problem+json (RFC 9457).',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'One of BACKUP_DOCTOR_API_KEYS' } },
      },
      tags: [
        { name: 'diagnoses', description: 'Diagnose one failed job' },
        { name: 'health', description: 'Liveness and readiness probes' },
      ],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { docExpansion: 'list', deepLinking: true } })
  app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'none' } }, async () => app.swagger())
}

export default fp(openapiPlugin, { name: 'backup-doctor-openapi', fastify: '5.x' })
