import t from 'tap'
import {
  DescribeBackupJobCommand, DescribeBackupVaultCommand, DescribeCopyJobCommand, DescribeRestoreJobCommand,
  DescribeGlobalSettingsCommand, DescribeRecoveryPointCommand, GetBackupVaultAccessPolicyCommand, ResourceNotFoundException,
} from '@aws-sdk/client-backup'
import { GetRoleCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, NoSuchEntityException } from '@aws-sdk/client-iam'
import { DescribeKeyCommand, GetKeyPolicyCommand, ListAliasesCommand } from '@aws-sdk/client-kms'
import {
  AccessDeniedException, AWSOrganizationsNotInUseException, ChildNotFoundException, DescribeAccountCommand, DescribeOrganizationCommand,
  ListParentsCommand, ListPoliciesForTargetCommand,
} from '@aws-sdk/client-organizations'
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { collectEvidence, evidenceGaps } from '../../src/evidence/index.js'
import { awsMocks, testContext, enc, TRUST, ALLOW_ALL, DEST, JOB, OWN, REGION } from './mocks.js'

const m = awsMocks()
const ID = '5E1B0C2A-6F3D-4E8B-9A71-2C4D6E8F0A01'
const KEY = `arn:aws:kms:${REGION}:${JOB}:key/1a2b3c4d-1111-4a4a-8b8b-0c0c0c0c0c01`
const nf = () => new ResourceNotFoundException({ message: 'nf', $metadata: {} })

t.beforeEach(() => {
  m.reset()
  m.backup.on(DescribeBackupJobCommand).resolves({
    BackupJobId: ID, AccountId: JOB, State: 'FAILED', BackupVaultName: 'v', IamRoleArn: `arn:aws:iam::${JOB}:role/BackupRole`,
    StatusMessage: 'not authorized', ResourceType: 'EBS',
  })
  m.backup.on(DescribeCopyJobCommand).rejects(nf())
  m.backup.on(DescribeRestoreJobCommand).rejects(nf())
  m.backup.on(DescribeBackupVaultCommand).resolves({ BackupVaultName: 'v', EncryptionKeyArn: KEY })
  m.backup.on(GetBackupVaultAccessPolicyCommand).rejects(nf())
  m.iam.on(GetRoleCommand).resolves({ Role: { RoleName: 'BackupRole', Path: '/', Arn: `arn:aws:iam::${JOB}:role/BackupRole`, RoleId: 'R', CreateDate: new Date(), AssumeRolePolicyDocument: enc(TRUST) } })
  m.iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] })
  m.iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] })
  m.kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY, KeyManager: 'CUSTOMER', KeyState: 'Enabled', Enabled: true } })
  m.kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify(ALLOW_ALL) })
  m.kms.on(ListAliasesCommand).resolves({ Aliases: [] })
  m.org.on(DescribeOrganizationCommand).rejects(new AWSOrganizationsNotInUseException({ message: 'no org', $metadata: {} }))
})

t.test('a backup job outside any organization: everything classified, JSON-serialisable, stats counted', async (t) => {
  const e = await collectEvidence({ jobId: ID, accountId: JOB }, testContext())
  t.match(e, {
    schemaVersion: 1, serviceAccountId: '100000000001', request: { jobId: ID, jobType: null, accountId: JOB, region: REGION },
    job: { state: 'read' }, jobRole: { state: 'read' }, alternateDefaultRole: { state: 'not-collected' },
    sourceVault: { state: 'read', value: { accessPolicy: { state: 'absent' } } }, destinationVault: { state: 'not-collected' },
    recoveryPoint: { state: 'not-collected' }, restoreMetadata: { state: 'not-collected' },
    organization: { state: 'absent' }, backupSettings: { state: 'not-collected' }, authorizationMessages: [],
  })
  t.match(e.keys[KEY], { state: 'read' })
  t.match(e.serviceLinkedRoles[JOB], { state: 'read' })
  t.same(evidenceGaps(e), [])
  t.same(JSON.parse(JSON.stringify(e)), e)
  t.ok(e.stats.awsCalls >= 15)
  // identity → AssumeRole → describes → vault → key.
  t.equal(e.stats.criticalPathDepth, 5)
})

t.test('AccessDenied after the job never aborts: unreadable items become gaps', async (t) => {
  const denied = () => new AccessDeniedException({ message: 'denied', $metadata: { httpStatusCode: 403 } })
  m.iam.on(GetRoleCommand).rejects(denied())
  m.kms.on(GetKeyPolicyCommand).rejects(denied())
  m.org.on(DescribeOrganizationCommand).rejects(denied())
  const e = await collectEvidence({ jobId: ID, accountId: JOB }, testContext())
  t.equal(e.job.state, 'read')
  t.match(e.jobRole, { state: 'unreadable', call: 'iam:GetRole' })
  t.match(e.organization, { state: 'unreadable', call: 'organizations:DescribeOrganization' })
  const gaps = evidenceGaps(e)
  t.same(gaps.map((g) => g.reason).sort(), [
    'AccessDeniedException on iam:GetRole',
    'AccessDeniedException on iam:GetRole',
    'AccessDeniedException on kms:GetKeyPolicy',
    'AccessDeniedException on organizations:DescribeOrganization',
  ])
  t.ok(gaps.some((g) => g.what === `job role arn:aws:iam::${JOB}:role/BackupRole`))
  t.ok(gaps.some((g) => g.what === `AWSServiceRoleForBackup in account ${JOB}`))
})

t.test('the deadline turns what is still pending into unreadable (timeout) items', async (t) => {
  m.kms.on(DescribeKeyCommand).callsFake(() => new Promise(() => {}))
  m.iam.on(GetRoleCommand).callsFake(() => new Promise(() => {}))
  const started = Date.now()
  const e = await collectEvidence({ jobId: ID, accountId: JOB }, testContext(), { deadlineMs: 300 })
  t.ok(Date.now() - started < 2000)
  t.match(e.jobRole, { state: 'unreadable', error: 'DeadlineExceeded', errorClass: 'timeout', call: 'iam:GetRole' })
  t.match(e.keys[KEY], { state: 'unreadable', errorClass: 'timeout', call: 'kms:DescribeKey' })
  t.equal(e.sourceVault.state, 'read', 'what answered in time is kept')
})

t.test('the default role: named at one path, found at the other', async (t) => {
  m.backup.on(DescribeBackupJobCommand).resolves({ BackupJobId: ID, AccountId: JOB, State: 'FAILED', BackupVaultName: 'v', IamRoleArn: `arn:aws:iam::${JOB}:role/service-role/AWSBackupDefaultServiceRole` })
  m.iam.on(GetRoleCommand).resolves({ Role: { RoleName: 'AWSBackupDefaultServiceRole', Path: '/', Arn: `arn:aws:iam::${JOB}:role/AWSBackupDefaultServiceRole`, RoleId: 'R', CreateDate: new Date(), AssumeRolePolicyDocument: enc(TRUST) } })
  const e = await collectEvidence({ jobId: ID, accountId: JOB, jobType: 'backup' }, testContext())
  t.equal(e.jobRole.state, 'absent')
  t.match(e.alternateDefaultRole, { state: 'read', value: { path: '/' } })

  m.iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: 'nf', $metadata: {} }))
  const e2 = await collectEvidence({ jobId: ID, accountId: JOB, jobType: 'backup' }, testContext())
  t.equal(e2.jobRole.state, 'absent')
  t.equal(e2.alternateDefaultRole.state, 'absent')
})

/** The account whose credentials sign a mocked call: own keys `AKIDSANDBOX`, reader role keys `ASIA<account>`. */
async function signer(getClient: () => { config: { credentials: () => Promise<{ accessKeyId: string }> } }): Promise<string> {
  const k = (await getClient().config.credentials()).accessKeyId
  return k.startsWith('ASIA') ? k.slice(4) : OWN
}

t.test('the organization is read through the service account, in parallel with the job describes', async (t) => {
  const signers: string[] = []
  m.org.on(DescribeOrganizationCommand).callsFake(async (_i, getClient) => {
    signers.push(await signer(getClient as never))
    return { Organization: { Id: 'o-abc1234567', MasterAccountId: OWN } }
  })
  m.org.on(ListParentsCommand).callsFake((i: { ChildId: string }) => ({ Parents: [i.ChildId === JOB ? { Id: 'ou-ab12-prod0000', Type: 'ORGANIZATIONAL_UNIT' } : { Id: 'r-ab12', Type: 'ROOT' }] }))
  m.org.on(ListPoliciesForTargetCommand).resolves({ Policies: [] })
  m.backup.on(DescribeGlobalSettingsCommand).resolves({ GlobalSettings: { isCrossAccountBackupEnabled: 'true' } })
  const e = await collectEvidence({ jobId: ID, accountId: JOB, jobType: 'backup' }, testContext())
  t.same(signers, [OWN], 'one DescribeOrganization, with the service\'s own credentials (no AssumeRole needed)')
  t.match(e.organization, { state: 'read', value: { id: 'o-abc1234567', managementAccountId: OWN, accounts: { [JOB]: { state: 'read', value: { path: { state: 'read' } } } } } })
  t.match(e.backupSettings, { state: 'read' })
  t.equal(m.org.commandCalls(DescribeAccountCommand).length, 0, 'membership comes from ListParents')
  // Org path: DescribeOrganization → ListParents(account) → ListParents(OU) → the root's lists, from the
  // identity on; the job side: identity → AssumeRole → describe → vault → key is as deep: neither waits for the other.
  t.equal(e.stats.criticalPathDepth, 5)
})

t.test('a job account outside the service organization is looked up through its own DescribeOrganization', async (t) => {
  m.org.on(DescribeOrganizationCommand).callsFake(async (_i, getClient) => (await signer(getClient as never)) === OWN
    ? { Organization: { Id: 'o-service0001', MasterAccountId: OWN } }
    : { Organization: { Id: 'o-other00001', MasterAccountId: DEST } })
  m.org.on(ListParentsCommand).callsFake(async (i: { ChildId: string }, getClient) => {
    // The service's organization does not know the job account; the other organization's management account does.
    if ((await signer(getClient as never)) === OWN) throw new ChildNotFoundException({ message: 'nf', $metadata: {} })
    return { Parents: [{ Id: 'r-zz99', Type: 'ROOT' }] }
  })
  m.org.on(ListPoliciesForTargetCommand).resolves({ Policies: [] })
  m.backup.on(DescribeGlobalSettingsCommand).resolves({ GlobalSettings: { isCrossAccountBackupEnabled: 'false' } })
  const e = await collectEvidence({ jobId: ID, accountId: JOB, jobType: 'backup' }, testContext())
  t.match(e.organization, { state: 'read', value: { id: 'o-other00001', managementAccountId: DEST, accounts: { [JOB]: { state: 'read' } } } })

  // In no organization at all: the service's organization does not have it, and the account itself says so.
  m.org.on(DescribeOrganizationCommand).callsFake(async (_i, getClient) => {
    if ((await signer(getClient as never)) === OWN) return { Organization: { Id: 'o-service0001', MasterAccountId: OWN } }
    throw new AWSOrganizationsNotInUseException({ message: 'no org', $metadata: {} })
  })
  const e2 = await collectEvidence({ jobId: ID, accountId: JOB, jobType: 'backup' }, testContext())
  t.match(e2.organization, { state: 'absent' })
  t.match(e2.backupSettings, { state: 'not-collected' })
})

t.test('the service-linked role: its existence is read, not its AWS-defined policies', async (t) => {
  const e = await collectEvidence({ jobId: ID, accountId: JOB, jobType: 'backup' }, testContext())
  t.match(e.serviceLinkedRoles[JOB], { state: 'read', value: { inlinePolicies: { state: 'not-collected' }, attachedPolicies: { state: 'not-collected' } } })
  t.same(m.iam.commandCalls(ListAttachedRolePoliciesCommand).map((c) => (c.args[0].input as { RoleName: string }).RoleName), ['BackupRole'])
  t.same(m.iam.commandCalls(ListRolePoliciesCommand).map((c) => (c.args[0].input as { RoleName: string }).RoleName), ['BackupRole'])
})

t.test('a job that is not found leaves no AWS call running behind the answer', async (t) => {
  // The describes take 20 ms to say not-found: the organization read has started by then.
  m.backup.on(DescribeBackupJobCommand).callsFake(async () => {
    await new Promise((r) => setTimeout(r, 20))
    throw nf()
  })
  m.org.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-abc1234567', MasterAccountId: OWN } })
  // The organization read started beside the describes is slower than they are.
  let inflight = 0
  m.org.on(ListParentsCommand).callsFake(async () => {
    inflight++
    await new Promise((r) => setTimeout(r, 40))
    inflight--
    return { Parents: [{ Id: 'ou-ab12-prod0000', Type: 'ORGANIZATIONAL_UNIT' }] }
  })
  m.org.on(ListPoliciesForTargetCommand).resolves({ Policies: [] })
  await t.rejects(collectEvidence({ jobId: ID, accountId: JOB }, testContext()), { code: 'JOB_NOT_FOUND' })
  t.equal(inflight, 0, 'what was in flight has settled when the answer is given')
  const hops = m.org.commandCalls(ListParentsCommand).length
  await new Promise((r) => setTimeout(r, 120))
  t.equal(m.org.commandCalls(ListParentsCommand).length, hops, 'no further hop starts after the answer')
  t.equal(hops, 1)
})

t.test('the service in the job account, the management account elsewhere: the AssumeRole there is on the org path', async (t) => {
  m.sts.on(GetCallerIdentityCommand).resolves({ Account: JOB, Arn: `arn:aws:iam::${JOB}:role/doctor`, UserId: 'AROA' })
  m.org.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-abc1234567', MasterAccountId: OWN } })
  m.org.on(ListParentsCommand).callsFake((i: { ChildId: string }) => ({ Parents: [i.ChildId === JOB ? { Id: 'ou-ab12-prod0000', Type: 'ORGANIZATIONAL_UNIT' } : { Id: 'r-ab12', Type: 'ROOT' }] }))
  m.org.on(ListPoliciesForTargetCommand).resolves({ Policies: [] })
  m.backup.on(DescribeGlobalSettingsCommand).resolves({ GlobalSettings: { isCrossAccountBackupEnabled: 'true' } })
  const e = await collectEvidence({ jobId: ID, accountId: JOB, jobType: 'backup' }, testContext())
  t.match(e.organization, { state: 'read', value: { managementAccountId: OWN } })
  t.same(m.sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn), [`arn:aws:iam::${OWN}:role/BackupDoctorReadOnly`])
  // identity → DescribeOrganization → AssumeRole(management) → ListParents ×2 → the root's lists;
  // whichever read learns the management account first pays the AssumeRole, in depth too.
  t.equal(e.stats.criticalPathDepth, 6)
})

t.test('a backup job that names its recovery point: the point and its key are read (an RDS snapshot keeps its source key)', async (t) => {
  const RP = `arn:aws:rds:${REGION}:${JOB}:snapshot:awsbackup:job-1`
  const SOURCE_KEY = `arn:aws:kms:${REGION}:${JOB}:key/1a2b3c4d-2222-4a4a-8b8b-0c0c0c0c0c02`
  m.backup.on(DescribeBackupJobCommand).resolves({
    BackupJobId: ID, AccountId: JOB, State: 'FAILED', BackupVaultName: 'v', IamRoleArn: `arn:aws:iam::${JOB}:role/BackupRole`,
    ResourceType: 'RDS', RecoveryPointArn: RP,
  })
  m.backup.on(DescribeRecoveryPointCommand).resolves({ RecoveryPointArn: RP, BackupVaultName: 'v', IsEncrypted: true, EncryptionKeyArn: SOURCE_KEY, Status: 'PARTIAL' })
  const e = await collectEvidence({ jobId: ID, accountId: JOB, jobType: 'backup' }, testContext())
  t.match(e.recoveryPoint, { state: 'read', value: { arn: RP, encryptionKeyArn: SOURCE_KEY } })
  t.ok(e.keys[SOURCE_KEY], 'the source key is read too')

  m.backup.on(DescribeBackupJobCommand).resolves({ BackupJobId: ID, AccountId: JOB, State: 'FAILED', BackupVaultName: 'v', IamRoleArn: `arn:aws:iam::${JOB}:role/BackupRole` })
  const e2 = await collectEvidence({ jobId: ID, accountId: JOB, jobType: 'backup' }, testContext())
  t.match(e2.recoveryPoint, { state: 'not-collected' })
})
