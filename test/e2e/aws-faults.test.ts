/**
 * AWS failures through the whole stack: sandbox faults on the job read become the
 * contract's 503 (throttled past retries, with Retry-After), 502 (an answer the
 * service cannot use), 504 (no answer in time), 404 (no such job), each as
 * problem+json without internals, and the service keeps serving afterwards.
 * Unreadable evidence after the job is a 200 with gaps.
 */
import { readFileSync } from 'node:fs'
import t from 'tap'
import type { Test } from 'tap'
import { scenarioFile } from '../helpers/sandbox.js'
import { startService } from './helpers.js'

const S3 = JSON.parse(readFileSync(scenarioFile('backup-s3-default-role'), 'utf8')) as Record<string, unknown>
const JOB = '7A2C4E6F-8B0D-4F1A-A3C5-E7092B4D6F02'
const ACCOUNT = '111111111111'
const url = `/v1/jobs/${JOB}/diagnosis?accountId=${ACCOUNT}&jobType=backup`

function withFaults(faults: unknown[]): Record<string, unknown> {
  return { ...S3, faults }
}

async function expectProblem(t: Test, res: Response, status: number, code: string): Promise<any> {
  t.equal(res.status, status, code)
  t.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/)
  const body = (await res.json()) as any
  t.equal(body.code, code)
  t.equal(body.status, status)
  if (status >= 500) t.notMatch(JSON.stringify(body), /arn:aws|Exception|InternalFailure|Rate exceeded|111111111111|DescribeBackupJob/, 'no internals')
  return body
}

t.test('DescribeBackupJob throttled past retries → 503 with Retry-After, then recovers', async (t) => {
  const svc = await startService(t, withFaults([{ service: 'backup', operation: 'DescribeBackupJob', error: 'ThrottlingException', message: 'Rate exceeded', httpStatus: 429, count: 3 }]))
  const res = await svc.get(url)
  await expectProblem(t, res, 503, 'AWS_THROTTLED')
  t.ok(Number(res.headers.get('retry-after')) >= 1, 'Retry-After')
  const ok = await svc.get(url)
  t.equal(ok.status, 200, 'keeps serving once AWS stops throttling')
})

t.test('InternalFailure from AWS → 502', async (t) => {
  const svc = await startService(t, withFaults([{ service: 'backup', operation: 'DescribeBackupJob', error: 'InternalFailure', message: 'internal', httpStatus: 500 }]))
  await expectProblem(t, await svc.get(url), 502, 'AWS_BAD_RESPONSE')
  t.equal((await svc.get('/healthz')).status, 200)
})

t.test('AWS slower than the call timeout → 504', async (t) => {
  const svc = await startService(t, withFaults([{ service: 'backup', operation: 'DescribeBackupJob', latencyMs: 1500 }]), {
    BACKUP_DOCTOR_AWS_CALL_TIMEOUT_MS: '100',
    BACKUP_DOCTOR_AWS_MAX_ATTEMPTS: '2',
    BACKUP_DOCTOR_DIAGNOSIS_DEADLINE_MS: '300',
  })
  const started = Date.now()
  await expectProblem(t, await svc.get(url), 504, 'AWS_TIMEOUT')
  t.ok(Date.now() - started < 4_000, 'answered within the diagnosis deadline (+ grace), not when AWS finally answers')
  t.equal((await svc.get('/healthz')).status, 200)
})

t.test('no such job → 404; malformed input never reaches the sandbox', async (t) => {
  const svc = await startService(t, S3)
  await expectProblem(t, await svc.get(`/v1/jobs/00000000-0000-4000-8000-000000000000/diagnosis?accountId=${ACCOUNT}`), 404, 'JOB_NOT_FOUND')
  svc.sandbox.clearLog()
  const bad = await svc.get(`/v1/jobs/${JOB}/diagnosis?region=us-east-1.evil.example`)
  await expectProblem(t, bad, 400, 'BAD_REQUEST')
  const bad2 = await svc.post('/v1/diagnoses', { jobId: JOB, accountId: '1111' })
  await expectProblem(t, bad2, 400, 'BAD_REQUEST')
  t.equal(svc.sandbox.log.length, 0, 'no AWS call for malformed input')
})

t.test('readiness through the sandbox: own credentials work', async (t) => {
  const svc = await startService(t, S3)
  const res = await svc.get('/readyz')
  t.equal(res.status, 200)
  t.equal(((await res.json()) as any).status, 'ready')
})

t.test('readiness fails when STS fails', async (t) => {
  const svc = await startService(t, withFaults([{ service: 'sts', operation: 'GetCallerIdentity', error: 'InvalidClientTokenId', message: 'bad token', httpStatus: 403 }]))
  await expectProblem(t, await svc.get('/readyz'), 503, 'NOT_READY')
})
