import t from 'tap'
import { GetRoleCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam'
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { DescribeOrganizationCommand, ListPoliciesForTargetCommand } from '@aws-sdk/client-organizations'
import { DescribeGlobalSettingsCommand, ServiceUnavailableException } from '@aws-sdk/client-backup'
import { ListAliasesCommand } from '@aws-sdk/client-kms'
import { loadWorld, type World } from '../../src/sandbox/index.js'
import { MGMT, PROD, fullWorld } from './fixtures/full-world.js'
import { clientsAs, setup } from './fixtures/util.js'
import { sandboxClients, scenarioFile } from '../helpers/sandbox.js'

function withFaults(faults: World['faults'], latencyMs?: number): World {
  const w = fullWorld()
  w.faults = faults
  if (latencyMs !== undefined) w.latencyMs = latencyMs
  return w
}

t.test('throttled-iam: 2 Throttling errors are retried through by the SDK', async (t) => {
  const { sandbox } = await setup(t, loadWorld(scenarioFile('throttled-iam')))
  const c = await clientsAs(t, sandbox.url, '111111111111', 'us-east-1', 'BackupDoctorReadOnly')
  sandbox.clearLog()
  const out = await c.iam.send(new GetRoleCommand({ RoleName: 'AWSBackupDefaultServiceRole' }))
  t.equal(out.$metadata.attempts, 3)
  t.strictSame(sandbox.log.map((e) => [e.operation, e.status, e.errorCode]), [
    ['GetRole', 400, 'Throttling'], ['GetRole', 400, 'Throttling'], ['GetRole', 200, undefined],
  ])
  t.equal((await c.iam.send(new GetRoleCommand({ RoleName: 'AWSBackupDefaultServiceRole' }))).$metadata.attempts, 1, 'count exhausted')
})

t.test('count is shared across every operation the fault matches', async (t) => {
  const { clients, sandbox } = await setup(t, withFaults([{ service: 'iam', operation: '*', error: 'AccessDenied', message: 'nope', count: 2 }]))
  const c = await clientsAs(t, sandbox.url, PROD)
  await t.rejects(c.iam.send(new GetRoleCommand({ RoleName: 'PlainRole' })), { name: 'AccessDenied', message: 'nope' })
  await t.rejects(c.iam.send(new ListRolePoliciesCommand({ RoleName: 'PlainRole' })), { name: 'AccessDenied' })
  t.ok(await c.iam.send(new GetRoleCommand({ RoleName: 'PlainRole' })))
  t.ok(await clients.sts.send(new GetCallerIdentityCommand({})), 'other services untouched')
})

t.test('a fault with accountId matches the signing account only (AssumeRole: the caller)', async (t) => {
  const { clients, sandbox } = await setup(t, withFaults([
    { service: 'organizations', operation: 'ListPoliciesForTarget', accountId: PROD, error: 'AccessDeniedException' },
    { service: 'sts', operation: 'AssumeRole', accountId: MGMT, error: 'AccessDenied', count: 1 },
  ]))
  const err = await clients.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PROD}:role/DoctorReader`, RoleSessionName: 'x' })).catch((e: unknown) => e)
  t.equal((err as Error).name, 'AccessDenied')
  t.equal((err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 403)
  t.ok(await clients.organizations.send(new ListPoliciesForTargetCommand({ TargetId: PROD, Filter: 'SERVICE_CONTROL_POLICY' })), 'management unaffected')
  const member = await clientsAs(t, sandbox.url, PROD)
  t.ok(member, 'count 1: the second AssumeRole succeeds')
})

t.test('partial-evidence-scps-unreadable: ListPoliciesForTarget always AccessDeniedException 403', async (t) => {
  const { clients } = await setup(t, loadWorld(scenarioFile('partial-evidence-scps-unreadable')))
  for (let i = 0; i < 3; i++) {
    const err = await clients.organizations.send(new ListPoliciesForTargetCommand({ TargetId: '111111111111', Filter: 'SERVICE_CONTROL_POLICY' })).catch((e: unknown) => e)
    t.equal((err as Error).name, 'AccessDeniedException')
    t.equal((err as { $metadata: { httpStatusCode: number; attempts: number } }).$metadata.httpStatusCode, 403)
    t.equal((err as { $metadata: { attempts: number } }).$metadata.attempts, 1, 'not retried')
  }
  t.ok(await clients.organizations.send(new DescribeOrganizationCommand({})))
})

t.test('5xx and 429 faults are retried; httpStatus overrides the default', async (t) => {
  const { clients, sandbox } = await setup(t, withFaults([
    { service: 'backup', operation: 'DescribeGlobalSettings', error: 'ServiceUnavailableException', httpStatus: 503 },
    { service: 'organizations', operation: 'DescribeOrganization', error: 'TooManyRequestsException', count: 2 },
    { service: 'kms', operation: 'ListAliases', error: 'ThrottlingException', httpStatus: 429, count: 1 },
  ]))
  const err = await clients.backup.send(new DescribeGlobalSettingsCommand({})).catch((e: unknown) => e)
  t.ok(err instanceof ServiceUnavailableException)
  t.equal((err as ServiceUnavailableException).$metadata.attempts, 3)
  t.equal((err as ServiceUnavailableException).$metadata.httpStatusCode, 503)
  t.equal((await clients.organizations.send(new DescribeOrganizationCommand({}))).$metadata.attempts, 3)
  t.strictSame(sandbox.log.filter((e) => e.operation === 'DescribeOrganization').map((e) => e.status), [429, 429, 200])
  const member = await clientsAs(t, sandbox.url, PROD)
  t.equal((await member.kms.send(new ListAliasesCommand({}))).$metadata.attempts, 2)
  t.strictSame(sandbox.log.filter((e) => e.operation === 'ListAliases').map((e) => [e.status, e.errorCode]), [[429, 'ThrottlingException'], [200, undefined]])
})

t.test('latency: per-fault latencyMs without error, and the world-wide latencyMs', async (t) => {
  const { clients, sandbox } = await setup(t, withFaults([{ service: 'sts', operation: 'GetCallerIdentity', latencyMs: 120 }], 30))
  await clients.sts.send(new GetCallerIdentityCommand({}))
  await clients.organizations.send(new DescribeOrganizationCommand({}))
  const [slow, normal] = sandbox.log
  t.ok(slow!.latencyMs >= 150, `fault + global latency (${slow!.latencyMs} ms)`)
  t.ok(normal!.latencyMs >= 30 && normal!.latencyMs < 150, `global latency only (${normal!.latencyMs} ms)`)
  t.ok(slow!.endedAt - slow!.startedAt >= 149)
  const c = sandboxClients(sandbox.url, { maxAttempts: 1 })
  t.teardown(() => c.destroy())
  const start = Date.now()
  await t.rejects(c.iam.send(new GetRoleCommand({ RoleName: 'Nope' })), { name: 'NoSuchEntityException' })
  t.ok(Date.now() - start >= 30, 'errors are slowed too')
})

t.test('the request log: one entry per request with service, operation, account, region and timing', async (t) => {
  const { sandbox, clients } = await setup(t)
  await clients.sts.send(new GetCallerIdentityCommand({}))
  await clients.iam.send(new GetRoleCommand({ RoleName: 'Nope' })).catch(() => undefined)
  const [a, b] = sandbox.log
  t.match(a, { seq: 1, service: 'sts', operation: 'GetCallerIdentity', accountId: MGMT, region: 'us-east-1', status: 200 })
  t.equal(a!.errorCode, undefined)
  t.match(b, { seq: 2, service: 'iam', operation: 'GetRole', accountId: MGMT, status: 404, errorCode: 'NoSuchEntity' })
  t.ok(a!.startedAt <= a!.endedAt && a!.latencyMs >= 0)
  sandbox.clearLog()
  t.equal(sandbox.log.length, 0)
})

t.test('default statuses and messages of injected errors follow the service', async (t) => {
  const { sandbox } = await setup(t, withFaults([
    { service: 'backup', operation: 'DescribeBackupVault', error: 'ThrottlingException', count: 1 },
    { service: 'kms', operation: 'DescribeKey', error: 'AccessDeniedException', count: 1 },
    { service: 'iam', operation: 'GetRole', error: 'Throttling', count: 1 },
  ]))
  const c = await clientsAs(t, sandbox.url, PROD)
  const { DescribeBackupVaultCommand } = await import('@aws-sdk/client-backup')
  const { DescribeKeyCommand } = await import('@aws-sdk/client-kms')
  t.equal((await c.backup.send(new DescribeBackupVaultCommand({ BackupVaultName: 'prod-vault' }))).$metadata.attempts, 2)
  const err = await c.kms.send(new DescribeKeyCommand({ KeyId: 'alias/prod-backup' })).catch((e: unknown) => e) as Error
  t.equal(err.name, 'AccessDeniedException')
  t.match(err.message, /^User: arn:aws:sts::200000000002:assumed-role\/DoctorReader\/sandbox-test is not authorized to perform: kms:DescribeKey/)
  t.equal((await c.iam.send(new GetRoleCommand({ RoleName: 'PlainRole' }))).$metadata.attempts, 2)
  t.strictSame(sandbox.log.filter((e) => e.errorCode).map((e) => [e.service, e.status, e.errorCode]), [
    ['backup', 429, 'ThrottlingException'], ['kms', 403, 'AccessDeniedException'], ['iam', 400, 'Throttling'],
  ])
})
