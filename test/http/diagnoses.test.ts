import t from 'tap'
import { AppError } from '../../src/errors.js'
import { auth, fakeService, sampleDiagnosis, testApp } from '../helpers/app.js'

const JOB = '5E1B0C2A-6F3D-4E8B-9A71-2C4D6E8F0A01'

t.test('POST /v1/diagnoses answers the diagnosis as JSON', async (t) => {
  const svc = fakeService()
  const app = await testApp(t, { deps: { diagnosisService: svc } })
  const res = await app.inject({ method: 'POST', url: '/v1/diagnoses', headers: auth(), payload: { jobId: JOB, accountId: '222222222222', region: 'eu-west-1', jobType: 'copy' } })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  const body = res.json()
  t.equal(body.rootCause.code, 'S3_BACKUP_POLICY_NOT_ATTACHED')
  t.equal(body.job.id, JOB)
  t.equal(body.job.type, 'copy')
  t.same(body.gaps, [])
  t.equal(body.findings[0].check, 'job-state')
  t.same(body.findings[0].data, { n: 1 })
  t.same(body.remediation.policySnippet, { PolicyArn: 'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup' })
  t.same(svc.calls, [{ jobId: JOB, accountId: '222222222222', region: 'eu-west-1', jobType: 'copy' }])
  t.ok(res.headers['x-request-id'])
})

t.test('GET /v1/jobs/{id}/diagnosis does the same, only given fields are passed on', async (t) => {
  const svc = fakeService()
  const app = await testApp(t, { deps: { diagnosisService: svc } })
  const res = await app.inject({ method: 'GET', url: `/v1/jobs/${JOB}/diagnosis?accountId=222222222222`, headers: auth() })
  t.equal(res.statusCode, 200)
  t.equal(res.json().job.accountId, '222222222222')
  t.same(svc.calls, [{ jobId: JOB, accountId: '222222222222' }])
})

t.test('Accept: text/markdown returns the Markdown report; unsupported Accept is 406', async (t) => {
  const svc = fakeService()
  const app = await testApp(t, { deps: { diagnosisService: svc } })
  const md = await app.inject({ method: 'GET', url: `/v1/jobs/${JOB}/diagnosis`, headers: { ...auth(), accept: 'text/markdown' } })
  t.equal(md.statusCode, 200)
  t.match(md.headers['content-type'], /^text\/markdown/)
  t.equal(md.body, '# S3_BACKUP_POLICY_NOT_ATTACHED\n\nAttach AWSBackupServiceRolePolicyForS3Backup to the job role.\n')
  const pref = await app.inject({ method: 'GET', url: `/v1/jobs/${JOB}/diagnosis`, headers: { ...auth(), accept: 'text/markdown;q=0.5, application/json' } })
  t.match(pref.headers['content-type'], /^application\/json/)
  const any = await app.inject({ method: 'GET', url: `/v1/jobs/${JOB}/diagnosis`, headers: { ...auth(), accept: '*/*' } })
  t.match(any.headers['content-type'], /^application\/json/)
  const calls = svc.calls.length
  const bad = await app.inject({ method: 'GET', url: `/v1/jobs/${JOB}/diagnosis`, headers: { ...auth(), accept: 'text/html' } })
  t.equal(bad.statusCode, 406)
  t.match(bad.headers['content-type'], /^application\/problem\+json/)
  t.equal(bad.json().code, 'NOT_ACCEPTABLE')
  t.equal(svc.calls.length, calls, 'no diagnosis (no AWS call) for an unacceptable Accept')
})

t.test('a diagnosis with gaps is still 200', async (t) => {
  const svc = fakeService(async (ref) =>
    sampleDiagnosis(ref, { confidence: 'medium', gaps: [{ what: 'SCPs of account 111111111111', reason: 'AccessDeniedException on organizations:ListPoliciesForTarget' }] }),
  )
  const app = await testApp(t, { deps: { diagnosisService: svc } })
  const res = await app.inject({ method: 'POST', url: '/v1/diagnoses', headers: auth(), payload: { jobId: JOB } })
  t.equal(res.statusCode, 200)
  t.equal(res.json().confidence, 'medium')
  t.equal(res.json().gaps.length, 1)
})

t.test('AWS failures map to 404/502/503/504 problems and the service keeps serving', async (t) => {
  const cases = [
    { err: new AppError('JOB_NOT_FOUND', 'No backup, copy or restore job 5E1B in 111111111111/us-east-1'), status: 404, code: 'JOB_NOT_FOUND' },
    { err: new AppError('AWS_BAD_RESPONSE', 'InternalFailure from backup:DescribeBackupJob arn:aws:secret'), status: 502, code: 'AWS_BAD_RESPONSE' },
    { err: new AppError('AWS_THROTTLED', 'ThrottlingException on backup:DescribeBackupJob', { retryAfter: 7 }), status: 503, code: 'AWS_THROTTLED', retryAfter: '7' },
    { err: new AppError('AWS_TIMEOUT', 'TimeoutError on backup:DescribeBackupJob after 5000 ms'), status: 504, code: 'AWS_TIMEOUT' },
    { err: new Error('boom at /srv/app/secret.ts:42'), status: 500, code: 'INTERNAL' },
  ]
  let mode = 0
  const svc = fakeService(async (ref) => {
    const c = cases[mode]
    if (c) throw c.err
    return sampleDiagnosis(ref)
  })
  const app = await testApp(t, { deps: { diagnosisService: svc } })
  for (const [i, c] of cases.entries()) {
    mode = i
    const res = await app.inject({ method: 'POST', url: '/v1/diagnoses', headers: auth(), payload: { jobId: JOB } })
    t.equal(res.statusCode, c.status, c.code)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    const body = res.json()
    t.equal(body.code, c.code)
    t.equal(body.status, c.status)
    t.equal(body.type, `https://backup-doctor.dev/problems/${c.code.toLowerCase().replace(/_/g, '-')}`)
    t.type(body.title, 'string')
    t.type(body.detail, 'string')
    if (c.retryAfter) t.equal(res.headers['retry-after'], c.retryAfter)
    if (c.status >= 500) {
      t.notMatch(res.body, /arn:aws|secret|Throttling|Timeout|InternalFailure|\.ts/, 'no internals in a 5xx body')
    }
  }
  mode = 99
  const ok = await app.inject({ method: 'POST', url: '/v1/diagnoses', headers: auth(), payload: { jobId: JOB } })
  t.equal(ok.statusCode, 200, 'still serving')
})
