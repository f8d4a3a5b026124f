import t from 'tap'
import { createReadiness } from '../../src/service/readiness.js'
import { testApp } from '../helpers/app.js'

t.test('GET /healthz is 200 {"status":"ok"} without auth', async (t) => {
  const app = await testApp(t)
  const res = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})

t.test('GET /readyz checks AWS credentials, caches the answer, 503 when they fail', async (t) => {
  let probes = 0
  let fail = false
  let clock = 1_000_000
  const readiness = createReadiness({
    probe: async () => {
      probes++
      if (fail) throw Object.assign(new Error('The security token included in the request is expired arn:aws:iam::1:x'), { name: 'ExpiredTokenException' })
      return { accountId: '111111111111' }
    },
    cacheMs: 30_000,
    failureCacheMs: 5_000,
    now: () => clock,
  })
  const app = await testApp(t, { deps: { readiness } })
  const ok = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(ok.statusCode, 200)
  t.equal(ok.json().status, 'ready')
  await Promise.all([1, 2, 3].map(() => app.inject({ method: 'GET', url: '/readyz' })))
  t.equal(probes, 1, 'cached within 30 s')
  fail = true
  clock += 31_000
  const down = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(down.statusCode, 503)
  t.match(down.headers['content-type'], /^application\/problem\+json/)
  t.equal(down.json().code, 'NOT_READY')
  t.ok(Number(down.headers['retry-after']) >= 1)
  t.notMatch(down.body, /arn:aws|expired/, 'no error message leaks')
  t.equal(probes, 2)
  fail = false
  clock += 6_000
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'failures are cached briefly, recovery shows')
})

t.test('readiness gives up on a hung probe', async (t) => {
  const r = createReadiness({ probe: () => new Promise(() => {}), cacheMs: 1000, timeoutMs: 20 })
  const res = await r.check()
  t.equal(res.ready, false)
})

t.test('OpenAPI document and docs are served', async (t) => {
  const app = await testApp(t)
  const res = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(res.statusCode, 200)
  const doc = res.json()
  t.equal(doc.openapi, '3.1.0')
  t.ok(doc.paths['/v1/diagnoses'].post)
  t.ok(doc.paths['/v1/jobs/{jobId}/diagnosis'].get)
  t.ok(doc.paths['/healthz'].get)
  const post = doc.paths['/v1/diagnoses'].post
  t.ok(post.requestBody.content['application/json'].schema.properties.jobId)
  t.equal(post.requestBody.content['application/json'].schema.additionalProperties, false)
  for (const s of ['200', '400', '401', '404', '406', '413', '415', '429', '502', '503', '504']) t.ok(post.responses[s], `documents ${s}`)
  t.ok(post.responses['200'].content['text/markdown'])
  t.ok(post.responses['404'].content['application/problem+json'])
  t.same(post.security, [{ bearerAuth: [] }])
  t.ok(doc.components.securitySchemes.bearerAuth)
  const docs = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(docs.statusCode, 200)
  t.match(docs.headers['content-type'], /text\/html/)
})
