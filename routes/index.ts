/**
 * Every route of the service, registered explicitly in one place (fastify/demo
 * style, without autoload): reading this file tells what the API serves.
 */
import type { FastifyInstance } from 'fastify'
import diagnosesRoutes from './diagnoses.js'
import type { DiagnosisRouteOptions } from './diagnoses.js'
import healthRoutes from './health.js'
import jobsRoutes from './jobs.js'
import type { Readiness } from '../src/service/readiness.js'

export interface RoutesOptions extends DiagnosisRouteOptions {
  readiness: Readiness
}

export default async function routes(app: FastifyInstance, opts: RoutesOptions): Promise<void> {
  await app.register(healthRoutes, { readiness: opts.readiness })
  await app.register(diagnosesRoutes, { diagnosisService: opts.diagnosisService, renderMarkdown: opts.renderMarkdown })
  await app.register(jobsRoutes, { diagnosisService: opts.diagnosisService, renderMarkdown: opts.renderMarkdown })
}
