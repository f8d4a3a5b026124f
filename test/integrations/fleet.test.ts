import t from 'tap'
import { BackupClient, BackupServiceException, ListBackupJobsCommand, ListCopyJobsCommand, ListRestoreJobsCommand } from '@aws-sdk/client-backup'
import { mockClient } from 'aws-sdk-client-mock'
import { AppError } from '../../src/errors.js'
import { FleetTriage, parseSince } from '../../src/integrations/fleet.js'
import type { FleetAwsContext } from '../../src/integrations/types.js'
import { fakeService, sampleDiagnosis } from './helpers.js'

const OWN = '100000000001'

function awsError(name: string): BackupServiceException {
  return new BackupServiceException({ name, $fault: 'client', $metadata: {}, message: name })
}

/** A fake context: one mocked BackupClient, calls classified like the real AwsContext. */
function fakeAws() {
  const client = new BackupClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' } })
  const mock = mockClient(client)
  const calls: Array<{ operation: string; accountId: string }> = []
  const aws: FleetAwsContext = {
    serviceIdentity: async () => ({ accountId: OWN, arn: `arn:aws:iam::${OWN}:user/x` }),
    backup: async () => client,
    call: async (meta, fn) => {
      calls.push({ operation: meta.operation, accountId: meta.accountId })
      try {
        return await fn()
      } catch (err) {
        const name = (err as Error).name
        const errorClass = name === 'AccessDeniedException' ? 'access-denied' : name === 'ThrottlingException' ? 'throttled' : name === 'InvalidParameterValueException' ? 'invalid' : 'unknown'
        throw Object.assign(new Error(name), { errorName: name, errorClass })
      }
    },
  }
  return { aws, mock, calls }
}

const job = (id: string, day: number) => ({ BackupJobId: id, AccountId: '111111111111', State: 'FAILED' as const, CreationDate: new Date(Date.UTC(2026, 10, day)) })

t.test('paginates AWS listings and asks each API only for its states', async (t) => {
  const { aws, mock } = fakeAws()
  mock.on(ListBackupJobsCommand, { ByState: 'FAILED', NextToken: undefined }).resolves({ BackupJobs: [job('a', 1)], NextToken: 't2' })
  mock.on(ListBackupJobsCommand, { ByState: 'FAILED', NextToken: 't2' }).resolves({ BackupJobs: [job('b', 3)] })
  mock.on(ListBackupJobsCommand, { ByState: 'ABORTED' }).resolves({ BackupJobs: [] })
  mock.on(ListCopyJobsCommand).resolves({ CopyJobs: [{ CopyJobId: 'c', AccountId: '222222222222', State: 'FAILED', CreationDate: new Date(Date.UTC(2026, 10, 2)) }] })
  mock.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] })
  const service = fakeService()
  const fleet = new FleetTriage({ aws, diagnosis: service, defaultRegion: 'us-east-1' })
  const page = await fleet.list({ states: ['FAILED', 'ABORTED'], since: '2026-11-01' })
  t.same(page.jobs.map((j) => j.job.id), ['b', 'c', 'a'], 'newest first across types')
  t.same(page.jobs.map((j) => j.job.type), ['backup', 'copy', 'backup'])
  t.equal(page.scope, 'organization')
  const inputs = mock.calls().map((c) => [c.args[0].constructor.name, c.args[0].input])
  const copyInputs = inputs.filter(([n]) => n === 'ListCopyJobsCommand').map(([, i]) => (i as { ByState: string }).ByState)
  t.same(copyInputs, ['FAILED'], 'copy jobs are never ABORTED')
  const restoreInputs = inputs.filter(([n]) => n === 'ListRestoreJobsCommand').map(([, i]) => (i as { ByStatus: string }).ByStatus).sort()
  t.same(restoreInputs, ['ABORTED', 'FAILED'])
  const first = inputs[0]?.[1] as { ByAccountId?: string; ByCreatedAfter?: Date }
  t.equal(first.ByAccountId, '*')
  t.equal(first.ByCreatedAfter?.toISOString(), '2026-11-01T00:00:00.000Z')
  t.same(service.calls[0], { jobId: 'b', jobType: 'backup', accountId: '111111111111', region: 'us-east-1' })
  t.same(service.calls.find((c) => c.jobId === 'c'), { jobId: 'c', jobType: 'copy', accountId: '222222222222', region: 'us-east-1' })
})

t.test('not the management account: falls back to its own account', async (t) => {
  const { aws, mock } = fakeAws()
  mock.on(ListBackupJobsCommand, { ByAccountId: '*' }).rejects(awsError('AccessDeniedException'))
  mock.on(ListBackupJobsCommand, { ByState: 'FAILED', ByAccountId: undefined }).resolves({ BackupJobs: [job('own', 1)] })
  mock.on(ListBackupJobsCommand, { ByState: 'EXPIRED', ByAccountId: undefined }).resolves({ BackupJobs: [] })
  mock.on(ListBackupJobsCommand, { ByState: 'ABORTED', ByAccountId: undefined }).resolves({ BackupJobs: [] })
  mock.on(ListCopyJobsCommand).resolves({})
  mock.on(ListCopyJobsCommand, { ByAccountId: '*' }).rejects(awsError('AccessDeniedException'))
  mock.on(ListRestoreJobsCommand).resolves({})
  mock.on(ListRestoreJobsCommand, { ByAccountId: '*' }).rejects(awsError('AccessDeniedException'))
  const fleet = new FleetTriage({ aws, diagnosis: fakeService(), defaultRegion: 'us-east-1' })
  const page = await fleet.list({})
  t.equal(page.scope, 'account')
  t.equal(page.accountId, OWN)
  t.same(page.jobs.map((j) => j.job.id), ['own'])
  t.same(page.warnings.map((w) => w.split(':')[0]).sort(), ['ListBackupJobs', 'ListCopyJobs', 'ListRestoreJobs'])
  t.match(page.warnings[0], 'AccessDeniedException')
})

t.test('an API that refuses * falls back alone; the others stay org-wide', async (t) => {
  const { aws, mock } = fakeAws()
  mock.on(ListBackupJobsCommand).resolves({})
  mock.on(ListBackupJobsCommand, { ByState: 'FAILED', ByAccountId: '*' }).resolves({ BackupJobs: [job('member', 1)] })
  mock.on(ListCopyJobsCommand, { ByAccountId: '*' }).rejects(awsError('InvalidParameterValueException'))
  mock.on(ListCopyJobsCommand, { ByAccountId: undefined }).resolves({ CopyJobs: [{ CopyJobId: 'own-copy', State: 'FAILED' }] })
  mock.on(ListRestoreJobsCommand).resolves({})
  const page = await new FleetTriage({ aws, diagnosis: fakeService(), defaultRegion: 'us-east-1' }).list({})
  t.equal(page.scope, 'organization')
  t.same(page.jobs.map((j) => j.job.id).sort(), ['member', 'own-copy'])
  t.same(page.jobs.find((j) => j.job.id === 'own-copy')?.job.accountId, OWN)
  t.equal(page.warnings.length, 1)
  t.match(page.warnings[0], /^ListCopyJobs/)
})

t.test('AWS throttling of the listing is a 503 AppError; per-job failures are reported, not fatal', async (t) => {
  const { aws, mock } = fakeAws()
  mock.on(ListBackupJobsCommand).rejects(awsError('ThrottlingException'))
  mock.on(ListCopyJobsCommand).resolves({})
  mock.on(ListRestoreJobsCommand).resolves({})
  const fleet = new FleetTriage({ aws, diagnosis: fakeService(), defaultRegion: 'us-east-1' })
  const err = await fleet.list({ accountId: '111111111111' }).catch((e: unknown) => e)
  t.ok(err instanceof AppError)
  t.equal((err as AppError).code, 'AWS_THROTTLED')
  t.equal((err as AppError).retryAfter, 5)

  const { aws: aws2, mock: mock2 } = fakeAws()
  mock2.on(ListBackupJobsCommand).resolves({})
  mock2.on(ListBackupJobsCommand, { ByState: 'FAILED' }).resolves({ BackupJobs: [job('ok', 1), job('gone', 2), job('ok2', 3)] })
  mock2.on(ListCopyJobsCommand).resolves({})
  mock2.on(ListRestoreJobsCommand).resolves({})
  const service = fakeService(async (ref) => {
    if (ref.jobId === 'gone') throw new AppError('JOB_NOT_FOUND', 'gone')
    return sampleDiagnosis(ref, ref.jobId === 'ok2' ? { rootCause: { code: 'VAULT_NOT_FOUND', entity: 'none', summary: 's', policy: null, action: null, resource: null } } : {})
  })
  const page = await new FleetTriage({ aws: aws2, diagnosis: service, defaultRegion: 'us-east-1' }).list({})
  t.same(page.undiagnosed, [{ code: 'JOB_NOT_FOUND', count: 1, jobIds: ['gone'] }])
  t.same(page.groups.map((g) => [g.code, g.count]), [['S3_BACKUP_POLICY_NOT_ATTACHED', 1], ['VAULT_NOT_FOUND', 1]])
})

t.test('bounded concurrency of diagnoses and listing cache', async (t) => {
  const { aws, mock } = fakeAws()
  mock.on(ListBackupJobsCommand).resolves({})
  mock.on(ListBackupJobsCommand, { ByState: 'FAILED' }).resolves({ BackupJobs: Array.from({ length: 30 }, (_, i) => job(`j${String(i).padStart(2, '0')}`, 1)) })
  mock.on(ListCopyJobsCommand).resolves({})
  mock.on(ListRestoreJobsCommand).resolves({})
  let active = 0
  let peak = 0
  const service = fakeService(async (ref) => {
    active++
    peak = Math.max(peak, active)
    await new Promise((r) => setTimeout(r, 2))
    active--
    return sampleDiagnosis(ref)
  })
  const fleet = new FleetTriage({ aws, diagnosis: service, defaultRegion: 'us-east-1', concurrency: 3 })
  const p1 = await fleet.list({ limit: 20 })
  t.equal(p1.jobs.length, 20)
  t.equal(peak, 3)
  const listCalls = mock.calls().length
  const p2 = await fleet.list({ limit: 20, ...(p1.nextToken ? { nextToken: p1.nextToken } : {}) })
  t.equal(p2.jobs.length, 10)
  t.equal(p2.nextToken, null)
  t.equal(mock.calls().length, listCalls, 'second page served from the cached listing')
  await t.rejects(fleet.list({ nextToken: 'garbage' }), { code: 'BAD_REQUEST' })
})

t.test('since parsing', async (t) => {
  t.equal(parseSince('2026-11-20'), '2026-11-20T00:00:00.000Z')
  t.equal(parseSince('2026-11-20T02:00:00+02:00'), '2026-11-20T00:00:00.000Z')
  for (const bad of ['yesterday', '2026-13-01', '2026-11-20T02:00', '1700000000']) t.throws(() => parseSince(bad), { code: 'BAD_REQUEST' }, bad)
})
