import t from 'tap'
import { createServer } from 'node:http'
import { connect, createServer as createTcpServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { DescribeBackupVaultCommand, ListBackupVaultsCommand } from '@aws-sdk/client-backup'
import { AccessDeniedException } from '@aws-sdk/client-organizations'
import { ConfiguredRetryStrategy } from '@smithy/util-retry'
import { AwsCallError, createAwsContext, newScope, partitionOf } from '../../src/aws/index.js'
import type { AwsCallEvent } from '../../src/aws/index.js'
import { awsMocks, fakeAssumeRole, testContext, OWN, JOB, DEST } from '../evidence/mocks.js'
import { scenarioFile, withSandbox } from '../helpers/sandbox.js'

const m = awsMocks()
t.beforeEach(() => m.reset())

t.test('service identity is asked once, even concurrently', async (t) => {
  const ctx = testContext()
  const ids = await Promise.all([ctx.serviceIdentity(), ctx.serviceIdentity(), ctx.serviceIdentity()])
  t.same(ids.map((i) => i.accountId), [OWN, OWN, OWN])
  await ctx.serviceIdentity()
  t.equal(m.sts.commandCalls(GetCallerIdentityCommand).length, 1)
})

t.test('own account uses own credentials; other accounts assume the reader role once (single-flight, pooled)', async (t) => {
  const ctx = testContext()
  const own = await ctx.backup(OWN, 'us-east-1')
  t.equal(m.sts.commandCalls(AssumeRoleCommand).length, 0, 'no AssumeRole for the own account')
  t.equal(await ctx.backup(OWN, 'us-east-1'), own, 'pooled')
  const clients = await Promise.all([ctx.backup(JOB, 'us-east-1'), ctx.backup(JOB, 'us-east-1'), ctx.iam(JOB), ctx.kms(JOB, 'eu-west-1')])
  t.equal(clients[0], clients[1])
  t.not(clients[0], own)
  const calls = m.sts.commandCalls(AssumeRoleCommand)
  t.equal(calls.length, 1, 'one AssumeRole for four concurrent clients of one account')
  t.equal(calls[0]!.args[0].input.RoleArn, `arn:aws:iam::${JOB}:role/BackupDoctorReadOnly`)
  const creds = await clients[0]!.config.credentials()
  t.equal(creds.accessKeyId, `ASIA${JOB}`, 'the client signs with the assumed credentials')
  await ctx.organizations(DEST)
  t.equal(m.sts.commandCalls(AssumeRoleCommand).length, 2)
  t.not(await ctx.kms(JOB, 'eu-west-1'), await ctx.kms(JOB, 'us-east-1'), 'pooled per region')
})

t.test('reader credentials are refreshed five minutes before they expire', async (t) => {
  let now = Date.parse('2026-11-20T00:00:00Z')
  m.sts.on(AssumeRoleCommand).callsFake(() => ({
    Credentials: { AccessKeyId: `ASIA${now}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(now + 3600_000) },
  }))
  const ctx = testContext({ now: () => now })
  await ctx.backup(JOB, 'us-east-1')
  now += 54 * 60_000
  await ctx.backup(JOB, 'us-east-1')
  t.equal(m.sts.commandCalls(AssumeRoleCommand).length, 1, 'still valid for more than 5 minutes')
  now += 2 * 60_000
  const c = await ctx.backup(JOB, 'us-east-1')
  t.equal(m.sts.commandCalls(AssumeRoleCommand).length, 2, 'refreshed inside the 5-minute margin')
  t.equal((await c.config.credentials()).accessKeyId, `ASIA${now}`)
})

t.test('a failed AssumeRole is classified and not remembered', async (t) => {
  m.sts.on(AssumeRoleCommand).rejectsOnce(new AccessDeniedException({ message: 'not authorized to perform sts:AssumeRole', $metadata: { httpStatusCode: 403 } })).callsFake(fakeAssumeRole)
  const ctx = testContext()
  const err = await ctx.backup(JOB, 'us-east-1').catch((e: unknown) => e)
  t.ok(err instanceof AwsCallError)
  t.equal((err as AwsCallError).errorClass, 'access-denied')
  t.equal((err as AwsCallError).call, 'sts:AssumeRole')
  await ctx.backup(JOB, 'us-east-1')
  t.equal(m.sts.commandCalls(AssumeRoleCommand).length, 2)
})

t.test('account ids and regions are validated before any call', async (t) => {
  const ctx = testContext()
  for (const p of [ctx.backup('12345', 'us-east-1'), ctx.backup(JOB, 'evil.example.com/x'), ctx.kms(JOB, 'US-EAST-1'), ctx.iam('11111111111a')]) {
    const e = await p.catch((x: unknown) => x)
    t.ok(e instanceof AwsCallError)
    t.equal((e as AwsCallError).errorClass, 'invalid')
  }
  t.equal(m.sts.calls().length, 0, 'no STS call at all')
  t.throws(() => createAwsContext({ defaultRegion: 'nowhere', readerRoleName: 'R' }))
  t.throws(() => createAwsContext({ defaultRegion: 'us-east-1', readerRoleName: 'bad name/x' }))
})

t.test('call(): events, classification, no credentials in events', async (t) => {
  const ctx = testContext()
  const events: AwsCallEvent[] = []
  const off = ctx.onCall((e) => events.push(e))
  m.backup.on(ListBackupVaultsCommand).resolvesOnce({ BackupVaultList: [] }).rejectsOnce(new AccessDeniedException({ message: 'denied', $metadata: {} }))
  const meta = { service: 'backup', operation: 'ListBackupVaults', accountId: JOB, region: 'us-east-1' }
  const cl = await ctx.backup(JOB, 'us-east-1')
  await ctx.call(meta, () => cl.send(new ListBackupVaultsCommand({})))
  const err = await ctx.call(meta, () => cl.send(new ListBackupVaultsCommand({}))).catch((e: unknown) => e)
  t.ok(err instanceof AwsCallError)
  t.equal((err as AwsCallError).errorName, 'AccessDeniedException')
  const mine = events.filter((e) => e.service === 'backup')
  t.same(mine.map((e) => [e.outcome, e.errorClass ?? null]), [['ok', null], ['error', 'access-denied']])
  t.ok(mine.every((e) => e.latencyMs >= 0))
  t.ok(events.some((e) => e.operation === 'AssumeRole' && e.accountId === JOB), 'AssumeRole is a counted call too')
  t.notMatch(JSON.stringify(events), /secret|token|ASIA/i)
  off()
  await ctx.call(meta, () => Promise.resolve(1))
  t.equal(events.filter((e) => e.service === 'backup').length, 2, 'listener removed')
})

t.test('call scopes count calls and cache use; the deadline bounds calls', async (t) => {
  const ctx = testContext()
  const outer = newScope()
  const inner = newScope(outer)
  const meta = { service: 'x', operation: 'Y', accountId: JOB, region: 'us-east-1' }
  await ctx.inScope(outer, async () => {
    await ctx.call(meta, async () => 1)
    await ctx.inScope(inner, async () => {
      await ctx.call(meta, async () => 2)
      await ctx.cached(`${JOB}|k`, 'volatile', async () => 3)
      await ctx.cached(`${JOB}|k`, 'volatile', async () => 3)
    })
  })
  t.same([outer.calls, inner.calls, outer.cacheMisses, outer.cacheHits], [2, 1, 1, 1])
  t.same(ctx.cacheStats(), { hits: 1, misses: 1 })

  let ran = false
  const past = newScope(undefined, Date.now() - 1)
  const e1 = await ctx.inScope(past, () => ctx.call(meta, async () => { ran = true })).catch((e: unknown) => e)
  t.equal((e1 as AwsCallError).errorName, 'DeadlineExceeded')
  t.equal((e1 as AwsCallError).errorClass, 'timeout')
  t.notOk(ran, 'a call past the deadline is not made')
  const soon = newScope(undefined, Date.now() + 30)
  const e2 = await ctx.inScope(soon, () => ctx.call(meta, () => new Promise(() => {}))).catch((e: unknown) => e)
  t.equal((e2 as AwsCallError).errorName, 'DeadlineExceeded', 'a hanging call ends at the deadline')
  ctx.clearCache()
  t.equal(await ctx.cached(`${JOB}|k`, 'volatile', async () => 4), 4)
})

t.test('partitions', async (t) => {
  t.same(['us-east-1', 'cn-north-1', 'us-gov-west-1'].map(partitionOf), ['aws', 'aws-cn', 'aws-us-gov'])
})

t.test('per-call request timeout through the real HTTP handler', async (t) => {
  m.sts.restore()
  m.backup.restore()
  // A server that accepts and never answers.
  const server = createServer(() => {})
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const ctx = createAwsContext({
    defaultRegion: 'us-east-1', readerRoleName: 'R', endpoint: url, callTimeoutMs: 100,
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' }, retryStrategy: new ConfiguredRetryStrategy(2, 5),
  })
  t.teardown(() => ctx.destroy())
  const started = Date.now()
  const e = await ctx.serviceIdentity().catch((x: unknown) => x)
  t.ok(e instanceof AwsCallError)
  t.equal((e as AwsCallError).errorClass, 'timeout')
  t.ok(Date.now() - started < 2000, 'timed out quickly')
})

t.test('clients of every account share a service\'s connection pool (a new account reuses a warm connection)', async (t) => {
  m.sts.restore()
  m.backup.restore()
  const sandbox = await withSandbox(t, scenarioFile('copy-cmk-not-shared'))
  // A TCP relay in front of the sandbox counts the connections the service opens.
  let connections = 0
  const relay = createTcpServer((down) => {
    connections++
    const up = connect(sandbox.port, '127.0.0.1')
    down.pipe(up).pipe(down)
    const close = () => { down.destroy(); up.destroy() }
    down.on('error', close).on('close', close)
    up.on('error', close).on('close', close)
  })
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise((r) => relay.close(r)))
  const ctx = createAwsContext({
    defaultRegion: 'us-east-1', readerRoleName: 'BackupDoctorReadOnly', endpoint: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' },
  })
  t.teardown(() => ctx.destroy())
  const me = await ctx.serviceIdentity()
  const accounts = ['111111111111', '222222222222'].filter((a) => a !== me.accountId)
  t.equal(accounts.length, 2, 'two accounts other than the service\'s own')
  for (const a of accounts) {
    const backup = await ctx.backup(a, 'us-east-1')
    // Found or not, the answer comes back over a connection.
    await ctx.call({ service: 'backup', operation: 'DescribeBackupVault', accountId: a, region: 'us-east-1' }, () =>
      backup.send(new DescribeBackupVaultCommand({ BackupVaultName: 'Default' }))).catch(() => undefined)
  }
  t.equal(sandbox.log.length, 5, 'GetCallerIdentity, then per account AssumeRole and DescribeBackupVault')
  // Pools are per (service, region): one STS connection, one Backup connection for both accounts.
  t.equal(connections, 2, 'five sequential calls through three clients used one connection per service')
})

t.test('SDK settings from the environment still reach every client (looked up once per context)', async (t) => {
  const saved = process.env.AWS_USE_FIPS_ENDPOINT
  process.env.AWS_USE_FIPS_ENDPOINT = 'true'
  t.teardown(() => { if (saved === undefined) delete process.env.AWS_USE_FIPS_ENDPOINT; else process.env.AWS_USE_FIPS_ENDPOINT = saved })
  const ctx = testContext()
  const [own, other] = await Promise.all([ctx.kms(OWN, 'us-east-1'), ctx.kms(JOB, 'us-east-1')])
  t.equal(await own.config.useFipsEndpoint(), true)
  t.equal(await other.config.useFipsEndpoint(), true)
  t.equal(await other.config.useDualstackEndpoint(), false)
})

t.test('forgetCredentials(): the next read of an account assumes its role again; clearCache() keeps them', async (t) => {
  const ctx = testContext()
  await ctx.backup(JOB, 'us-east-1')
  ctx.clearCache()
  await ctx.backup(JOB, 'us-east-1')
  t.equal(m.sts.commandCalls(AssumeRoleCommand).length, 1)
  ctx.forgetCredentials()
  await ctx.backup(JOB, 'us-east-1')
  t.equal(m.sts.commandCalls(AssumeRoleCommand).length, 2)
})
