import t from 'tap'
import type {
  BackupServiceException} from '@aws-sdk/client-backup';
import { DescribeBackupJobCommand, DescribeBackupVaultCommand, DescribeCopyJobCommand, DescribeGlobalSettingsCommand,
  DescribeRecoveryPointCommand, DescribeRestoreJobCommand, GetBackupVaultAccessPolicyCommand, GetRecoveryPointRestoreMetadataCommand,
  InvalidParameterValueException, InvalidRequestException, ListBackupJobsCommand, ListCopyJobsCommand, ListRestoreJobsCommand,
  ResourceNotFoundException, paginateListBackupJobs,
} from '@aws-sdk/client-backup'
import { CENTRAL, MGMT, OUTSIDE, PROD, RDS_RP_ARN, SNAP_ARN, fullWorld } from './fixtures/full-world.js'
import { clientsAs, plain, setup } from './fixtures/util.js'

const world = fullWorld()
const prod = world.accounts.find((a) => a.id === PROD)!
const job = (id: string) => prod.backup!.backupJobs!.find((j) => j.BackupJobId === id)!

t.test('DescribeBackupJob returns every field the world holds, dates as Dates', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  const out = await c.backup.send(new DescribeBackupJobCommand({ BackupJobId: '3E5A7C9E-1F2A-4D4E-8F6A-8B0C2D4E6F01' }))
  t.ok(out.CreationDate instanceof Date)
  t.equal(out.CompletionDate?.getTime(), Date.parse('2026-11-20T02:10:30.250Z'), 'fractional seconds survive')
  t.strictSame(plain(out), job('3E5A7C9E-1F2A-4D4E-8F6A-8B0C2D4E6F01'))
  const parent = await c.backup.send(new DescribeBackupJobCommand({ BackupJobId: 'B3' }))
  t.strictSame(plain(parent), job('B3'), 'ChildJobsInState and NumberOfChildJobs arrive')
})

t.test('DescribeCopyJob wraps the job in CopyJob with every field', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  const out = await c.backup.send(new DescribeCopyJobCommand({ CopyJobId: '8DAF2B4C-6E7F-4C9D-8EBF-3A5B7C9D1E09' }))
  t.strictSame(plain(out.CopyJob), prod.backup!.copyJobs![0])
})

t.test('DescribeRestoreJob: every field; BackupVaultArn derived from the recovery point when absent', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  const r1 = await c.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: 'R1' }))
  t.strictSame(plain(r1), { ...prod.backup!.restoreJobs![0], BackupVaultArn: `arn:aws:backup:us-east-1:${PROD}:backup-vault:prod-vault` })
  const r2 = await c.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: 'R2' }))
  t.strictSame(plain(r2), prod.backup!.restoreJobs![1])
})

t.test('a job is visible only to its account and region', async (t) => {
  const { sandbox, clients } = await setup(t)
  // The management account's own credentials do not see a member's job.
  const err = await clients.backup.send(new DescribeBackupJobCommand({ BackupJobId: 'B2' })).catch((e: unknown) => e)
  t.ok(err instanceof ResourceNotFoundException)
  t.equal((err as BackupServiceException).$metadata.httpStatusCode, 400)
  const eu = await clientsAs(t, sandbox.url, PROD, 'eu-west-1')
  t.equal((await eu.backup.send(new DescribeBackupJobCommand({ BackupJobId: 'B-EU' }))).BackupJobId, 'B-EU')
  await t.rejects(eu.backup.send(new DescribeBackupJobCommand({ BackupJobId: 'B2' })), ResourceNotFoundException)
  const us = await clientsAs(t, sandbox.url, PROD)
  await t.rejects(us.backup.send(new DescribeBackupJobCommand({ BackupJobId: 'B-EU' })), ResourceNotFoundException)
  await t.rejects(us.backup.send(new DescribeCopyJobCommand({ CopyJobId: 'nope' })), ResourceNotFoundException)
  await t.rejects(us.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: 'nope' })), ResourceNotFoundException)
})

t.test('ListBackupJobs filters and paginates', async (t) => {
  const { sandbox, clients } = await setup(t)
  const ids = (jobs: { BackupJobId?: string }[] | undefined) => (jobs ?? []).map((j) => j.BackupJobId)
  // From the management account, accountId=* covers every member account (not outsiders).
  const all = await clients.backup.send(new ListBackupJobsCommand({ ByAccountId: '*' }))
  t.strictSame(ids(all.BackupJobs), ['3E5A7C9E-1F2A-4D4E-8F6A-8B0C2D4E6F01', 'B2', 'B3', 'B-CENTRAL'])
  t.strictSame(plain(all.BackupJobs![0]), job('3E5A7C9E-1F2A-4D4E-8F6A-8B0C2D4E6F01'), 'list members carry every field')
  t.strictSame(ids((await clients.backup.send(new ListBackupJobsCommand({}))).BackupJobs), [], 'no accountId: the caller account only')
  t.strictSame(ids((await clients.backup.send(new ListBackupJobsCommand({ ByAccountId: CENTRAL }))).BackupJobs), ['B-CENTRAL'])
  t.strictSame(ids((await clients.backup.send(new ListBackupJobsCommand({ ByAccountId: '*', ByState: 'FAILED' }))).BackupJobs), ['3E5A7C9E-1F2A-4D4E-8F6A-8B0C2D4E6F01', 'B3', 'B-CENTRAL'])
  t.strictSame(ids((await clients.backup.send(new ListBackupJobsCommand({ ByAccountId: '*', ByResourceType: 'DynamoDB' }))).BackupJobs), ['B2'])
  t.strictSame(ids((await clients.backup.send(new ListBackupJobsCommand({ ByAccountId: '*', ByBackupVaultName: 'locked-vault' }))).BackupJobs), ['B3'])
  t.strictSame(ids((await clients.backup.send(new ListBackupJobsCommand({ ByAccountId: '*', ByMessageCategory: 'SUCCESS' }))).BackupJobs), ['B2'])
  t.strictSame(ids((await clients.backup.send(new ListBackupJobsCommand({ ByAccountId: '*', ByResourceArn: `arn:aws:rds:us-east-1:${PROD}:db:orders` }))).BackupJobs), ['B3'])
  t.strictSame(ids((await clients.backup.send(new ListBackupJobsCommand({
    ByAccountId: '*', ByCreatedAfter: new Date('2026-11-20T12:00:00Z'), ByCreatedBefore: new Date('2026-11-22T00:00:00Z'),
  }))).BackupJobs), ['B2'])
  t.strictSame(ids((await clients.backup.send(new ListBackupJobsCommand({ ByAccountId: '*', ByCompleteAfter: new Date('2026-11-21T00:00:00Z') }))).BackupJobs), ['B2'])
  // A member account sees its own jobs only, whatever accountId says.
  const member = await clientsAs(t, sandbox.url, PROD)
  t.strictSame(ids((await member.backup.send(new ListBackupJobsCommand({}))).BackupJobs), ['3E5A7C9E-1F2A-4D4E-8F6A-8B0C2D4E6F01', 'B2', 'B3'])
  t.strictSame(ids((await member.backup.send(new ListBackupJobsCommand({ ByAccountId: CENTRAL }))).BackupJobs), [])

  // Pagination, driven by the SDK's own paginator with one item per page.
  const pages: (string | undefined)[][] = []
  for await (const page of paginateListBackupJobs({ client: clients.backup, pageSize: 1 }, { ByAccountId: '*' })) pages.push(ids(page.BackupJobs))
  t.strictSame(pages, [['3E5A7C9E-1F2A-4D4E-8F6A-8B0C2D4E6F01'], ['B2'], ['B3'], ['B-CENTRAL']])
  const first = await clients.backup.send(new ListBackupJobsCommand({ ByAccountId: '*', MaxResults: 3 }))
  t.equal(first.BackupJobs?.length, 3)
  t.type(first.NextToken, 'string')
  // A token is only valid for the listing that issued it.
  await t.rejects(clients.backup.send(new ListBackupJobsCommand({ ByAccountId: CENTRAL, NextToken: first.NextToken })), InvalidParameterValueException)
  await t.rejects(clients.backup.send(new ListBackupJobsCommand({ NextToken: 'garbage' })), InvalidParameterValueException)
  await t.rejects(clients.backup.send(new ListBackupJobsCommand({ MaxResults: 0 })), InvalidParameterValueException)
})

t.test('ListCopyJobs and ListRestoreJobs filter and paginate', async (t) => {
  const { sandbox, clients } = await setup(t)
  const copies = await clients.backup.send(new ListCopyJobsCommand({ ByAccountId: '*', ByState: 'FAILED' }))
  t.strictSame(copies.CopyJobs?.map((j) => j.CopyJobId), ['8DAF2B4C-6E7F-4C9D-8EBF-3A5B7C9D1E09', 'C-CENTRAL'])
  t.strictSame(plain(copies.CopyJobs![0]), prod.backup!.copyJobs![0])
  t.strictSame((await clients.backup.send(new ListCopyJobsCommand({ ByAccountId: '*', ByDestinationVaultArn: `arn:aws:backup:us-east-1:${CENTRAL}:backup-vault:other` }))).CopyJobs?.map((j) => j.CopyJobId), ['C2'])
  t.strictSame((await clients.backup.send(new ListCopyJobsCommand({ ByAccountId: '*', BySourceRecoveryPointArn: SNAP_ARN }))).CopyJobs?.map((j) => j.CopyJobId), ['8DAF2B4C-6E7F-4C9D-8EBF-3A5B7C9D1E09'])
  const p1 = await clients.backup.send(new ListCopyJobsCommand({ ByAccountId: '*', MaxResults: 1 }))
  const p2 = await clients.backup.send(new ListCopyJobsCommand({ ByAccountId: '*', MaxResults: 1, NextToken: p1.NextToken }))
  const p3 = await clients.backup.send(new ListCopyJobsCommand({ ByAccountId: '*', MaxResults: 1, NextToken: p2.NextToken }))
  t.strictSame([p1, p2, p3].map((p) => p.CopyJobs?.[0]?.CopyJobId), ['8DAF2B4C-6E7F-4C9D-8EBF-3A5B7C9D1E09', 'C2', 'C-CENTRAL'])
  t.equal(p3.NextToken, undefined)

  const member = await clientsAs(t, sandbox.url, PROD)
  const restores = await member.backup.send(new ListRestoreJobsCommand({ ByStatus: 'FAILED' }))
  t.strictSame(plain(restores.RestoreJobs), [{ ...prod.backup!.restoreJobs![0], BackupVaultArn: `arn:aws:backup:us-east-1:${PROD}:backup-vault:prod-vault` }])
  t.strictSame((await member.backup.send(new ListRestoreJobsCommand({ ByRestoreTestingPlanArn: `arn:aws:backup:us-east-1:${PROD}:restore-testing-plan:plan-x` }))).RestoreJobs?.map((j) => j.RestoreJobId), ['R1'])
  const r1 = await member.backup.send(new ListRestoreJobsCommand({ MaxResults: 1 }))
  const r2 = await member.backup.send(new ListRestoreJobsCommand({ MaxResults: 1, NextToken: r1.NextToken }))
  t.strictSame([r1.RestoreJobs?.[0]?.RestoreJobId, r2.RestoreJobs?.[0]?.RestoreJobId, r2.NextToken], ['R1', 'R2', undefined])
})

t.test('DescribeBackupVault: lock, type, key and derived fields', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  const locked = await c.backup.send(new DescribeBackupVaultCommand({ BackupVaultName: 'locked-vault' }))
  t.strictSame(plain(locked), {
    BackupVaultName: 'locked-vault',
    BackupVaultArn: `arn:aws:backup:us-east-1:${PROD}:backup-vault:locked-vault`,
    VaultType: 'BACKUP_VAULT',
    VaultState: 'AVAILABLE',
    EncryptionKeyArn: `arn:aws:kms:us-east-1:${PROD}:key/1a2b3c4d-3333-4a4a-8b8b-0c0c0c0c0c03`,
    CreationDate: '2024-01-15T10:00:00.000Z',
    NumberOfRecoveryPoints: 1,
    Locked: true,
    MinRetentionDays: 7,
    MaxRetentionDays: 365,
    LockDate: '2026-01-02T03:04:05.000Z',
  })
  const lag = await c.backup.send(new DescribeBackupVaultCommand({ BackupVaultName: 'airgapped' }))
  t.equal(lag.VaultType, 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT')
  t.equal(lag.Locked, false)
  t.equal(lag.EncryptionKeyArn, undefined, 'nothing the world does not say')
  await t.rejects(c.backup.send(new DescribeBackupVaultCommand({ BackupVaultName: 'eu-vault' })), ResourceNotFoundException, 'other region')
  await t.rejects(c.backup.send(new DescribeBackupVaultCommand({ BackupVaultName: 'missing' })), ResourceNotFoundException)
  await t.rejects(c.backup.send(new DescribeBackupVaultCommand({ BackupVaultName: 'prod-vault', BackupVaultAccountId: CENTRAL })), { name: 'AccessDeniedException' })
})

t.test('GetBackupVaultAccessPolicy: the policy as a JSON string; no policy is ResourceNotFoundException', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  const out = await c.backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'locked-vault' }))
  t.equal(out.BackupVaultName, 'locked-vault')
  t.equal(out.BackupVaultArn, `arn:aws:backup:us-east-1:${PROD}:backup-vault:locked-vault`)
  t.strictSame(JSON.parse(out.Policy!), prod.backup!.vaults![1]!.accessPolicy)
  await t.rejects(c.backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'prod-vault' })), ResourceNotFoundException)
  await t.rejects(c.backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'missing' })), ResourceNotFoundException)
})

t.test('DescribeRecoveryPoint and GetRecoveryPointRestoreMetadata (ARN as one encoded path segment)', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  const rp = await c.backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'prod-vault', RecoveryPointArn: SNAP_ARN }))
  t.strictSame(plain(rp), {
    RecoveryPointArn: SNAP_ARN,
    BackupVaultName: 'prod-vault',
    BackupVaultArn: `arn:aws:backup:us-east-1:${PROD}:backup-vault:prod-vault`,
    ResourceArn: `arn:aws:ec2:us-east-1:${PROD}:volume/vol-0a1b2c3d4e5f67890`,
    ResourceType: 'EBS',
    Status: 'COMPLETED',
    CreationDate: '2026-11-20T02:05:00.000Z',
    EncryptionKeyArn: `arn:aws:kms:us-east-1:${PROD}:key/1a2b3c4d-1111-4a4a-8b8b-0c0c0c0c0c01`,
    IsEncrypted: true,
    VaultType: 'BACKUP_VAULT',
  })
  const rds = await c.backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'locked-vault', RecoveryPointArn: RDS_RP_ARN }))
  t.strictSame([rds.Status, rds.IsEncrypted, rds.ResourceType], ['PARTIAL', false, 'RDS'])
  const meta = await c.backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'prod-vault', RecoveryPointArn: SNAP_ARN }))
  t.strictSame(plain(meta), {
    BackupVaultArn: `arn:aws:backup:us-east-1:${PROD}:backup-vault:prod-vault`,
    RecoveryPointArn: SNAP_ARN,
    RestoreMetadata: { volumeType: 'gp3', encrypted: 'true', availabilityZone: 'us-east-1a' },
    ResourceType: 'EBS',
  })
  await t.rejects(c.backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: 'locked-vault', RecoveryPointArn: SNAP_ARN })), ResourceNotFoundException, 'wrong vault')
  await t.rejects(c.backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: 'prod-vault', RecoveryPointArn: 'arn:aws:ec2:us-east-1::snapshot/snap-none' })), ResourceNotFoundException)
})

t.test('DescribeGlobalSettings answers members with the organization settings, errors outside', async (t) => {
  const { sandbox, clients } = await setup(t)
  const out = await clients.backup.send(new DescribeGlobalSettingsCommand({}))
  t.strictSame(out.GlobalSettings, { isCrossAccountBackupEnabled: 'true' })
  t.ok(out.LastUpdateTime instanceof Date)
  const member = await clientsAs(t, sandbox.url, PROD)
  t.strictSame((await member.backup.send(new DescribeGlobalSettingsCommand({}))).GlobalSettings, { isCrossAccountBackupEnabled: 'true' })
  const outsider = await clientsAs(t, sandbox.url, OUTSIDE)
  await t.rejects(outsider.backup.send(new DescribeGlobalSettingsCommand({})), InvalidRequestException)
  const w = fullWorld()
  delete w.organization!.backupSettings
  const other = await setup(t, w)
  t.strictSame((await other.clients.backup.send(new DescribeGlobalSettingsCommand({}))).GlobalSettings, { isCrossAccountBackupEnabled: 'false' })
  t.equal(sandbox.log.filter((e) => e.accountId === MGMT && e.operation === 'DescribeGlobalSettings').length, 1)
})
