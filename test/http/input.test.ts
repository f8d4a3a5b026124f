import t from 'tap'
import type { Test } from 'tap'
import { auth, fakeService, testApp } from '../helpers/app.js'

const JOB = '5E1B0C2A-6F3D-4E8B-9A71-2C4D6E8F0A01'

async function problem(t: Test, res: { statusCode: number; headers: Record<string, unknown>; json: () => any }, status: number, code: string) {
  t.equal(res.statusCode, status, `${status} ${code}`)
  t.match(String(res.headers['content-type']), /^application\/problem\+json/)
  const body = res.json()
  t.equal(body.status, status)
  t.equal(body.code, code)
  t.type(body.type, 'string')
  t.type(body.title, 'string')
  t.type(body.detail, 'string')
  return body
}

t.test('malformed ids, account ids and regions are 400 before any AWS call', async (t) => {
  const svc = fakeService()
  const app = await testApp(t, { deps: { diagnosisService: svc } })
  const bodies = [
    { jobId: '../../etc/passwd' },
    { jobId: '' },
    { jobId: 'a'.repeat(101) },
    { jobId: 42 },
    { jobId: JOB, accountId: '12345' },
    { jobId: JOB, accountId: '*' },
    { jobId: JOB, accountId: 111111111111 },
    { jobId: JOB, region: 'us-east-1.evil.example' },
    { jobId: JOB, region: 'US-EAST-1' },
    { jobId: JOB, region: 'evil.example/#' },
    { jobId: JOB, jobType: 'snapshot' },
    {},
    [],
    'just a string',
  ]
  for (const payload of bodies) {
    const res = await app.inject({ method: 'POST', url: '/v1/diagnoses', headers: { ...auth(), 'content-type': 'application/json' }, payload: JSON.stringify(payload) })
    await problem(t, res, 400, 'BAD_REQUEST')
  }
  const urls = [
    `/v1/jobs/${encodeURIComponent('a/b')}/diagnosis`,
    `/v1/jobs/${encodeURIComponent('x y')}/diagnosis`,
    `/v1/jobs/${JOB}/diagnosis?region=us-east-1.evil.example`,
    `/v1/jobs/${JOB}/diagnosis?region=${encodeURIComponent('us-east-1/../x')}`,
    `/v1/jobs/${JOB}/diagnosis?accountId=1234`,
    `/v1/jobs/${JOB}/diagnosis?jobType=nope`,
    `/v1/jobs/${JOB}/diagnosis?unknown=1`,
    `/v1/jobs/${JOB}/diagnosis?region=us-east-1&region=eu-west-1`,
  ]
  for (const url of urls) {
    const res = await app.inject({ method: 'GET', url, headers: auth() })
    await problem(t, res, 400, 'BAD_REQUEST')
  }
  t.equal(svc.calls.length, 0, 'nothing reached the diagnosis service')
})

t.test('unknown fields are 400 and named in errors[]', async (t) => {
  const app = await testApp(t)
  const res = await app.inject({ method: 'POST', url: '/v1/diagnoses', headers: auth(), payload: { jobId: JOB, jobid: 'x' } })
  const body = await problem(t, res, 400, 'BAD_REQUEST')
  t.same(body.errors, [{ in: 'body', path: '/jobid', message: 'is not a known field' }])
  const missing = await app.inject({ method: 'POST', url: '/v1/diagnoses', headers: auth(), payload: { accountId: '111111111111' } })
  t.same((await problem(t, missing, 400, 'BAD_REQUEST')).errors, [{ in: 'body', path: '/jobId', message: 'is required' }])
})

t.test('bodies: not JSON 400, wrong content type 415, too large 413, empty 400, proto poisoning 400', async (t) => {
  const app = await testApp(t)
  const post = (headers: Record<string, string>, payload: string) =>
    app.inject({ method: 'POST', url: '/v1/diagnoses', headers: { ...auth(), ...headers }, payload })
  await problem(t, await post({ 'content-type': 'application/json' }, '{"jobId": '), 400, 'BAD_REQUEST')
  await problem(t, await post({ 'content-type': 'application/json' }, ''), 400, 'BAD_REQUEST')
  await problem(t, await post({ 'content-type': 'text/plain' }, JSON.stringify({ jobId: JOB })), 415, 'UNSUPPORTED_MEDIA_TYPE')
  await problem(t, await post({ 'content-type': 'application/x-www-form-urlencoded' }, `jobId=${JOB}`), 415, 'UNSUPPORTED_MEDIA_TYPE')
  await problem(t, await post({ 'content-type': 'application/xml' }, '<a/>'), 415, 'UNSUPPORTED_MEDIA_TYPE')
  await problem(t, await post({ 'content-type': 'application/json' }, JSON.stringify({ jobId: JOB, pad: 'x'.repeat(20_000) })), 413, 'PAYLOAD_TOO_LARGE')
  await problem(t, await post({ 'content-type': 'application/json' }, `{"jobId":"${JOB}","__proto__":{"x":1}}`), 400, 'BAD_REQUEST')
  const ok = await post({ 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ jobId: JOB }))
  t.equal(ok.statusCode, 200, 'still serving, charset parameter accepted')
})

t.test('bearer authentication on /v1/*', async (t) => {
  const svc = fakeService()
  const app = await testApp(t, { deps: { diagnosisService: svc } })
  const url = `/v1/jobs/${JOB}/diagnosis`
  const none = await app.inject({ method: 'GET', url })
  await problem(t, none, 401, 'UNAUTHORIZED')
  t.equal(none.headers['www-authenticate'], 'Bearer realm="backup-doctor"')
  await problem(t, await app.inject({ method: 'GET', url, headers: auth('wrong-key') }), 401, 'UNAUTHORIZED')
  await problem(t, await app.inject({ method: 'GET', url, headers: auth('test-key-0123456789abcde') }), 401, 'UNAUTHORIZED')
  await problem(t, await app.inject({ method: 'GET', url, headers: { authorization: 'Basic dGVzdDp0ZXN0' } }), 401, 'UNAUTHORIZED')
  await problem(t, await app.inject({ method: 'GET', url, headers: { authorization: 'Bearer' } }), 401, 'UNAUTHORIZED')
  // The body of an unauthenticated request is never parsed: a bad body still answers 401.
  await problem(t, await app.inject({ method: 'POST', url: '/v1/diagnoses', headers: { 'content-type': 'application/json' }, payload: '{oops' }), 401, 'UNAUTHORIZED')
  t.equal(svc.calls.length, 0)
  t.equal((await app.inject({ method: 'GET', url, headers: auth() })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url, headers: auth('other-key-fedcba9876543210') })).statusCode, 200, 'second key')
  t.equal((await app.inject({ method: 'GET', url, headers: { authorization: 'bearer test-key-0123456789abcdef' } })).statusCode, 200, 'scheme is case-insensitive')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'healthz needs no token')
})

t.test('BACKUP_DOCTOR_AUTH=off opens /v1/*', async (t) => {
  const app = await testApp(t, { env: { BACKUP_DOCTOR_AUTH: 'off', BACKUP_DOCTOR_API_KEYS: '' } })
  t.equal((await app.inject({ method: 'GET', url: `/v1/jobs/${JOB}/diagnosis` })).statusCode, 200)
})

t.test('per-key rate limit: 429 with Retry-After, keys have separate budgets, other routes unaffected', async (t) => {
  const app = await testApp(t, { env: { BACKUP_DOCTOR_RATE_LIMIT: '3', BACKUP_DOCTOR_RATE_WINDOW_MS: '60000' } })
  const url = `/v1/jobs/${JOB}/diagnosis`
  for (let i = 0; i < 3; i++) t.equal((await app.inject({ method: 'GET', url, headers: auth() })).statusCode, 200)
  const limited = await app.inject({ method: 'GET', url, headers: auth() })
  await problem(t, limited, 429, 'RATE_LIMITED')
  t.ok(Number(limited.headers['retry-after']) >= 1, 'Retry-After in seconds')
  t.equal((await app.inject({ method: 'GET', url, headers: auth('other-key-fedcba9876543210') })).statusCode, 200, 'other key has its own budget')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)
  // Wrong tokens are limited by address, so guessing does not get a fresh budget per guess.
  const statuses: number[] = []
  for (let i = 0; i < 5; i++) statuses.push((await app.inject({ method: 'GET', url, headers: auth(`guess-${i}`) })).statusCode)
  t.same(statuses, [401, 401, 401, 429, 429])
})

t.test('unknown routes and methods are 404 problems', async (t) => {
  const app = await testApp(t)
  await problem(t, await app.inject({ method: 'GET', url: '/nope' }), 404, 'NOT_FOUND')
  await problem(t, await app.inject({ method: 'DELETE', url: '/v1/diagnoses', headers: auth() }), 404, 'NOT_FOUND')
})

t.test('request ids: a sane incoming X-Request-Id is kept, anything else replaced', async (t) => {
  const app = await testApp(t)
  const kept = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } })
  t.equal(kept.headers['x-request-id'], 'abc-123')
  const replaced = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'a\u0000b<script>' } })
  t.match(replaced.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  const res = await app.inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': 'trace-1' } })
  t.equal(res.json().requestId, 'trace-1')
})

t.test('format errors are in plain words', async (t) => {
  const app = await testApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/jobs/ABC/diagnosis?region=us-east-1.evil.example', headers: auth() })
  t.same(res.json().errors, [{ in: 'querystring', path: '/region', message: 'must be an AWS region name such as us-east-1' }])
  t.equal(res.json().detail, 'querystring /region must be an AWS region name such as us-east-1')
  const acct = await app.inject({ method: 'POST', url: '/v1/diagnoses', headers: auth(), payload: { jobId: 'ABC', accountId: '12' } })
  t.same(acct.json().errors, [{ in: 'body', path: '/accountId', message: 'must be a 12-digit AWS account id' }])
})
