/**
 * The integration routes are part of the app (routes/index.ts) with the
 * authentication each declares: Slack and events check themselves, /metrics and
 * /v1/failed-jobs need the bearer key; unconfigured integrations answer 503.
 */
import t from 'tap'
import { auth, fakeService, testApp } from '../helpers/app.js'

t.test('integration routes are registered and guarded', async (t) => {
  const app = await testApp(t)
  const slack = await app.inject({ method: 'POST', url: '/v1/slack/commands', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'text=x' })
  t.equal(slack.statusCode, 503, 'Slack without SLACK_SIGNING_SECRET')
  t.match(slack.headers['content-type'], /^application\/problem\+json/)
  const events = await app.inject({ method: 'POST', url: '/v1/events', headers: auth(), payload: {} })
  t.equal(events.statusCode, 503, 'events without SLACK_WEBHOOK_URL')
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401, '/metrics needs the bearer key')
  const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: auth() })
  t.equal(metrics.statusCode, 200)
  t.match(metrics.body, /backup_doctor_http_request_duration_seconds/)
  t.equal((await app.inject({ method: 'GET', url: '/v1/failed-jobs' })).statusCode, 401)
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  for (const p of ['/v1/slack/commands', '/v1/events', '/v1/failed-jobs', '/metrics']) t.ok(doc.paths[p], `OpenAPI documents ${p}`)
})

t.test('diagnoses made through the API are counted', async (t) => {
  const app = await testApp(t, { deps: { diagnosisService: fakeService() } })
  await app.inject({ method: 'POST', url: '/v1/diagnoses', headers: auth(), payload: { jobId: 'ABC' } })
  const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: auth() })
  t.match(metrics.body, /backup_doctor_diagnoses_total\{root_cause="S3_BACKUP_POLICY_NOT_ATTACHED",confidence="high"\} 1/)
})
