import t from 'tap'
import {
  DescribeBackupJobCommand, DescribeCopyJobCommand, DescribeRestoreJobCommand, ListBackupJobsCommand, ListCopyJobsCommand,
  ListRestoreJobsCommand, ResourceNotFoundException, InvalidParameterValueException,
} from '@aws-sdk/client-backup'
import { AccessDeniedException, DescribeOrganizationCommand, AWSOrganizationsNotInUseException } from '@aws-sdk/client-organizations'
import { collectEvidence } from '../../src/evidence/index.js'
import { findJob } from '../../src/evidence/job.js'
import { AppError } from '../../src/errors.js'
import { awsMocks, testContext, chain, JOB, OWN, DEST, REGION } from './mocks.js'

const m = awsMocks()
const ID = '7C9E1A3B-5D6E-4B8C-9DAE-2F4A6B8C0D08'
const notFound = () => new ResourceNotFoundException({ message: 'not found', $metadata: { httpStatusCode: 404 } })
const COPY = {
  CopyJobId: ID, AccountId: JOB, State: 'FAILED' as const, StatusMessage: 'Access denied',
  SourceBackupVaultArn: `arn:aws:backup:${REGION}:${JOB}:backup-vault:prod-vault`,
  SourceRecoveryPointArn: 'arn:aws:ec2:us-east-1::snapshot/snap-1',
  DestinationBackupVaultArn: `arn:aws:backup:${REGION}:${DEST}:backup-vault:central`,
  IamRoleArn: `arn:aws:iam::${JOB}:role/service-role/AWSBackupDefaultServiceRole`,
  ResourceType: 'EBS', CreationDate: new Date('2026-11-20T04:00:00Z'),
  DestinationRecoveryPointLifecycle: { DeleteAfterDays: 30 },
}

t.beforeEach(() => {
  m.reset()
  m.backup.on(DescribeBackupJobCommand).rejects(notFound())
  m.backup.on(DescribeCopyJobCommand).rejects(notFound())
  m.backup.on(DescribeRestoreJobCommand).rejects(notFound())
  m.org.on(DescribeOrganizationCommand).rejects(new AWSOrganizationsNotInUseException({ message: 'no org', $metadata: {} }))
})

t.test('without a type the three describes run in parallel; the one that answers wins, normalised', async (t) => {
  m.backup.on(DescribeCopyJobCommand).resolves({ CopyJob: COPY })
  const c = chain(testContext())
  const r = await findJob(c, ID, ['backup', 'copy', 'restore'], JOB, REGION)
  t.equal(r.kind, 'found')
  if (r.kind !== 'found') return
  t.match(r.job, {
    id: ID, type: 'copy', accountId: JOB, region: REGION, state: 'FAILED', backupVaultName: 'prod-vault',
    destinationBackupVaultArn: COPY.DestinationBackupVaultArn, recoveryPointArn: COPY.SourceRecoveryPointArn,
    creationDate: '2026-11-20T04:00:00.000Z', lifecycle: { deleteAfterDays: 30, moveToColdStorageAfterDays: null },
    raw: { CreationDate: '2026-11-20T04:00:00.000Z' },
  })
  t.same([m.backup.commandCalls(DescribeBackupJobCommand).length, m.backup.commandCalls(DescribeCopyJobCommand).length, m.backup.commandCalls(DescribeRestoreJobCommand).length], [1, 1, 1])
  t.equal(c.flow.maxDepth, 3, 'identity, AssumeRole, one round of describes')
  t.doesNotThrow(() => JSON.parse(JSON.stringify(r.job)))
})

t.test('the describe that answers wins at once: the others are not waited for, and the collection still awaits them', async (t) => {
  m.backup.on(DescribeCopyJobCommand).resolves({ CopyJob: COPY })
  let pending = 0
  const slowNotFound = async () => {
    pending++
    await new Promise((r) => setTimeout(r, 150))
    pending--
    throw notFound()
  }
  m.backup.on(DescribeBackupJobCommand).callsFake(slowNotFound)
  m.backup.on(DescribeRestoreJobCommand).callsFake(slowNotFound)
  const c = chain(testContext())
  const r = await findJob(c, ID, ['backup', 'copy', 'restore'], JOB, REGION)
  t.equal(r.kind, 'found')
  t.equal(pending, 2, 'found while the two not-found answers are still on their way')
  await c.flow.close()
  t.equal(pending, 0, 'closing the collection waits for them')
  t.equal(c.flow.maxDepth, 3)
})

t.test('with a type only that describe runs; restore and backup shapes', async (t) => {
  m.backup.on(DescribeRestoreJobCommand).resolves({
    RestoreJobId: ID, AccountId: JOB, Status: 'FAILED', RecoveryPointArn: 'arn:aws:ec2:us-east-1::image/ami-1',
    BackupVaultArn: `arn:aws:backup:${REGION}:${JOB}:backup-vault:v`, CreatedResourceArn: 'arn:x', SourceResourceArn: 'arn:src',
  })
  const r = await findJob(chain(testContext()), ID, ['restore'], JOB, REGION)
  t.match(r, { kind: 'found', job: { type: 'restore', state: 'FAILED', backupVaultName: 'v', createdResourceArn: 'arn:x', resourceArn: 'arn:src' } })
  t.equal(m.backup.commandCalls(DescribeBackupJobCommand).length, 0)
  m.backup.on(DescribeBackupJobCommand).resolves({ BackupJobId: ID, State: 'COMPLETED', MessageCategory: 'AccessDenied', BackupVaultName: 'v', RecoveryPointLifecycle: { MoveToColdStorageAfterDays: 10 } })
  const b = await findJob(chain(testContext()), ID, ['backup'], JOB, REGION)
  t.match(b, { kind: 'found', job: { type: 'backup', messageCategory: 'AccessDenied', accountId: JOB, backupVaultArn: `arn:aws:backup:${REGION}:${JOB}:backup-vault:v`, lifecycle: { moveToColdStorageAfterDays: 10 } } })
})

t.test('malformed input is a 400 before any AWS call', async (t) => {
  const ctx = testContext()
  for (const ref of [{ jobId: 'bad id!' }, { jobId: ID, accountId: '123' }, { jobId: ID, region: 'mars-1' }, { jobId: ID, jobType: 'delete' as never }]) {
    const e = await collectEvidence(ref, ctx).catch((x: unknown) => x)
    t.ok(e instanceof AppError && e.code === 'BAD_REQUEST', JSON.stringify(ref))
  }
  t.equal(m.sts.calls().length + m.backup.calls().length, 0)
})

t.test('no describe finds it: JOB_NOT_FOUND (invalid-for-this-kind counts as not found)', async (t) => {
  m.backup.on(DescribeRestoreJobCommand).rejects(new InvalidParameterValueException({ message: 'bad id for restore', $metadata: {} }))
  const e = await collectEvidence({ jobId: ID, accountId: JOB }, testContext()).catch((x: unknown) => x)
  t.ok(e instanceof AppError)
  t.equal((e as AppError).code, 'JOB_NOT_FOUND')
})

t.test('throttled, timed out, garbled: AWS_THROTTLED (retryAfter), AWS_TIMEOUT, AWS_BAD_RESPONSE', async (t) => {
  m.backup.on(DescribeBackupJobCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } }))
  const e1 = await collectEvidence({ jobId: ID, accountId: JOB }, testContext()).catch((x: unknown) => x) as AppError
  t.equal(e1.code, 'AWS_THROTTLED')
  t.ok((e1.retryAfter ?? 0) > 0)

  m.backup.on(DescribeBackupJobCommand).callsFake(() => new Promise(() => {}))
  m.backup.on(DescribeCopyJobCommand).callsFake(() => new Promise(() => {}))
  const e2 = await collectEvidence({ jobId: ID, accountId: JOB }, testContext(), { deadlineMs: 50 }).catch((x: unknown) => x) as AppError
  t.equal(e2.code, 'AWS_TIMEOUT')

  m.backup.on(DescribeBackupJobCommand).rejects(new SyntaxError('Unexpected token < in JSON'))
  m.backup.on(DescribeCopyJobCommand).rejects(notFound())
  const e3 = await collectEvidence({ jobId: ID, accountId: JOB }, testContext()).catch((x: unknown) => x) as AppError
  t.equal(e3.code, 'AWS_BAD_RESPONSE')
  t.notMatch(e3.message, /AKID|secret/)
})

t.test('AccessDenied on the job read is evidence (unreadable job), not an error', async (t) => {
  m.backup.on(DescribeBackupJobCommand).rejects(new AccessDeniedException({ message: 'denied', $metadata: { httpStatusCode: 403 } }))
  const e = await collectEvidence({ jobId: ID, accountId: JOB }, testContext())
  t.match(e.job, { state: 'unreadable', error: 'AccessDeniedException', call: 'backup:DescribeBackupJob' })
  t.equal(e.jobRole.state, 'not-collected')
  t.ok(e.stats.awsCalls >= 3)
})

t.test('from a management account, a job in another account is found organization-wide', async (t) => {
  m.org.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-abc1234567', MasterAccountId: OWN } })
  // Page 1 has other jobs; page 2 the one wanted, in account JOB.
  m.backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [{ CopyJobId: ID.toLowerCase(), AccountId: JOB }] })
  m.backup.on(ListCopyJobsCommand, { NextToken: undefined }).resolves({ CopyJobs: [{ CopyJobId: 'other', AccountId: DEST }], NextToken: 't1' })
  m.backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [] })
  m.backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] })
  // In the own account the describe says not found; with JOB's credentials it answers.
  let ownCalls = 0
  m.backup.on(DescribeCopyJobCommand).callsFake(async (_i: unknown, getClient: () => { config: { credentials: () => Promise<{ accessKeyId: string }> } }) => {
    const creds = await getClient().config.credentials()
    if (creds.accessKeyId === 'AKIDSANDBOX') { ownCalls++; throw notFound() }
    return { CopyJob: COPY }
  })
  const e = await collectEvidence({ jobId: ID }, testContext())
  t.equal(ownCalls, 1)
  t.match(e.job, { state: 'read', value: { type: 'copy', accountId: JOB } })
  t.equal(e.request.accountId, JOB)
  t.same(m.backup.commandCalls(ListCopyJobsCommand).map((c) => c.args[0].input.ByAccountId), ['*', '*'])
})
