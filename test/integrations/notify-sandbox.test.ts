/**
 * Events and the slash command end to end: the fleet world in the sandbox, the
 * real AwsContext, evidence collection and pipeline; verdicts land on local
 * receivers standing in for Slack.
 */
import t from 'tap'
import type { Test } from 'tap'
import eventsRoutes from '../../routes/events.js'
import slackRoutes from '../../routes/slack.js'
import metricsPlugin from '../../src/plugins/metrics.js'
import metricsRoutes from '../../routes/metrics.js'
import { computeSlackSignature } from '../../src/integrations/slack-signature.js'
import { scenarioFile } from '../helpers/sandbox.js'
import { API_KEY, backupNotification, sandboxEngine, eventBridgeEvent, makeSigningKey, signSns, startReceiver, testApp } from './helpers.js'

const SECRET = 'e2e-signing-secret'
const auth = { authorization: `Bearer ${API_KEY}` }

async function setup(t: Test) {
  const { sandbox, aws, service: raw } = await sandboxEngine(t, scenarioFile('fleet-mixed-failures'))
  const receiver = await startReceiver(t)
  const key = makeSigningKey()
  const app = await testApp(t, async (app) => {
    await app.register(metricsPlugin, { aws, defaultMetrics: false })
    const diagnosisService = app.metrics.instrument(raw)
    await app.register(eventsRoutes, {
      webhookUrl: `${receiver.url}/services/hook`,
      diagnosisService,
      publicUrl: 'https://doctor.example',
      sns: { fetchCert: async () => key.certPem },
    })
    await app.register(slackRoutes, { signingSecret: SECRET, diagnosisService, allowedResponseUrlPrefixes: [`${receiver.url}/`], publicUrl: 'https://doctor.example' })
    await app.register(metricsRoutes)
  })
  return { app, receiver, key, sandbox }
}

type Msg = { text: string; blocks: Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }>; elements?: Array<{ url?: string }> }> }

t.test('EventBridge and SNS failures are diagnosed for real and posted once each', async (t) => {
  const { app, receiver, key } = await setup(t)
  const eb = await app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload: eventBridgeEvent({ jobId: '0A1B2C3D-0000-4000-8000-0000000000F3' }) })
  t.equal(eb.statusCode, 202)
  const copy = await app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: auth,
    payload: eventBridgeEvent({ id: 'copy-evt', detailType: 'Copy Job State Change', jobId: '0A1B2C3D-0000-4000-8000-0000000000F5' }),
  })
  t.equal(copy.statusCode, 202)
  const sns = signSns(key, backupNotification({ id: '0A1B2C3D-0000-4000-8000-0000000000F4', messageId: 'sns-1' }))
  const s = await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' }, payload: JSON.stringify(sns) })
  t.equal(s.statusCode, 202)
  // Redeliveries of all three.
  await app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload: eventBridgeEvent({ jobId: '0A1B2C3D-0000-4000-8000-0000000000F3' }) })
  await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'text/plain', 'x-amz-sns-message-type': 'Notification' }, payload: JSON.stringify(sns) })
  await receiver.waitFor(3, 15_000)

  const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: auth })
  t.match(metrics.body, /backup_doctor_diagnoses_total\{root_cause="BACKUP_WINDOW_EXPIRED",confidence="[a-z]+"\} 1/)
  t.match(metrics.body, /backup_doctor_aws_calls_total\{service="backup",operation="DescribeBackupJob",outcome="ok",error_class="none"\} \d+/)
  t.match(metrics.body, /backup_doctor_events_total\{source="eventbridge",outcome="duplicate"\} 1/)

  await app.close()
  t.equal(receiver.received.length, 3, 'one post per failed job')
  const byJob = new Map(receiver.received.map((r) => [(r.body as Msg).text.split(' ')[2], r.body as Msg]))
  const codes = Object.fromEntries([...byJob.entries()].map(([id, m]) => [id, /: ([A-Z_]+)\./.exec(m.text)?.[1]]))
  t.same(codes, {
    '0A1B2C3D-0000-4000-8000-0000000000F3': 'BACKUP_WINDOW_EXPIRED',
    '0A1B2C3D-0000-4000-8000-0000000000F4': 'CONCURRENT_OPERATION',
    '0A1B2C3D-0000-4000-8000-0000000000F5': 'VAULT_POLICY_DENIES',
  })
  const vault = byJob.get('0A1B2C3D-0000-4000-8000-0000000000F5')
  t.match(JSON.stringify(vault?.blocks), 'central-vault', 'the vault policy at fault is named')
  const link = vault?.blocks.find((b) => b.type === 'actions')?.elements?.[0]?.url
  t.equal(link, 'https://doctor.example/v1/jobs/0A1B2C3D-0000-4000-8000-0000000000F5/diagnosis?jobType=copy&accountId=111111111111&region=us-east-1')
})

t.test('slash command: verdict of the real pipeline posted to response_url', async (t) => {
  const { app, receiver } = await setup(t)
  const body = new URLSearchParams({
    command: '/backup-why',
    text: '0A1B2C3D-0000-4000-8000-0000000000F1 111111111111',
    response_url: `${receiver.url}/commands/T1/2/xyz`,
  }).toString()
  const ts = String(Math.floor(Date.now() / 1000))
  const res = await app.inject({
    method: 'POST',
    url: '/v1/slack/commands',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': computeSlackSignature(SECRET, ts, body) },
    payload: body,
  })
  t.equal(res.statusCode, 200)
  const [post] = await receiver.waitFor(1, 15_000)
  const msg = post?.body as Msg & { response_type: string }
  t.equal(post?.url, '/commands/T1/2/xyz')
  t.equal(msg.response_type, 'ephemeral')
  t.equal(msg.blocks[0]?.type, 'header')
  const all = JSON.stringify(msg.blocks)
  t.match(all, 'S3_BACKUP_POLICY_NOT_ATTACHED')
  t.match(all, 'AWSBackupServiceRolePolicyForS3Backup', 'remediation names the policy to attach')
})
