/**
 * Prometheus metrics, one prom-client `Registry` per app instance (never the
 * global default registry: two apps in one process, as in tests, must not
 * share or double-register series).
 *
 * - `backup_doctor_diagnoses_total{root_cause,confidence}`: every diagnosis made
 *   through a service wrapped with `app.metrics.instrument(service)`;
 * - `backup_doctor_diagnosis_errors_total{code}`: diagnoses that threw (AppError code);
 * - `backup_doctor_aws_calls_total{service,operation,outcome,error_class}` and
 *   `backup_doctor_aws_call_duration_seconds{service,operation}`: from `aws.onCall`;
 * - `backup_doctor_aws_cache_hit_ratio` and `backup_doctor_aws_cache_lookups{result}`:
 *   read from `aws.cacheStats()` at scrape time;
 * - `backup_doctor_http_request_duration_seconds{method,route,status_code}`: the
 *   route template, never the raw URL (job ids would explode cardinality);
 * - `backup_doctor_events_total{source,outcome}`: job-failure events (routes/events.ts);
 * - `backup_doctor_queue_tasks{queue,state}`: depth of the Slack and events work queues;
 * - process metrics (prom-client defaults) unless `defaultMetrics: false`.
 *
 * Wrapped with fastify-plugin so the HTTP hook sees every route of the app.
 * The scrape endpoint is routes/metrics.ts.
 */
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Diagnosis } from '../../diagnostics/types.js'
import { isAppError } from '../errors.js'
import type { AwsTelemetrySource, DiagnosisServiceLike } from '../integrations/types.js'

export interface Metrics {
  readonly registry: Registry
  /** Count one diagnosis. */
  observeDiagnosis(diagnosis: Diagnosis): void
  /** Count one diagnosis that failed (by AppError code, INTERNAL otherwise). */
  observeDiagnosisError(err: unknown): void
  /** Count one job-failure event by sender and what became of it. */
  observeEvent(source: 'eventbridge' | 'sns', outcome: string): void
  /** Expose a work queue's depth as `backup_doctor_queue_tasks{queue,state}` (read at scrape time). */
  trackQueue(name: string, stats: () => { pending: number; running: number }): void
  /** A DiagnosisService that counts every diagnosis it makes. */
  instrument<S extends DiagnosisServiceLike>(service: S): S
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics
  }
}

export interface MetricsPluginOptions {
  /** The app's AwsContext (or anything with `onCall` and `cacheStats`). */
  aws?: AwsTelemetrySource
  /** Collect Node.js process metrics too (default true). */
  defaultMetrics?: boolean
  prefix?: string
}

export function createMetrics(opts: MetricsPluginOptions = {}): Metrics & { close(): void } {
  const p = opts.prefix ?? 'backup_doctor_'
  const registry = new Registry()
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: p })

  const diagnoses = new Counter({
    name: `${p}diagnoses_total`,
    help: 'Diagnoses made, by root-cause code and confidence',
    labelNames: ['root_cause', 'confidence'] as const,
    registers: [registry],
  })
  const diagnosisErrors = new Counter({
    name: `${p}diagnosis_errors_total`,
    help: 'Diagnoses that could not be made, by error code',
    labelNames: ['code'] as const,
    registers: [registry],
  })
  const awsCalls = new Counter({
    name: `${p}aws_calls_total`,
    help: 'AWS API calls, by service, operation and outcome',
    labelNames: ['service', 'operation', 'outcome', 'error_class'] as const,
    registers: [registry],
  })
  const awsLatency = new Histogram({
    name: `${p}aws_call_duration_seconds`,
    help: 'AWS API call latency (including SDK retries)',
    labelNames: ['service', 'operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  const aws = opts.aws
  new Gauge({
    name: `${p}aws_cache_hit_ratio`,
    help: 'Share of evidence lookups answered from the AWS layer cache (0 when none yet)',
    registers: [registry],
    collect() {
      if (!aws) return
      const { hits, misses } = aws.cacheStats()
      this.set(hits + misses === 0 ? 0 : hits / (hits + misses))
    },
  })
  new Gauge({
    name: `${p}aws_cache_lookups`,
    help: 'Evidence lookups of the AWS layer cache since start, by result',
    labelNames: ['result'] as const,
    registers: [registry],
    collect() {
      if (!aws) return
      const { hits, misses } = aws.cacheStats()
      this.set({ result: 'hit' }, hits)
      this.set({ result: 'miss' }, misses)
    },
  })
  const httpLatency = new Histogram({
    name: `${p}http_request_duration_seconds`,
    help: 'HTTP request latency, by route template and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  const events = new Counter({
    name: `${p}events_total`,
    help: 'Job-failure events received, by sender and outcome',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  })

  const queues = new Map<string, () => { pending: number; running: number }>()
  new Gauge({
    name: `${p}queue_tasks`,
    help: 'Background work (Slack commands, job-failure events) waiting or running, by queue',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    collect() {
      for (const [queue, stats] of queues) {
        const { pending, running } = stats()
        this.set({ queue, state: 'pending' }, pending)
        this.set({ queue, state: 'running' }, running)
      }
    },
  })

  const unsubscribe = aws
    ? aws.onCall((e) => {
        awsCalls.inc({ service: e.service, operation: e.operation, outcome: e.outcome, error_class: e.outcome === 'ok' ? 'none' : (e.errorClass ?? 'unknown') })
        awsLatency.observe({ service: e.service, operation: e.operation }, e.latencyMs / 1000)
      })
    : () => {}

  const metrics: Metrics & { close(): void; httpLatency: typeof httpLatency } = {
    registry,
    httpLatency,
    observeDiagnosis(d) {
      diagnoses.inc({ root_cause: d.rootCause.code, confidence: d.confidence })
    },
    observeDiagnosisError(err) {
      diagnosisErrors.inc({ code: isAppError(err) ? err.code : 'INTERNAL' })
    },
    observeEvent(source, outcome) {
      events.inc({ source, outcome })
    },
    trackQueue(name, stats) {
      queues.set(name, stats)
    },
    instrument(service) {
      const wrapped = Object.create(service) as typeof service
      wrapped.diagnose = async (ref) => {
        try {
          const out = await service.diagnose(ref)
          metrics.observeDiagnosis(out.diagnosis)
          return out
        } catch (err) {
          metrics.observeDiagnosisError(err)
          throw err
        }
      }
      return wrapped
    },
    close() {
      unsubscribe()
    },
  }
  return metrics
}

async function metricsPlugin(app: FastifyInstance, opts: MetricsPluginOptions): Promise<void> {
  const metrics = createMetrics(opts) as ReturnType<typeof createMetrics> & { httpLatency: Histogram<'method' | 'route' | 'status_code'> }
  app.decorate('metrics', metrics)
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpLatency.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    )
  })
  app.addHook('onClose', async () => metrics.close())
}

export default fp(metricsPlugin, { name: 'backup-doctor-metrics', fastify: '5.x' })
