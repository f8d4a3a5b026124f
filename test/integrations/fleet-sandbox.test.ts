/**
 * Fleet triage end to end: the fleet world served by the sandbox, the real
 * AwsContext, evidence collection and pipeline, through GET /v1/failed-jobs.
 */
import t from 'tap'
import type { Test } from 'tap'
import { readFileSync } from 'node:fs'
import failedJobsRoutes from '../../routes/failed-jobs.js'
import { scenarioFile } from '../helpers/sandbox.js'
import { API_KEY, sandboxEngine, testApp } from './helpers.js'

const WORLD = scenarioFile('fleet-mixed-failures')
const world = JSON.parse(readFileSync(WORLD, 'utf8')) as { expect: Array<{ jobId: string; code: string }> }
const expected = new Map(world.expect.map((e) => [e.jobId, e.code]))
const auth = { authorization: `Bearer ${API_KEY}` }

async function setup(t: Test) {
  const { sandbox, aws, service } = await sandboxEngine(t, WORLD)
  const app = await testApp(t, async (app) => {
    await app.register(failedJobsRoutes, { aws, diagnosisService: service, defaultRegion: 'us-east-1' })
  })
  return { sandbox, app, aws }
}

t.test('org-wide listing: every failed job diagnosed, grouped by root cause, bounded AWS calls', async (t) => {
  const { sandbox, app } = await setup(t)
  const res = await app.inject({ method: 'GET', url: '/v1/failed-jobs?limit=100', headers: auth })
  t.equal(res.statusCode, 200, res.body.slice(0, 300))
  const page = res.json()
  t.equal(page.scope, 'organization')
  t.equal(page.accountId, '*')
  t.same(page.states, ['ABORTED', 'EXPIRED', 'FAILED'])
  const failedIds = [...expected.entries()].filter(([, code]) => code !== 'JOB_NOT_FAILED').map(([id]) => id)
  t.same(page.jobs.map((j: { job: { id: string } }) => j.job.id).sort(), failedIds.sort(), 'the failed jobs, not the completed one')
  t.equal(page.total, failedIds.length)
  t.equal(page.nextToken, null)
  for (const j of page.jobs as Array<{ job: { id: string; type: string }; rootCause: { code: string } | null; error: unknown }>) {
    t.equal(j.error, null, `${j.job.id} diagnosed`)
    t.equal(j.rootCause?.code, expected.get(j.job.id), `${j.job.id} → ${expected.get(j.job.id)}`)
  }
  const groups = page.groups as Array<{ code: string; count: number; jobIds: string[] }>
  t.same(groups[0], {
    code: 'S3_BACKUP_POLICY_NOT_ATTACHED',
    count: 2,
    jobIds: ['0A1B2C3D-0000-4000-8000-0000000000F2', '0A1B2C3D-0000-4000-8000-0000000000F1'],
  }, 'most frequent cause first')
  t.equal(groups.reduce((n, g) => n + g.count, 0), failedIds.length)
  t.same(page.jobs.find((j: { job: { id: string } }) => j.job.id.endsWith('F5')).job.type, 'copy')

  // Bounded AWS work: the listing is one call per (job type, state) here, and the
  // role every job shares is read once thanks to the AwsContext's cache.
  const log = sandbox.log
  const lists = log.filter((e) => e.operation.startsWith('List') && e.operation.endsWith('Jobs'))
  t.equal(lists.length, 6, 'ListBackupJobs ×3 states, ListCopyJobs ×1, ListRestoreJobs ×2')
  const getRole = log.filter((e) => e.operation === 'GetRole' && e.accountId === '111111111111')
  t.comment(`AWS calls: ${log.length} total for ${failedIds.length} jobs, ${getRole.length} GetRole in 111111111111`)
  t.ok(getRole.length <= 2, 'the job role (and the service-linked role) each read once')
  t.ok(log.length <= 15 * failedIds.length, `${log.length} calls`)
})

t.test('filters, validation and pagination', async (t) => {
  const { sandbox, app } = await setup(t)
  const first = await app.inject({ method: 'GET', url: '/v1/failed-jobs?limit=2&accountId=111111111111&since=2026-11-01T00:00:00Z', headers: auth })
  t.equal(first.statusCode, 200, first.body.slice(0, 300))
  const p1 = first.json()
  t.equal(p1.scope, 'account')
  t.equal(p1.jobs.length, 2)
  t.equal(p1.total, 5)
  t.type(p1.nextToken, 'string')
  // Newest first.
  t.same(p1.jobs.map((j: { job: { id: string } }) => j.job.id), ['0A1B2C3D-0000-4000-8000-0000000000F4', '0A1B2C3D-0000-4000-8000-0000000000F3'])
  const listCalls = sandbox.log.filter((e) => e.operation.startsWith('List') && e.operation.endsWith('Jobs')).length
  const second = await app.inject({ method: 'GET', url: `/v1/failed-jobs?limit=2&accountId=111111111111&since=2026-11-01T00:00:00Z&nextToken=${p1.nextToken}`, headers: auth })
  const p2 = second.json()
  t.equal(p2.jobs.length, 2)
  t.notSame(p2.jobs[0].job.id, p1.jobs[0].job.id)
  t.equal(sandbox.log.filter((e) => e.operation.startsWith('List') && e.operation.endsWith('Jobs')).length, listCalls, 'next page reuses the listing')
  const wrongToken = await app.inject({ method: 'GET', url: `/v1/failed-jobs?limit=2&nextToken=${p1.nextToken}`, headers: auth })
  t.equal(wrongToken.statusCode, 400, 'a token of another query')

  const since = await app.inject({ method: 'GET', url: '/v1/failed-jobs?since=2026-11-22T00:00:00Z', headers: auth })
  t.same(since.json().jobs.map((j: { job: { id: string } }) => j.job.id).sort(), ['0A1B2C3D-0000-4000-8000-0000000000F3', '0A1B2C3D-0000-4000-8000-0000000000F4'])
  const expiredOnly = await app.inject({ method: 'GET', url: '/v1/failed-jobs?state=EXPIRED', headers: auth })
  t.equal(expiredOnly.json().total, 0)

  for (const q of ['region=us-east-1.evil.example', 'accountId=12345', 'state=COMPLETED', 'since=yesterday', 'limit=0', 'limit=101', 'nextToken=%3C%3E', 'foo=bar']) {
    const res = await app.inject({ method: 'GET', url: `/v1/failed-jobs?${q}`, headers: auth })
    t.equal(res.statusCode, 400, q)
    t.equal(res.json().code, 'BAD_REQUEST')
  }
  const noAuth = await app.inject({ method: 'GET', url: '/v1/failed-jobs' })
  t.equal(noAuth.statusCode, 401)
})

t.test('a hundred failed jobs sharing one role: the role is read once', async (t) => {
  const base = JSON.parse(readFileSync(WORLD, 'utf8'))
  const prod = base.accounts.find((a: { id: string }) => a.id === '111111111111')
  const template = prod.backup.backupJobs.find((j: { BackupJobId: string }) => j.BackupJobId.endsWith('F1'))
  prod.backup.copyJobs = []
  prod.backup.backupJobs = Array.from({ length: 100 }, (_, i) => ({
    ...template,
    BackupJobId: `0A1B2C3D-0000-4000-8000-${String(i).padStart(12, '0')}`,
    CreationDate: new Date(Date.parse('2026-11-20T00:00:00Z') + i * 60_000).toISOString().replace('.000', ''),
  }))
  base.expect = []
  const { sandbox, aws, service } = await sandboxEngine(t, base)
  const app = await testApp(t, async (app) => {
    await app.register(failedJobsRoutes, { aws, diagnosisService: service, defaultRegion: 'us-east-1', concurrency: 8 })
  })
  const started = Date.now()
  const res = await app.inject({ method: 'GET', url: '/v1/failed-jobs?limit=100', headers: auth })
  const ms = Date.now() - started
  t.equal(res.statusCode, 200)
  const page = res.json()
  t.equal(page.jobs.length, 100)
  t.same(page.groups, [{ code: 'S3_BACKUP_POLICY_NOT_ATTACHED', count: 100, jobIds: page.jobs.map((j: { job: { id: string } }) => j.job.id) }])
  const log = sandbox.log
  const byOp = new Map<string, number>()
  for (const e of log) byOp.set(e.operation, (byOp.get(e.operation) ?? 0) + 1)
  t.comment(`100 jobs: ${log.length} AWS calls in ${ms} ms; ${JSON.stringify(Object.fromEntries(byOp))}`)
  t.ok((byOp.get('GetRole') ?? 0) <= 2, 'GetRole once per distinct role')
  t.ok((byOp.get('ListAttachedRolePolicies') ?? 0) <= 2)
  t.ok((byOp.get('AssumeRole') ?? 0) <= 2, 'reader role assumed once per account')
  t.ok(log.length <= 100 * 2 + 40, 'per job only what is specific to it')
})
