/**
 * The application factory (fastify/demo style): `buildApp(config, deps)` returns
 * a ready-to-listen Fastify instance; `server.ts` only listens and closes. Every
 * dependency that talks to AWS is injectable so tests drive the app with
 * `inject()` and fakes, or with the real AWS context pointed at the sandbox.
 *
 * Order matters: validation and the error handler first, then authentication and
 * rate limiting (their hooks apply to routes registered after them), then the
 * OpenAPI collector, then the routes.
 */
import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Diagnosis } from '../diagnostics/types.js'
import type { Config } from './config.js'
import errorsPlugin from './plugins/errors.js'
import authPlugin from './plugins/auth.js'
import rateLimitPlugin from './plugins/rate-limit.js'
import validationPlugin from './plugins/validation.js'
import openapiPlugin from './plugins/openapi.js'
import metricsPlugin from './plugins/metrics.js'
import { AppError } from './errors.js'
import type { AwsTelemetrySource, FleetAwsContext } from './integrations/types.js'
import routes from '../routes/index.js'
import type { DiagnosisService } from './service/diagnosis-service.js'
import type { Readiness } from './service/readiness.js'
import { createDefaultDeps } from './service/defaults.js'
import type { DefaultDepsOptions } from './service/defaults.js'

export interface AppDeps {
  diagnosisService: DiagnosisService
  readiness: Readiness
  renderMarkdown: (diagnosis: Diagnosis) => string
  /** The AWS context, for fleet listings and AWS call metrics; tests without one get a stub that answers 503. */
  aws?: FleetAwsContext & AwsTelemetrySource
}

/** Stands in for the AWS context when a test injects only the diagnosis pieces. */
const NO_AWS: FleetAwsContext & AwsTelemetrySource = {
  serviceIdentity: () => Promise.reject(new AppError('NOT_CONFIGURED', 'No AWS context configured')),
  backup: () => Promise.reject(new AppError('NOT_CONFIGURED', 'No AWS context configured')),
  call: () => Promise.reject(new AppError('NOT_CONFIGURED', 'No AWS context configured')),
  onCall: () => () => {},
  cacheStats: () => ({ hits: 0, misses: 0 }),
}

export interface BuildOptions extends DefaultDepsOptions {
  /** A pino logger built by the caller (server.ts); otherwise one is built from config. */
  loggerInstance?: FastifyBaseLogger
  /** Where the built logger writes (tests capture logs to check redaction). */
  logStream?: NodeJS.WritableStream
}

/**
 * Log redaction: credentials and tokens never reach the log, whatever object a
 * line carries (request headers, SDK configs, Slack payloads).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'headers.authorization',
  '*.authorization',
  '*.accessKeyId',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.credentials',
  '*.apiKeys',
  '*.token',
  '*.signingSecret',
  '*.webhookUrl',
  '*.password',
  '*.secret',
]

export function loggerOptions(config: Pick<Config, 'logLevel'>, stream?: NodeJS.WritableStream): NonNullable<FastifyServerOptions['logger']> {
  return {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(stream === undefined ? {} : { stream }),
  }
}

/** Accept a caller's X-Request-Id only when it is short and harmless; otherwise make one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 4; i++) {
    const p = join(dir, 'package.json')
    if (existsSync(p)) return (JSON.parse(readFileSync(p, 'utf8')) as { version?: string }).version ?? '0.0.0'
    dir = dirname(dir)
  }
  return '0.0.0'
}

export async function buildApp(config: Config, deps: Partial<AppDeps> = {}, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(opts.loggerInstance === undefined ? { logger: loggerOptions(config, opts.logStream) } : { loggerInstance: opts.loggerInstance }),
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const h = req.headers['x-request-id']
      return typeof h === 'string' && REQUEST_ID.test(h) ? h : randomUUID()
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  let resolved: AppDeps
  if (deps.diagnosisService && deps.readiness && deps.renderMarkdown) {
    resolved = { ...deps, diagnosisService: deps.diagnosisService, readiness: deps.readiness, renderMarkdown: deps.renderMarkdown }
  } else {
    const defaults = await createDefaultDeps(config, app.log, opts)
    resolved = { ...defaults, ...deps }
    // The pooled SDK clients hold sockets: release them with the app, unless the caller owns the context.
    if (opts.aws === undefined) app.addHook('onClose', async () => defaults.aws.destroy())
  }

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
    reply.header('x-content-type-options', 'nosniff')
    if (request.url.startsWith('/v1/')) reply.header('cache-control', 'no-store')
  })

  await app.register(validationPlugin)
  await app.register(errorsPlugin)
  await app.register(authPlugin, { enabled: config.auth.enabled, apiKeys: config.auth.apiKeys })
  await app.register(rateLimitPlugin, config.rateLimit)
  await app.register(openapiPlugin, { version: packageVersion() })
  const aws = resolved.aws ?? NO_AWS
  await app.register(metricsPlugin, { aws })
  await app.register(routes, {
    config,
    aws,
    readiness: resolved.readiness,
    renderMarkdown: resolved.renderMarkdown,
    // Every transport's diagnoses are counted (backup_doctor_diagnoses_total).
    diagnosisService: app.metrics.instrument(resolved.diagnosisService),
  })
  return app
}
