/**
 * The integration routes inside the real app (buildApp wires them: validation,
 * errors, auth, rate limit, OpenAPI, metrics), as deployed.
 */
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { computeSlackSignature } from '../../src/integrations/slack-signature.js'
import { auth, fakeDeps, testConfig } from '../helpers/app.js'
import { eventBridgeEvent, startReceiver } from './helpers.js'

t.test('wired into buildApp: auth modes, OpenAPI, metrics', async (t) => {
  const receiver = await startReceiver(t)
  const config = testConfig({
    SLACK_SIGNING_SECRET: 'sek',
    SLACK_WEBHOOK_URL: `${receiver.url}/hook`,
    BACKUP_DOCTOR_SLACK_RESPONSE_URL_PREFIXES: `${receiver.url}/`,
  })
  const app = await buildApp(config, fakeDeps())
  t.teardown(() => app.close())
  await app.ready()

  // Slack: no bearer needed, the signature is the credential; the verdict goes to the configured prefix.
  const body = new URLSearchParams({ command: '/backup-why', text: '0A1B2C3D-0000-4000-8000-0000000000F1', response_url: `${receiver.url}/commands/1` }).toString()
  const ts = String(Math.floor(Date.now() / 1000))
  const slack = await app.inject({
    method: 'POST',
    url: '/v1/slack/commands',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': computeSlackSignature('sek', ts, body) },
    payload: body,
  })
  t.equal(slack.statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/v1/slack/commands', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body })).statusCode, 401)
  // EventBridge: bearer through the app's verifyBearer.
  t.equal((await app.inject({ method: 'POST', url: '/v1/events', payload: eventBridgeEvent() })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/v1/events', headers: auth(), payload: eventBridgeEvent() })).statusCode, 202)
  // Fleet and metrics: bearer.
  t.equal((await app.inject({ method: 'GET', url: '/v1/failed-jobs' })).statusCode, 401)
  t.equal((await app.inject({ method: 'GET', url: '/v1/failed-jobs?region=nope', headers: auth() })).statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401)
  await receiver.waitFor(2)
  t.same(receiver.received.map((r) => r.url).sort(), ['/commands/1', '/hook'])
  const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: auth() })
  t.equal(metrics.statusCode, 200)
  t.match(metrics.body, /backup_doctor_diagnoses_total\{root_cause="[A-Z0-9_]+",confidence="high"\} 2/)
  t.match(metrics.body, /backup_doctor_http_request_duration_seconds_count\{method="POST",route="\/v1\/events",status_code="202"\} 1/)

  t.match(metrics.body, /backup_doctor_queue_tasks\{queue="events",state="pending"\} 0/)
  t.match(metrics.body, /backup_doctor_queue_tasks\{queue="slack-commands",state="running"\} [01]/)

  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  for (const path of ['/v1/slack/commands', '/v1/events', '/v1/failed-jobs', '/metrics']) t.ok(doc.paths[path], `${path} documented`)
  t.ok(doc.paths['/v1/failed-jobs'].get.parameters.some((p: { name: string }) => p.name === 'nextToken'))
})

t.test('unconfigured Slack and webhook answer 503 in the real app', async (t) => {
  const app = await buildApp(testConfig(), fakeDeps())
  t.teardown(() => app.close())
  const s = await app.inject({ method: 'POST', url: '/v1/slack/commands', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'text=x' })
  t.equal(s.statusCode, 503)
  t.equal(s.json().code, 'NOT_CONFIGURED')
  const e = await app.inject({ method: 'POST', url: '/v1/events', headers: auth(), payload: eventBridgeEvent() })
  t.equal(e.statusCode, 503)
  t.equal(e.json().code, 'NOT_CONFIGURED')
})

t.test('SNS and signed Slack deliveries are not rate limited per IP (SNS drops events answered 4xx)', async (t) => {
  const app = await buildApp(testConfig({ SLACK_SIGNING_SECRET: 'sek', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x', BACKUP_DOCTOR_RATE_LIMIT: '2' }), fakeDeps())
  t.teardown(() => app.close())
  const statuses = async (send: () => Promise<{ statusCode: number }>) => {
    const out: number[] = []
    for (let i = 0; i < 4; i++) out.push((await send()).statusCode)
    return out
  }
  const sns = () =>
    app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain', 'x-amz-sns-message-type': 'Notification' }, payload: '{"Type":"Notification"}' })
  t.same(await statuses(sns), [400, 400, 400, 400], 'never 429')
  const slack = () =>
    app.inject({ method: 'POST', url: '/v1/slack/commands', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': '1', 'x-slack-signature': 'v0=00' }, payload: 'text=x' })
  t.same(await statuses(slack), [401, 401, 401, 401])
  const unauthenticated = () => app.inject({ method: 'POST', url: '/v1/events', payload: eventBridgeEvent() })
  t.same(await statuses(unauthenticated), [401, 401, 429, 429], 'other callers stay limited')
})
