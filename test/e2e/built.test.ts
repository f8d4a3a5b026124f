/**
 * The built artefacts, as a newcomer and as the container would run them:
 * `npm run build`, then (1) scripts/docker-steps.sh — the Dockerfile's runtime
 * stage without Docker: `npm ci --omit=dev` in a clean directory, the built
 * server started with API keys, /healthz and the HEALTHCHECK command, SIGTERM —
 * and (2) the built demo (`node dist/src/cli/demo.js`, what `npm run demo` runs):
 * it prints its URL and curl commands and serves diagnoses until Ctrl-C.
 */
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { REPO_ROOT } from '../helpers/sandbox.js'

const env = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' }

// A full tsc build and a clean `npm ci --omit=dev` take minutes on a busy machine: this
// file gets a longer budget than the suite's default (the runner honours the root setTimeout).
t.setTimeout(420_000)

t.before(() => {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, env, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`)
})

// `npm ci --omit=dev` needs the registry (or a warm cache); without it the image steps cannot be replayed.
const registryReachable = spawnSync('npm', ['ping'], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 15_000 }).status === 0
const skipImage = registryReachable ? false : 'npm registry unreachable: `npm ci --omit=dev` cannot run here'

t.test('the Dockerfile steps: production install, built server, healthcheck, graceful stop', { skip: skipImage }, async (t) => {
  const run = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'docker-steps.sh')], {
    cwd: REPO_ROOT,
    env: { ...env, SKIP_BUILD: '1' },
    encoding: 'utf8',
    timeout: 300_000,
  })
  t.equal(run.status, 0, `docker-steps.sh exit code\n${run.stdout}\n${run.stderr}`)
  t.match(run.stdout, /== ok/)
})

t.test('the built demo serves diagnoses and stops on SIGINT', async (t) => {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli', 'demo.js')], {
    cwd: REPO_ROOT,
    env: { ...env, PORT: '0', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const deadline = Date.now() + 20_000
  while (!/Ctrl-C stops everything/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50))
  t.match(out, /service : http:\/\/127\.0\.0\.1:\d+/, out)
  const curl = /curl -s '(http:\/\/127\.0\.0\.1:\d+\/v1\/jobs\/[^']+)'/.exec(out)
  t.ok(curl, 'prints a curl command')
  if (curl) {
    const res = await fetch(curl[1] as string)
    t.equal(res.status, 200)
    const body = (await res.json()) as { rootCause?: { code?: string } }
    t.match(body.rootCause?.code, /^[A-Z][A-Z0-9_]+$/)
    const md = await fetch(curl[1] as string, { headers: { accept: 'text/markdown' } })
    t.match(md.headers.get('content-type') ?? '', /^text\/markdown/)
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  child.kill('SIGINT')
  t.equal(await exited, 0, 'Ctrl-C stops everything cleanly')
})

t.test('npm start refuses to start without API keys while auth is on, saying what to set', async (t) => {
  const rest: NodeJS.ProcessEnv = { ...env }
  delete rest['BACKUP_DOCTOR_API_KEYS']
  delete rest['BACKUP_DOCTOR_AUTH']
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'server.js')], {
    cwd: REPO_ROOT,
    env: { ...rest, PORT: '0' },
    encoding: 'utf8',
    timeout: 30_000,
  })
  t.equal(run.status, 2)
  t.match(run.stderr, /refusing to start/)
  t.match(run.stderr, /BACKUP_DOCTOR_API_KEYS/)
})

// api.md: `npm run sandbox -- --world FILE [--port N]` prints the URL on the FIRST line of stdout
// (the project's .npmrc silences npm's own "> script" banner, which would otherwise come first).
t.test('npm run sandbox prints its URL as the first line of stdout', async (t) => {
  const child = spawn('npm', ['run', 'sandbox', '--', '--world', join(REPO_ROOT, 'demo', 'world.json'), '--port', '0'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  })
  const killGroup = (sig: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, sig)
    } catch {
      // already gone
    }
  }
  t.teardown(() => killGroup('SIGKILL'))
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  const deadline = Date.now() + 120_000
  while (!out.includes('\n') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50))
  const first = out.split('\n')[0] ?? ''
  t.match(first, /^http:\/\/127\.0\.0\.1:\d+$/, `first stdout line: ${JSON.stringify(first)}`)
  const res = await fetch(first, { method: 'POST', body: 'Action=GetCallerIdentity&Version=2011-06-15' })
  t.ok(res.status >= 400 && res.status < 500, 'an unsigned request gets an AWS-shaped 4xx from the sandbox')
  killGroup('SIGINT')
})
