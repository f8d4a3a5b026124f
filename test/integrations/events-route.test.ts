import t from 'tap'
import type { Test } from 'tap'
import eventsRoutes, { type EventsRouteOptions } from '../../routes/events.js'
import { API_KEY, backupNotification, eventBridgeEvent, fakeService, makeSigningKey, sampleDiagnosis, signSns, startReceiver, testApp } from './helpers.js'

const key = makeSigningKey()
const other = makeSigningKey()
const auth = { authorization: `Bearer ${API_KEY}` }

async function setup(t: Test, over: Partial<EventsRouteOptions> = {}, impl?: Parameters<typeof fakeService>[0]) {
  const receiver = await startReceiver(t)
  const service = fakeService(impl)
  const confirmed: string[] = []
  const certFetches: string[] = []
  const webhookUrl = `${receiver.url}/services/T1/B1/secret`
  const app = await testApp(t, async (app) => {
    await app.register(eventsRoutes, {
      webhookUrl,
      diagnosisService: service,
      retryDelayMs: 1,
      sns: {
        fetchCert: async (url) => {
          certFetches.push(url)
          return key.certPem
        },
        confirmSubscription: async (url) => {
          confirmed.push(url)
        },
      },
      ...over,
    })
  })
  return { app, receiver, service, confirmed, certFetches, webhookUrl }
}

t.test('EventBridge: a failed job is acknowledged 202 and posted to the webhook exactly once', async (t) => {
  const { app, receiver, service } = await setup(t)
  const event = eventBridgeEvent()
  const res = await app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload: event })
  t.equal(res.statusCode, 202)
  t.same(res.json(), { status: 'accepted' })
  const dup = await app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload: event })
  t.equal(dup.statusCode, 200)
  t.same(dup.json(), { status: 'duplicate' })
  // Same job, new event id (e.g. also delivered through SNS): still one post.
  const sameJob = await app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload: eventBridgeEvent({ id: 'another-event-id' }) })
  t.same(sameJob.json(), { status: 'duplicate' })
  const [post] = await receiver.waitFor(1)
  await app.close()
  t.equal(receiver.received.length, 1, 'posted once')
  t.equal(post?.url, '/services/T1/B1/secret')
  const body = post?.body as { text: string; blocks: Array<{ type: string }> }
  t.equal(body.blocks[0]?.type, 'header')
  t.match(JSON.stringify(body.blocks), 'S3_BACKUP_POLICY_NOT_ATTACHED')
  t.same(service.calls, [{ jobId: '0A1B2C3D-0000-4000-8000-0000000000F1', jobType: 'backup', accountId: '111111111111', region: 'us-east-1' }])
})

t.test('EventBridge: non-failure states and other detail-types are 200 ignored', async (t) => {
  const { app, receiver, service } = await setup(t)
  for (const payload of [eventBridgeEvent({ state: 'COMPLETED' }), eventBridgeEvent({ detailType: 'Backup Vault State Change' }), eventBridgeEvent({ detailType: 'Restore Job State Change', state: 'RUNNING' })]) {
    const res = await app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload })
    t.equal(res.statusCode, 200)
    t.equal(res.json().status, 'ignored')
  }
  await app.close()
  t.equal(service.calls.length, 0)
  t.equal(receiver.received.length, 0)
})

t.test('EventBridge: malformed events are 4xx problems, unauthenticated ones 401', async (t) => {
  const { app, receiver } = await setup(t)
  const bad = [
    { payload: eventBridgeEvent({ account: '1234567890123' }), status: 400 },
    { payload: eventBridgeEvent({ jobId: 'bad/id' }), status: 400 },
    { payload: { ...eventBridgeEvent(), detail: null }, status: 400 },
    { payload: '{"id": ', status: 400, type: 'application/json' },
    { payload: 'not json', status: 400, type: 'text/plain' },
    { payload: '<xml/>', status: 415, type: 'application/xml' },
  ]
  for (const b of bad) {
    const res = await app.inject({ method: 'POST', url: '/v1/events', headers: { ...auth, ...(b.type ? { 'content-type': b.type } : {}) }, payload: b.payload as never })
    t.equal(res.statusCode, b.status, JSON.stringify(b.payload).slice(0, 60))
    t.match(res.headers['content-type'], /^application\/problem\+json/)
  }
  const noAuth = await app.inject({ method: 'POST', url: '/v1/events', payload: eventBridgeEvent() })
  t.equal(noAuth.statusCode, 401)
  t.equal(noAuth.json().code, 'UNAUTHORIZED')
  const wrong = await app.inject({ method: 'POST', url: '/v1/events', headers: { authorization: 'Bearer nope' }, payload: eventBridgeEvent() })
  t.equal(wrong.statusCode, 401)
  await app.close()
  t.equal(receiver.received.length, 0)
})

t.test('SNS: a verified failed-backup notification (text/plain) is posted once; duplicates are not', async (t) => {
  const { app, receiver, service, certFetches } = await setup(t)
  const msg = signSns(key, backupNotification({ id: '0A1B2C3D-0000-4000-8000-0000000000F3' }))
  const send = () =>
    app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' },
      payload: JSON.stringify(msg),
    })
  const res = await send()
  t.equal(res.statusCode, 202)
  t.same((await send()).json(), { status: 'duplicate' })
  await receiver.waitFor(1)
  await app.close()
  t.equal(receiver.received.length, 1)
  t.same(service.calls, [{ jobId: '0A1B2C3D-0000-4000-8000-0000000000F3', jobType: 'backup', accountId: '111111111111', region: 'us-east-1' }])
  t.equal(certFetches.length, 1, 'certificate cached')
})

t.test('SNS: bad signatures are 401 and never acted on', async (t) => {
  const { app, receiver, service, confirmed } = await setup(t)
  const forged = signSns(other, backupNotification())
  const tampered = { ...signSns(key, backupNotification()), Message: 'An AWS Backup job failed. BackupJob ID : 0A1B2C3D-0000-4000-8000-0000000000F2' }
  const foreignCert = { ...signSns(key, backupNotification()), SigningCertURL: 'https://evil.example/cert.pem' }
  const confirmation = signSns(other, {
    Type: 'SubscriptionConfirmation',
    MessageId: 'c1',
    TopicArn: 'arn:aws:sns:us-east-1:111111111111:backup-events',
    Message: 'You have chosen to subscribe',
    Timestamp: new Date().toISOString(),
    Token: 'tok',
    SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=tok',
  })
  for (const m of [forged, tampered, foreignCert, confirmation]) {
    const res = await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain', 'x-amz-sns-message-type': 'Notification' }, payload: JSON.stringify(m) })
    t.equal(res.statusCode, 401)
    t.equal(res.json().code, 'UNAUTHORIZED')
  }
  await app.close()
  t.equal(service.calls.length, 0)
  t.equal(receiver.received.length, 0)
  t.same(confirmed, [])
})

t.test('SNS: subscription confirmation GETs SubscribeURL only after verification and only on the SNS host', async (t) => {
  const { app, confirmed } = await setup(t)
  const base = {
    Type: 'SubscriptionConfirmation' as const,
    MessageId: 'c1',
    TopicArn: 'arn:aws:sns:us-east-1:111111111111:backup-events',
    Message: 'You have chosen to subscribe',
    Timestamp: new Date().toISOString(),
    Token: 'tok',
  }
  const good = signSns(key, { ...base, SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=tok' })
  const res = await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain', 'x-amz-sns-message-type': 'SubscriptionConfirmation' }, payload: JSON.stringify(good) })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'confirmed' })
  const evil = signSns(key, { ...base, MessageId: 'c2', SubscribeURL: 'https://evil.example/?Action=ConfirmSubscription' })
  const res2 = await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain', 'x-amz-sns-message-type': 'Notification' }, payload: JSON.stringify(evil) })
  t.equal(res2.statusCode, 400)
  t.same(confirmed, ['https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=tok'])
})

t.test('SNS: topic allow-list, non-failures ignored, malformed 400', async (t) => {
  const { app, service } = await setup(t, { sns: { fetchCert: async () => key.certPem, topicArns: ['arn:aws:sns:us-east-1:111111111111:backup-events'] } })
  const completed = signSns(key, backupNotification({ state: 'COMPLETED', messageId: 'm2' }))
  const r1 = await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain', 'x-amz-sns-message-type': 'Notification' }, payload: JSON.stringify(completed) })
  t.equal(r1.statusCode, 200)
  t.equal(r1.json().status, 'ignored')
  const foreign = signSns(key, { ...backupNotification(), TopicArn: 'arn:aws:sns:us-east-1:999999999999:other' })
  const r2 = await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain', 'x-amz-sns-message-type': 'Notification' }, payload: JSON.stringify(foreign) })
  t.equal(r2.statusCode, 401)
  const missing = { ...signSns(key, backupNotification()), MessageId: undefined }
  const r3 = await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain', 'x-amz-sns-message-type': 'Notification' }, payload: JSON.stringify(missing) })
  t.equal(r3.statusCode, 400)
  t.equal(service.calls.length, 0)
})

t.test('unset SLACK_WEBHOOK_URL is 503', async (t) => {
  const { app } = await setup(t, { webhookUrl: null })
  const res = await app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload: eventBridgeEvent() })
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'NOT_CONFIGURED')
})

t.test('bursts: bounded concurrency, full queue is 503 + Retry-After, nothing silently dropped', async (t) => {
  let active = 0
  let peak = 0
  let release!: () => void
  const gate = new Promise<void>((r) => (release = r))
  const { app, receiver } = await setup(t, { concurrency: 2, capacity: 3 }, async (ref) => {
    active++
    peak = Math.max(peak, active)
    await gate
    active--
    return sampleDiagnosis(ref)
  })
  const statuses: number[] = []
  let retryAfter: string | undefined
  for (let i = 0; i < 7; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: auth,
      payload: eventBridgeEvent({ id: `evt-${i}`, jobId: `0A1B2C3D-0000-4000-8000-00000000000${i}` }),
    })
    statuses.push(res.statusCode)
    if (res.statusCode === 503) retryAfter = res.headers['retry-after'] as string
  }
  t.same(statuses, [202, 202, 202, 202, 202, 503, 503], '2 running + 3 waiting accepted, then 503')
  t.equal(retryAfter, '5')
  release()
  await receiver.waitFor(5)
  // The refused events are accepted when redelivered later.
  const again = await app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload: eventBridgeEvent({ id: 'evt-5', jobId: '0A1B2C3D-0000-4000-8000-000000000005' }) })
  t.equal(again.statusCode, 202)
  await receiver.waitFor(6)
  await app.close()
  t.equal(peak, 2, 'never more than 2 diagnoses at once')
  t.equal(receiver.received.length, 6)
})

t.test('a webhook failure is retried', async (t) => {
  const { app, receiver } = await setup(t, { postAttempts: 3 })
  receiver.setStatus(500)
  const res = await app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload: eventBridgeEvent() })
  t.equal(res.statusCode, 202)
  await receiver.waitFor(1)
  receiver.setStatus(200)
  await receiver.waitFor(2)
  await app.close()
  t.equal(receiver.received.length, 2, 'second attempt succeeded, no third')
})

t.test('SNS: certificate fetch failure is a 503 (SNS retries 5xx), never acted on', async (t) => {
  const { app, service } = await setup(t, {
    sns: {
      fetchCert: async () => {
        throw new Error('network down')
      },
    },
  })
  const msg = signSns(key, backupNotification())
  const res = await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain', 'x-amz-sns-message-type': 'Notification' }, payload: JSON.stringify(msg) })
  t.equal(res.statusCode, 503)
  t.ok(res.headers['retry-after'])
  t.equal(service.calls.length, 0)
})

t.test('EventBridge event sent as text/plain is still an event (and needs the bearer key)', async (t) => {
  const { app, receiver } = await setup(t)
  const body = JSON.stringify(eventBridgeEvent())
  const noAuth = await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain' }, payload: body })
  t.equal(noAuth.statusCode, 401)
  const res = await app.inject({ method: 'POST', url: '/v1/events', headers: { ...auth, 'content-type': 'text/plain' }, payload: body })
  t.equal(res.statusCode, 202)
  await receiver.waitFor(1)
})
