/**
 * Every route of the service, registered explicitly in one place (fastify/demo
 * style, without autoload): reading this file tells what the API serves.
 */
import type { FastifyInstance } from 'fastify'
import diagnosesRoutes from './diagnoses.js'
import type { DiagnosisRouteOptions } from './diagnoses.js'
import eventsRoutes from './events.js'
import failedJobsRoutes from './failed-jobs.js'
import healthRoutes from './health.js'
import jobsRoutes from './jobs.js'
import metricsRoutes from './metrics.js'
import slackRoutes from './slack.js'
import type { Config } from '../src/config.js'
import type { FleetAwsContext } from '../src/integrations/types.js'
import type { Readiness } from '../src/service/readiness.js'

export interface RoutesOptions extends DiagnosisRouteOptions {
  readiness: Readiness
  aws: FleetAwsContext
  config: Config
}

export default async function routes(app: FastifyInstance, opts: RoutesOptions): Promise<void> {
  const { diagnosisService, renderMarkdown, config } = opts
  await app.register(healthRoutes, { readiness: opts.readiness })
  await app.register(metricsRoutes)
  await app.register(diagnosesRoutes, { diagnosisService, renderMarkdown })
  await app.register(jobsRoutes, { diagnosisService, renderMarkdown })
  await app.register(failedJobsRoutes, { aws: opts.aws, diagnosisService, defaultRegion: config.defaultRegion })
  // Slack authenticates by request signature, events by bearer key (EventBridge) or SNS signature:
  // both declare `auth: 'none'` and check themselves (app.verifyBearer for the bearer case).
  await app.register(slackRoutes, {
    signingSecret: config.slack.signingSecret,
    diagnosisService,
    publicUrl: config.publicUrl,
    allowedResponseUrlPrefixes: config.slack.responseUrlPrefixes,
  })
  await app.register(eventsRoutes, {
    webhookUrl: config.slack.webhookUrl,
    diagnosisService,
    publicUrl: config.publicUrl,
    ...(config.snsTopicArns ? { sns: { topicArns: config.snsTopicArns } } : {}),
  })
}
