import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { REPO_ROOT, sandboxClients, scenarioFile } from '../helpers/sandbox.js'
import { startFromArgs } from '../../src/cli/sandbox.js'

// Run the CLI's TypeScript source with the same loader tap uses for this test.
const loader = process.execArgv.filter((a) => a.includes('@tapjs/typescript'))
const CLI = join(REPO_ROOT, 'src', 'cli', 'sandbox.ts')

function run(args: string[]) {
  const child = spawn(process.execPath, [...loader, CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d })
  return { child, stderr: () => stderr }
}

t.test('serves a world: URL first on stdout, requests logged on stderr, SIGTERM exits 0', { skip: loader.length === 0 && 'needs the tap TypeScript loader' }, async (t) => {
  const { child, stderr } = run(['--world', scenarioFile('copy-cmk-not-shared'), '--port', '0'])
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const lines = createInterface({ input: child.stdout })
  const [first] = (await once(lines, 'line')) as [string]
  t.match(first, /^http:\/\/127\.0\.0\.1:\d+$/)
  const c = sandboxClients(first)
  t.equal((await c.sts.send(new GetCallerIdentityCommand({}))).Account, '100000000001')
  c.destroy()
  child.kill('SIGTERM')
  const [code] = (await once(child, 'exit')) as [number | null]
  t.equal(code, 0)
  t.match(stderr(), /sts:GetCallerIdentity account=100000000001 region=us-east-1 200/)
})

t.test('in process: an invalid world or bad arguments give code 2 and the reason', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'))
  const bad = join(dir, 'bad.json')
  writeFileSync(bad, JSON.stringify({ name: 'bad', accounts: [{ id: '123' }] }))
  const cases: [string[], number, RegExp][] = [
    [['--world', bad], 2, /\$\.accounts\[0\]\.id: must match pattern/],
    [['--world', join(dir, 'missing.json')], 2, /cannot read/],
    [[], 2, /--world is required\nusage: npm run sandbox/],
    [['--world'], 2, /usage: npm run sandbox/],
    [['--world', 'x.json', '--port', 'abc'], 2, /--port must be/],
    [['--world', 'x.json', '--port', '70000'], 2, /--port must be/],
    [['--nope'], 2, /usage: npm run sandbox/],
    [['--world', scenarioFile('throttled-iam'), 'extra'], 2, /usage/],
  ]
  for (const [args, code, reason] of cases) {
    let err = ''
    const result = await startFromArgs(args, { out: () => undefined, err: (s) => { err += s } })
    t.strictSame(result, { code }, args.join(' '))
    t.match(err, reason)
  }
  let out = ''
  t.strictSame(await startFromArgs(['--help'], { out: (s) => { out += s }, err: () => undefined }), { code: 0 })
  t.match(out, /^usage:/)
})

t.test('in process: serves on the given host and port, URL first, one stderr line per request', async (t) => {
  let out = ''
  let err = ''
  const result = await startFromArgs(['--world', scenarioFile('copy-cmk-not-shared'), '--port', '0', '--host', '127.0.0.1'], { out: (s) => { out += s }, err: (s) => { err += s } })
  if (!('sandbox' in result)) throw new Error('did not start')
  t.teardown(() => result.sandbox.close())
  t.equal(out, `${result.sandbox.url}\n`)
  const c = sandboxClients(result.sandbox.url)
  await c.sts.send(new GetCallerIdentityCommand({}))
  c.destroy()
  t.match(err, /sts:GetCallerIdentity account=100000000001 region=us-east-1 200 /)
  // The port is taken now: a second start on it fails with code 1.
  const again = await startFromArgs(['--world', scenarioFile('copy-cmk-not-shared'), '--port', String(result.sandbox.port)], { out: () => undefined, err: () => undefined })
  t.strictSame(again, { code: 1 })
})
