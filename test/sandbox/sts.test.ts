import t from 'tap'
import { AssumeRoleCommand, DecodeAuthorizationMessageCommand, GetCallerIdentityCommand, InvalidAuthorizationMessageException } from '@aws-sdk/client-sts'
import { GetRoleCommand } from '@aws-sdk/client-iam'
import { DescribeBackupVaultCommand } from '@aws-sdk/client-backup'
import { CENTRAL, MGMT, OUTSIDE, PROD, fullWorld } from './fixtures/full-world.js'
import { setup } from './fixtures/util.js'
import { sandboxClients } from '../helpers/sandbox.js'

t.test('GetCallerIdentity before and after AssumeRole; the new credentials read the other account', async (t) => {
  const { sandbox, clients } = await setup(t)
  const before = await clients.sts.send(new GetCallerIdentityCommand({}))
  t.strictSame([before.Account, before.Arn, before.UserId], [MGMT, `arn:aws:iam::${MGMT}:root`, MGMT], 'unknown keys are the caller account (management by default)')
  const out = await clients.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PROD}:role/DoctorReader`, RoleSessionName: 'diag-1', DurationSeconds: 900 }))
  const creds = out.Credentials!
  t.match(creds.AccessKeyId, /^ASIA[A-Z0-9]{16}$/)
  t.type(creds.SecretAccessKey, 'string')
  t.type(creds.SessionToken, 'string')
  t.ok(creds.Expiration instanceof Date)
  t.ok(Math.abs(creds.Expiration!.getTime() - Date.now() - 900_000) < 60_000, 'expiration honours DurationSeconds')
  t.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${PROD}:assumed-role/DoctorReader/diag-1`)
  t.match(out.AssumedRoleUser?.AssumedRoleId, /^AROA[A-Z2-7]{17}:diag-1$/)

  const as = sandboxClients(sandbox.url, { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! })
  t.teardown(() => as.destroy())
  const after = await as.sts.send(new GetCallerIdentityCommand({}))
  t.strictSame([after.Account, after.Arn, after.UserId], [PROD, out.AssumedRoleUser!.Arn, out.AssumedRoleUser!.AssumedRoleId])
  t.equal((await as.iam.send(new GetRoleCommand({ RoleName: 'PlainRole' }))).Role?.Arn, `arn:aws:iam::${PROD}:role/PlainRole`)
  t.equal((await as.backup.send(new DescribeBackupVaultCommand({ BackupVaultName: 'prod-vault' }))).BackupVaultArn, `arn:aws:backup:us-east-1:${PROD}:backup-vault:prod-vault`)
  t.equal(sandbox.log.at(-1)?.accountId, PROD, 'the log names the signing account')
})

t.test('AssumeRole: any role the world lists, the reader role in every account, AccessDenied otherwise', async (t) => {
  const { clients } = await setup(t)
  const listed = await clients.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${CENTRAL}:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup`, RoleSessionName: 's1' }))
  t.equal(listed.AssumedRoleUser?.Arn, `arn:aws:sts::${CENTRAL}:assumed-role/AWSServiceRoleForBackup/s1`)
  t.ok(await clients.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${OUTSIDE}:role/DoctorReader`, RoleSessionName: 's2' })), 'reader role exists in every world account')
  for (const arn of [
    `arn:aws:iam::999999999999:role/DoctorReader`, // account not in the world
    `arn:aws:iam::${PROD}:role/NoSuchRole`,
    `arn:aws:iam::${PROD}:role/wrong-path/PlainRole`,
    `arn:aws:iam::${PROD}:role/BackupDoctorReadOnly`, // the default name, but this world renames the reader role
  ]) {
    const err = await clients.sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 's3' })).catch((e: unknown) => e)
    t.equal((err as Error).name, 'AccessDenied', arn)
    t.equal((err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 403)
  }
  await t.rejects(clients.sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::1:role/x', RoleSessionName: 's' })), { name: 'ValidationError' })
  await t.rejects(clients.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PROD}:role/DoctorReader`, RoleSessionName: 'bad session!' })), { name: 'ValidationError' })
})

t.test('callerAccountId decides whose long-term credentials the service starts with', async (t) => {
  const w = fullWorld()
  w.callerAccountId = CENTRAL
  const { clients } = await setup(t, w)
  t.equal((await clients.sts.send(new GetCallerIdentityCommand({}))).Account, CENTRAL)
  const noOrg = fullWorld()
  delete noOrg.organization
  for (const a of noOrg.accounts) delete a.parentId
  const other = await setup(t, noOrg)
  t.equal((await other.clients.sts.send(new GetCallerIdentityCommand({}))).Account, MGMT, 'no organization: the first account')
})

t.test('DecodeAuthorizationMessage answers from authorizationMessages', async (t) => {
  const { clients } = await setup(t)
  const world = fullWorld()
  const out = await clients.sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: world.authorizationMessages![0]!.encoded }))
  t.strictSame(JSON.parse(out.DecodedMessage!), world.authorizationMessages![0]!.decoded)
  const err = await clients.sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'not-a-known-message' })).catch((e: unknown) => e)
  t.ok(err instanceof InvalidAuthorizationMessageException)
})
