import t from 'tap'
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import slackRoutes, { type SlackRouteOptions } from '../../routes/slack.js'
import { AppError } from '../../src/errors.js'
import { computeSlackSignature } from '../../src/integrations/slack-signature.js'
import { fakeService, startReceiver, testApp, type Receiver } from './helpers.js'

const SECRET = 'test-signing-secret'
const ID = '0A1B2C3D-0000-4000-8000-0000000000F1'

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString()
}

function signed(app: FastifyInstance, body: string, opts: { ts?: number; secret?: string; signature?: string } = {}) {
  const ts = String(opts.ts ?? Math.floor(Date.now() / 1000))
  return app.inject({
    method: 'POST',
    url: '/v1/slack/commands',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': opts.signature ?? computeSlackSignature(opts.secret ?? SECRET, ts, body),
    },
    payload: body,
  })
}

async function setup(t: Test, over: Partial<SlackRouteOptions> = {}) {
  const receiver = await startReceiver(t)
  const service = fakeService()
  const app = await testApp(t, async (app) => {
    await app.register(slackRoutes, {
      signingSecret: SECRET,
      diagnosisService: service,
      allowedResponseUrlPrefixes: [receiver.url + '/'],
      publicUrl: 'https://doctor.example',
      ...over,
    })
  })
  return { app, receiver, service }
}

function command(receiver: Receiver, text: string, extra: Record<string, string> = {}): string {
  return form({ token: 'x', team_id: 'T1', user_id: 'U1', command: '/backup-why', text, response_url: `${receiver.url}/commands/T1/1/abc`, ...extra })
}

t.test('valid command: ephemeral ack at once, verdict posted as Block Kit to response_url', async (t) => {
  const { app, receiver, service } = await setup(t)
  const started = Date.now()
  const res = await signed(app, command(receiver, `${ID} 111111111111 eu-west-1`))
  t.equal(res.statusCode, 200)
  t.ok(Date.now() - started < 3000, 'answered within Slack’s 3 s')
  const ack = res.json()
  t.equal(ack.response_type, 'ephemeral')
  t.match(ack.text, ID)
  const [post] = await receiver.waitFor(1)
  t.equal(post?.method, 'POST')
  t.equal(post?.url, '/commands/T1/1/abc')
  const body = post?.body as { response_type: string; replace_original: boolean; text: string; blocks: Array<{ type: string; elements?: Array<{ url?: string }> }> }
  t.equal(body.response_type, 'ephemeral')
  t.equal(body.replace_original, false)
  t.equal(body.blocks[0]?.type, 'header')
  t.match(JSON.stringify(body.blocks), 'S3_BACKUP_POLICY_NOT_ATTACHED')
  const actions = body.blocks.find((b) => b.type === 'actions')
  t.equal(actions?.elements?.[0]?.url, `https://doctor.example/v1/jobs/${ID}/diagnosis?jobType=backup&accountId=111111111111&region=eu-west-1`)
  t.same(service.calls, [{ jobId: ID, accountId: '111111111111', region: 'eu-west-1' }])
})

t.test('stale, tampered, replayed and unsigned requests are 401 problems and do nothing', async (t) => {
  const { app, receiver, service } = await setup(t)
  const body = command(receiver, ID)
  const stale = await signed(app, body, { ts: Math.floor(Date.now() / 1000) - 6 * 60 })
  t.equal(stale.statusCode, 401)
  t.equal(stale.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(stale.json().code, 'UNAUTHORIZED')
  const ts = Math.floor(Date.now() / 1000)
  const sig = computeSlackSignature(SECRET, String(ts), body)
  const tampered = await signed(app, body.replace('T1', 'T9'), { ts, signature: sig })
  t.equal(tampered.statusCode, 401)
  const wrongSecret = await signed(app, body, { secret: 'nope' })
  t.equal(wrongSecret.statusCode, 401)
  const unsigned = await app.inject({ method: 'POST', url: '/v1/slack/commands', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body })
  t.equal(unsigned.statusCode, 401)
  const first = await signed(app, body, { ts, signature: sig })
  t.equal(first.statusCode, 200)
  const replay = await signed(app, body, { ts, signature: sig })
  t.equal(replay.statusCode, 401, 'replayed signature refused')
  await receiver.waitFor(1)
  await app.close()
  t.equal(receiver.received.length, 1, 'only the genuine request was acted on')
  t.equal(service.calls.length, 1)
})

t.test('bad input gets a helpful ephemeral message and no diagnosis', async (t) => {
  const { app, receiver, service } = await setup(t)
  for (const text of ['', 'help', 'not/a/job', `${ID} us-east-1.evil.example`, `${ID} 1234`]) {
    const res = await signed(app, command(receiver, text))
    t.equal(res.statusCode, 200, text)
    t.equal(res.json().response_type, 'ephemeral')
    t.match(res.json().text, 'Usage: `/backup-why <job-id>')
    t.notMatch(res.json().text, /at .*\.ts:\d+/, 'no stack trace')
  }
  const outside = await signed(app, form({ command: '/backup-why', text: ID, response_url: 'https://evil.example/hook' }))
  t.equal(outside.statusCode, 200)
  t.match(outside.json().text, 'response_url')
  await app.close()
  t.equal(service.calls.length, 0)
  t.equal(receiver.received.length, 0)
})

t.test('a diagnosis error is posted as a short message with its code', async (t) => {
  const receiver = await startReceiver(t)
  const service = fakeService(async () => {
    throw new AppError('JOB_NOT_FOUND', 'No backup, copy or restore job with that id')
  })
  const app = await testApp(t, async (app) => {
    await app.register(slackRoutes, { signingSecret: SECRET, diagnosisService: service, allowedResponseUrlPrefixes: [receiver.url + '/'] })
  })
  const res = await signed(app, command(receiver, ID))
  t.equal(res.statusCode, 200)
  const [post] = await receiver.waitFor(1)
  const text = JSON.stringify(post?.body)
  t.match(text, 'JOB_NOT_FOUND')
  t.notMatch(text, 'AppError')
})

t.test('unset signing secret is 503; JSON body is 415; ssl_check is acknowledged', async (t) => {
  const service = fakeService()
  const app = await testApp(t, async (app) => {
    await app.register(slackRoutes, { signingSecret: null, diagnosisService: service })
  })
  const res = await signed(app, form({ text: ID }))
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'NOT_CONFIGURED')

  const { app: app2 } = await setup(t)
  const json = await app2.inject({ method: 'POST', url: '/v1/slack/commands', payload: { text: ID } })
  t.equal(json.statusCode, 415)
  // Content type with parameters is still a form.
  const ts = String(Math.floor(Date.now() / 1000))
  const helpBody = form({ command: '/backup-why', text: 'help' })
  const charset = await app2.inject({
    method: 'POST',
    url: '/v1/slack/commands',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'x-slack-request-timestamp': ts, 'x-slack-signature': computeSlackSignature(SECRET, ts, helpBody) },
    payload: helpBody,
  })
  t.equal(charset.statusCode, 200)
  t.match(charset.json().text, 'Usage')
  const ssl = await signed(app2, form({ ssl_check: '1', token: 'x' }))
  t.equal(ssl.statusCode, 200)
  t.equal(service.calls.length, 0)
})
