import t from 'tap'
import {
  DescribeBackupVaultCommand, DescribeGlobalSettingsCommand, DescribeRecoveryPointCommand, GetBackupVaultAccessPolicyCommand,
  GetRecoveryPointRestoreMetadataCommand, ResourceNotFoundException,
} from '@aws-sdk/client-backup'
import { AccessDeniedException } from '@aws-sdk/client-organizations'
import { readGlobalSettings, readRecoveryPoint, readRestoreMetadata, readVault } from '../../src/evidence/backup.js'
import { awsMocks, testContext, chain, ALLOW_ALL, JOB, DEST, OWN, REGION } from './mocks.js'

const m = awsMocks()
const KEY = `arn:aws:kms:${REGION}:${JOB}:key/1a2b3c4d-1111-4a4a-8b8b-0c0c0c0c0c01`
const notFound = (msg = 'not found') => new ResourceNotFoundException({ message: msg, $metadata: { httpStatusCode: 404 } })
t.beforeEach(() => m.reset())

t.test('vault with policy, key and lock', async (t) => {
  m.backup.on(DescribeBackupVaultCommand).resolves({
    BackupVaultName: 'v', BackupVaultArn: `arn:aws:backup:${REGION}:${JOB}:backup-vault:v`, EncryptionKeyArn: KEY, VaultType: 'BACKUP_VAULT',
    Locked: true, MinRetentionDays: 7, MaxRetentionDays: 35, LockDate: new Date('2026-01-01T00:00:00Z'),
  })
  m.backup.on(GetBackupVaultAccessPolicyCommand).resolves({ Policy: JSON.stringify(ALLOW_ALL) })
  const c = chain(testContext())
  const v = await readVault(c, JOB, REGION, 'v')
  t.match(v, { state: 'read', value: { encryptionKeyArn: KEY, locked: true, minRetentionDays: 7, maxRetentionDays: 35, lockDate: '2026-01-01T00:00:00.000Z', accessPolicy: { state: 'read', value: ALLOW_ALL } } })
  t.equal(c.flow.maxDepth, 3, 'GetCallerIdentity, AssumeRole, then vault and policy in parallel')
})

t.test('no access policy is absent; a missing vault is absent; denied is unreadable', async (t) => {
  m.backup.on(DescribeBackupVaultCommand).resolves({ BackupVaultName: 'v' })
  m.backup.on(GetBackupVaultAccessPolicyCommand).rejects(notFound('Backup vault v has no policy'))
  const ctx = testContext()
  t.match(await readVault(chain(ctx), JOB, REGION, 'v'), { state: 'read', value: { accessPolicy: { state: 'absent' }, locked: false, encryptionKeyArn: null } })
  m.backup.on(DescribeBackupVaultCommand).rejects(notFound())
  t.match(await readVault(chain(ctx), JOB, REGION, 'gone'), { state: 'absent' })
  m.backup.on(DescribeBackupVaultCommand).rejects(new AccessDeniedException({ message: 'no', $metadata: {} }))
  t.match(await readVault(chain(ctx), DEST, REGION, 'v'), { state: 'unreadable', call: 'backup:DescribeBackupVault', errorClass: 'access-denied' })
})

t.test('a malformed vault policy is unreadable (invalid)', async (t) => {
  m.backup.on(DescribeBackupVaultCommand).resolves({ BackupVaultName: 'v' })
  m.backup.on(GetBackupVaultAccessPolicyCommand).resolves({ Policy: '{"Statement":' })
  const v = await readVault(chain(testContext()), JOB, REGION, 'v')
  t.match(v, { state: 'read', value: { accessPolicy: { state: 'unreadable', error: 'MalformedPolicyDocument', errorClass: 'invalid' } } })
})

t.test('recovery point and restore metadata', async (t) => {
  const RP = 'arn:aws:ec2:us-east-1::image/ami-0123'
  m.backup.on(DescribeRecoveryPointCommand).resolves({ RecoveryPointArn: RP, BackupVaultName: 'v', Status: 'COMPLETED', IsEncrypted: true, EncryptionKeyArn: KEY, CreationDate: new Date('2026-11-20T02:05:00Z') })
  m.backup.on(GetRecoveryPointRestoreMetadataCommand).resolves({ RestoreMetadata: { IamInstanceProfileName: 'app' } })
  const ctx = testContext()
  t.match(await readRecoveryPoint(chain(ctx), JOB, REGION, 'v', RP), { state: 'read', value: { status: 'COMPLETED', encryptionKeyArn: KEY, creationDate: '2026-11-20T02:05:00.000Z', raw: { CreationDate: '2026-11-20T02:05:00.000Z' } } })
  t.same(await readRestoreMetadata(chain(ctx), JOB, REGION, 'v', RP), { state: 'read', value: { IamInstanceProfileName: 'app' } })
  t.same(m.backup.commandCalls(DescribeRecoveryPointCommand)[0]!.args[0].input, { BackupVaultName: 'v', RecoveryPointArn: RP, BackupVaultAccountId: JOB })
  m.backup.on(DescribeRecoveryPointCommand).rejects(notFound())
  t.match(await readRecoveryPoint(chain(ctx), JOB, REGION, 'v', `${RP}-gone`), { state: 'absent' })
})

t.test('global settings from the management account', async (t) => {
  m.backup.on(DescribeGlobalSettingsCommand).resolves({ GlobalSettings: { isCrossAccountBackupEnabled: 'true', isMpaEnabled: 'false' } })
  const ctx = testContext()
  t.match(await readGlobalSettings(chain(ctx), OWN, REGION), { state: 'read', value: { isCrossAccountBackupEnabled: true } })
  m.backup.on(DescribeGlobalSettingsCommand).resolves({ GlobalSettings: {} })
  t.match(await readGlobalSettings(chain(ctx), DEST, REGION), { state: 'read', value: { isCrossAccountBackupEnabled: null } })
})
