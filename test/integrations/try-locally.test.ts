import t from 'tap'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import slackRoutes from '../../routes/slack.js'
import eventsRoutes from '../../routes/events.js'
import { blocksToText, eventBridgeExample, slackCommandExample, startLocalSlack } from '../../src/integrations/try-locally.js'
import { fakeService, testApp } from './helpers.js'

const run = promisify(execFile)
const ID = '0A1B2C3D-0000-4000-8000-0000000000F1'

t.test('the printed slash-command snippet signs like Slack and the verdict reaches the local Slack', async (t) => {
  const printed: string[] = []
  const slack = await startLocalSlack({ print: (s) => printed.push(s) })
  t.teardown(() => slack.close())
  const service = fakeService()
  const app = await testApp(
    t,
    async (app) => {
      await app.register(slackRoutes, { signingSecret: "s3cr'et", diagnosisService: service, allowedResponseUrlPrefixes: [`${slack.url}/`] })
      await app.register(eventsRoutes, { webhookUrl: `${slack.url}/webhook`, diagnosisService: service })
    },
    { auth: false },
  )
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const snippet = slackCommandExample({ baseUrl: base, signingSecret: "s3cr'et", text: `${ID} 111111111111`, responseUrl: `${slack.url}/commands/demo` })
  const { stdout } = await run('bash', ['-c', snippet])
  t.equal(JSON.parse(stdout).response_type, 'ephemeral')
  const eb = await run('bash', ['-c', eventBridgeExample({ baseUrl: base, jobId: '0A1B2C3D-0000-4000-8000-0000000000F2', accountId: '111111111111', region: 'us-east-1' })])
  t.same(JSON.parse(eb.stdout), { status: 'accepted' })
  await app.close()
  t.equal(printed.length, 2)
  t.match(printed.join('\n'), 'S3_BACKUP_POLICY_NOT_ATTACHED')
  t.match(printed[0], '/commands/demo')
  t.same(service.calls.map((c) => c.jobId).sort(), [ID, '0A1B2C3D-0000-4000-8000-0000000000F2'])
})

t.test('blocksToText', async (t) => {
  t.equal(blocksToText({ text: 'plain' }), 'plain')
  t.equal(
    blocksToText({ blocks: [{ type: 'section', text: { text: 'a &lt;b&gt;' }, fields: [{ text: '*X*\ny' }] }, { type: 'actions', elements: [{ text: { text: 'Full report' }, url: 'https://r' }] }] }),
    'a <b>\n*X* y\n[Full report] https://r',
  )
})
