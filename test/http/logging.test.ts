import { Writable } from 'node:stream'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { TEST_KEY, fakeDeps, fakeService, testConfig } from '../helpers/app.js'

t.test('logs carry request ids and never tokens or credentials', async (t) => {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk))
      cb()
    },
  })
  const svc = fakeService(async () => {
    throw Object.assign(new Error('failure'), { credentials: { accessKeyId: 'AKIDLEAK', secretAccessKey: 'SECRETLEAK', sessionToken: 'TOKENLEAK' } })
  })
  const app = await buildApp(testConfig({ LOG_LEVEL: 'info' }), fakeDeps({ diagnosisService: svc }), { logStream: stream })
  t.teardown(() => app.close())
  const res = await app.inject({
    method: 'POST',
    url: '/v1/diagnoses',
    headers: { authorization: `Bearer ${TEST_KEY}`, 'x-request-id': 'req-log-1' },
    payload: { jobId: 'ABC' },
  })
  t.equal(res.statusCode, 500)
  app.log.info({ req: { headers: { authorization: `Bearer ${TEST_KEY}` } }, config: { apiKeys: [TEST_KEY], signingSecret: 'SIGNLEAK' } }, 'probe')
  const all = lines.join('')
  t.notMatch(all, new RegExp(TEST_KEY), 'API key never logged')
  t.notMatch(all, /AKIDLEAK|SECRETLEAK|TOKENLEAK|SIGNLEAK/, 'credentials never logged')
  t.match(all, /\[redacted\]/)
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
  t.ok(parsed.some((l) => l['reqId'] === 'req-log-1' && l['level'] === 50), 'the 500 is logged at error level with the request id')
})
