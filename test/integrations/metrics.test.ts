import t from 'tap'
import metricsPlugin from '../../src/plugins/metrics.js'
import metricsRoutes from '../../routes/metrics.js'
import { AppError } from '../../src/errors.js'
import type { AwsCallEventLike, AwsTelemetrySource } from '../../src/integrations/types.js'
import { API_KEY, fakeService, testApp } from './helpers.js'

function fakeAws(): AwsTelemetrySource & { emit(e: AwsCallEventLike): void; stats: { hits: number; misses: number }; listeners: number } {
  const listeners = new Set<(e: AwsCallEventLike) => void>()
  const stats = { hits: 0, misses: 0 }
  return {
    stats,
    get listeners() {
      return listeners.size
    },
    onCall(l) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    cacheStats: () => ({ ...stats }),
    emit: (e) => {
      for (const l of listeners) l(e)
    },
  }
}

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

t.test('metrics are exposed behind the bearer token and move', async (t) => {
  const aws = fakeAws()
  const app = await testApp(t, async (app) => {
    await app.register(metricsPlugin, { aws, defaultMetrics: false })
    await app.register(metricsRoutes)
    app.get('/v1/ping', { config: { auth: 'none' } }, async () => ({ ok: true }))
  })
  const scrape = async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${API_KEY}` } })
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
    return res.body
  }

  const denied = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(denied.statusCode, 401, 'protected like the API')

  const before = await scrape()
  t.equal(value(before, 'backup_doctor_aws_cache_hit_ratio'), 0)
  t.equal(value(before, 'backup_doctor_diagnoses_total{root_cause="S3_BACKUP_POLICY_NOT_ATTACHED",confidence="high"}'), undefined)

  // AWS calls, through the AwsContext listener.
  aws.emit({ service: 'iam', operation: 'GetRole', accountId: '111111111111', region: 'us-east-1', outcome: 'ok', latencyMs: 12 })
  aws.emit({ service: 'iam', operation: 'GetRole', accountId: '111111111111', region: 'us-east-1', outcome: 'ok', latencyMs: 30 })
  aws.emit({ service: 'organizations', operation: 'ListPoliciesForTarget', accountId: '1', region: 'us-east-1', outcome: 'error', errorName: 'AccessDeniedException', errorClass: 'access-denied', latencyMs: 5 })
  aws.stats.hits = 3
  aws.stats.misses = 1
  // Diagnoses, through an instrumented service.
  const service = app.metrics.instrument(
    fakeService(async (ref) => {
      if (ref.jobId === 'missing') throw new AppError('JOB_NOT_FOUND', 'no such job')
      return (await fakeService().diagnose(ref)).diagnosis
    }),
  )
  await service.diagnose({ jobId: 'a' })
  await service.diagnose({ jobId: 'b' })
  await t.rejects(service.diagnose({ jobId: 'missing' }))
  await app.inject({ method: 'GET', url: '/v1/ping' })
  app.metrics.observeEvent('sns', 'accepted')

  const after = await scrape()
  t.equal(value(after, 'backup_doctor_aws_calls_total{service="iam",operation="GetRole",outcome="ok",error_class="none"}'), 2)
  t.equal(value(after, 'backup_doctor_aws_calls_total{service="organizations",operation="ListPoliciesForTarget",outcome="error",error_class="access-denied"}'), 1)
  t.equal(value(after, 'backup_doctor_aws_call_duration_seconds_count{service="iam",operation="GetRole"}'), 2)
  t.ok(Math.abs((value(after, 'backup_doctor_aws_call_duration_seconds_sum{service="iam",operation="GetRole"}') ?? 0) - 0.042) < 1e-9)
  t.equal(value(after, 'backup_doctor_aws_cache_hit_ratio'), 0.75)
  t.equal(value(after, 'backup_doctor_aws_cache_lookups{result="hit"}'), 3)
  t.equal(value(after, 'backup_doctor_diagnoses_total{root_cause="S3_BACKUP_POLICY_NOT_ATTACHED",confidence="high"}'), 2)
  t.equal(value(after, 'backup_doctor_diagnosis_errors_total{code="JOB_NOT_FOUND"}'), 1)
  t.equal(value(after, 'backup_doctor_events_total{source="sns",outcome="accepted"}'), 1)
  t.equal(value(after, 'backup_doctor_http_request_duration_seconds_count{method="GET",route="/v1/ping",status_code="200"}'), 1)
  t.equal(value(after, 'backup_doctor_http_request_duration_seconds_count{method="GET",route="/metrics",status_code="401"}'), 1)

  await app.close()
  t.equal(aws.listeners, 0, 'unsubscribed from the AwsContext on close')
})

t.test('each app has its own registry', async (t) => {
  const a = await testApp(t, async (app) => {
    await app.register(metricsPlugin, {})
  })
  const b = await testApp(t, async (app) => {
    await app.register(metricsPlugin, {})
  })
  t.not(a.metrics.registry, b.metrics.registry)
  a.metrics.observeEvent('eventbridge', 'accepted')
  const bText = await b.metrics.registry.metrics()
  t.notMatch(bText, 'backup_doctor_events_total{source="eventbridge"')
  t.match(bText, 'backup_doctor_process_cpu_user_seconds_total', 'process metrics by default')
})
