import t from 'tap'
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadWorld, startSandbox, WorldValidationError, type World } from '../../src/sandbox/index.js'
import { fullWorld } from './fixtures/full-world.js'
import { REPO_ROOT, scenarioFiles } from '../helpers/sandbox.js'

const SHARED = join(REPO_ROOT, '..', 'shared')

t.test('the vendored schema equals the contract', async (t) => {
  const contract = join(SHARED, 'contract', 'world.schema.json')
  const vendored = join(REPO_ROOT, 'src', 'sandbox', 'world.schema.json')
  t.strictSame(JSON.parse(readFileSync(vendored, 'utf8')), JSON.parse(readFileSync(contract, 'utf8')))
})

t.test('the vendored managed policies equal ../shared/aws-data', async (t) => {
  const dir = join(SHARED, 'aws-data', 'managed-policies')
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
  t.equal(files.length, 7)
  for (const f of files) {
    t.strictSame(JSON.parse(readFileSync(join(REPO_ROOT, 'src', 'sandbox', 'managed-policies', f), 'utf8')), JSON.parse(readFileSync(join(dir, f), 'utf8')), f)
  }
})

t.test('every published scenario loads and serves', async (t) => {
  const files = scenarioFiles()
  t.ok(files.length >= 20)
  for (const f of files) {
    const w = loadWorld(f)
    t.equal(w.name, JSON.parse(readFileSync(f, 'utf8')).name, f)
    const sb = await startSandbox({ world: w })
    await sb.close()
  }
})

t.test('the full fixture world is valid and loadWorld does not mutate its input', async (t) => {
  const w = fullWorld()
  const before = JSON.stringify(w)
  loadWorld(w)
  t.equal(JSON.stringify(w), before)
})

function problems(world: unknown): { path: string; message: string }[] {
  try {
    loadWorld(world)
  } catch (err) {
    if (err instanceof WorldValidationError) return err.errors
    throw err
  }
  return []
}

type Mutate = (w: World & Record<string, unknown>) => void

const INVALID: [string, Mutate, string, RegExp][] = [
  ['missing accounts', (w) => { delete (w as Partial<World>).accounts }, '$', /accounts/],
  ['unknown top-level field', (w) => { w.extra = 1 }, '$', /unknown property "extra"/],
  ['bad account id', (w) => { w.accounts[1]!.id = '12345' }, '$.accounts[1].id', /pattern/],
  ['bad region', (w) => { w.region = 'mars' }, '$.region', /pattern/],
  ['bad key state', (w) => { (w.accounts[1]!.kms!.keys![0] as unknown as Record<string, unknown>).keyState = 'Broken' }, '$.accounts[1].kms.keys[0].keyState', /one of/],
  ['policy document without Statement', (w) => { (w.accounts[1]!.iam!.roles![0]! as unknown as Record<string, unknown>).trustPolicy = { Version: '2012-10-17' } }, '$.accounts[1].iam.roles[0].trustPolicy', /Statement/],
  ['job without id', (w) => { delete w.accounts[1]!.backup!.backupJobs![0]!.BackupJobId }, '$.accounts[1].backup.backupJobs[0]', /BackupJobId/],
  ['fault on an unknown service', (w) => { w.faults = [{ service: 's3' as 'iam', operation: '*' }] }, '$.faults[0].service', /one of/],
  ['lockDate not a date-time', (w) => { w.accounts[1]!.backup!.vaults![1]!.lockDate = 'soon' }, '$.accounts[1].backup.vaults[1].lockDate', /format/],
  ['duplicate account', (w) => { w.accounts.push({ id: w.accounts[0]!.id }) }, '$.accounts[4].id', /duplicate account id/],
  ['unknown unit parent', (w) => { w.organization!.units![0]!.parentId = 'ou-none-parentxx' }, '$.organization.units[0].parentId', /unknown parent/],
  ['unit cycle', (w) => { w.organization!.units![0]!.parentId = 'ou-fw01-produnit' }, '$.organization.units[0].parentId', /cycle/],
  ['unknown account parent', (w) => { w.accounts[1]!.parentId = 'ou-none-parentxx' }, '$.accounts[1].parentId', /unknown parent/],
  ['parent without organization', (w) => { delete w.organization }, '$.accounts[0].parentId', /no organization/],
  ['policy target not found', (w) => { w.organization!.policies![0]!.targets.push('999999999999') }, '$.organization.policies[0].targets[7]', /not the root, a unit or an account/],
  ['duplicate org policy id', (w) => { w.organization!.policies![1]!.id = 'p-FullAWSAccess' }, '$.organization.policies[1].id', /duplicate policy id/],
  ['duplicate role', (w) => { w.accounts[1]!.iam!.roles![1]!.name = 'awsbackupdefaultservicerole' }, '$.accounts[1].iam.roles[1].name', /duplicate role name/],
  ['duplicate key id', (w) => { w.accounts[1]!.kms!.keys![1]!.id = w.accounts[1]!.kms!.keys![0]!.id }, '$.accounts[1].kms.keys[1].id', /duplicate key id/],
  ['alias on two keys', (w) => { w.accounts[1]!.kms!.keys![1]!.aliases = ['alias/prod-backup'] }, '$.accounts[1].kms.keys[1].aliases[0]', /alias/],
  ['duplicate vault', (w) => { w.accounts[1]!.backup!.vaults![1]!.name = 'prod-vault' }, '$.accounts[1].backup.vaults[1].name', /duplicate vault/],
  ['duplicate job id', (w) => { w.accounts[1]!.backup!.backupJobs![1]!.BackupJobId = 'B3' }, '$.accounts[1].backup.backupJobs[2].BackupJobId', /duplicate backup job id/],
  ['job in the wrong account', (w) => { w.accounts[1]!.backup!.backupJobs![1]!.AccountId = '300000000003' }, '$.accounts[1].backup.backupJobs[1].AccountId', /differs/],
  ['job date not ISO', (w) => { w.accounts[1]!.backup!.backupJobs![1]!.CreationDate = 'last tuesday' }, '$.accounts[1].backup.backupJobs[1].CreationDate', /ISO 8601/],
  ['callerAccountId not in the world', (w) => { w.callerAccountId = '999999999999' }, '$.callerAccountId', /not in accounts/],
  ['attached customer policy missing', (w) => { w.accounts[1]!.iam!.roles![0]!.attachedPolicyArns!.push('arn:aws:iam::200000000002:policy/Missing') }, '$.accounts[1].iam.roles[0].attachedPolicyArns[3]', /not in this account/],
]

t.test('invalid worlds are rejected with a JSON path and a reason', async (t) => {
  for (const [name, mutate, path, reason] of INVALID) {
    const w = fullWorld() as World & Record<string, unknown>
    mutate(w)
    const found = problems(w)
    const hit = found.find((p) => p.path === path && reason.test(p.message))
    t.ok(hit, `${name}: expected ${path} ${String(reason)}, got ${JSON.stringify(found)}`)
  }
})

t.test('WorldValidationError message lists path and reason; file errors too', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'world-'))
  const bad = join(dir, 'bad.json')
  writeFileSync(bad, JSON.stringify({ name: 'x', accounts: [{ id: '1' }] }))
  const err = (() => { try { loadWorld(bad) } catch (e) { return e } })() as WorldValidationError
  t.ok(err instanceof WorldValidationError)
  t.match(err.message, /\$\.accounts\[0\]\.id: must match pattern/)
  writeFileSync(bad, '{ nope')
  t.throws(() => loadWorld(bad), { name: 'WorldValidationError', errors: [{ path: '$', message: /not JSON/ }] })
  t.throws(() => loadWorld(join(dir, 'missing.json')), { errors: [{ path: '$', message: /cannot read/ }] })
  t.throws(() => loadWorld(42), WorldValidationError)
  await t.rejects(startSandbox({ world: { name: 'x' } as unknown as World }), WorldValidationError)
})
