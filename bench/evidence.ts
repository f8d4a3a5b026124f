/**
 * Evidence collection against a sandbox world with 25 ms per call: AWS calls,
 * critical-path depth and wall time for a backup job, a cross-account copy job
 * and a restore job — cold (empty caches), warm (another job sharing role,
 * vault and organization, same context), cold cache with pooled clients, and a
 * naive sequential baseline (the same collection with every AWS call made one
 * after another).
 *
 * `npm run build && node dist/bench/evidence.js` (BENCH_LATENCY_MS to change the latency).
 * Prints figures; asserts nothing.
 *
 * The sandbox runs in its own process (dist/src/cli/sandbox.js), as AWS would:
 * in-process, its request handling would share our event loop and inflate every
 * parallel figure. One untimed collection first warms the JIT and the SDK's lazy
 * module loading; "cold" means empty caches and new clients, not a new process.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { World } from '../src/sandbox/index.js'
import { createAwsContext } from '../src/aws/index.js'
import type { AwsContext } from '../src/aws/index.js'
import { collectEvidence } from '../src/evidence/index.js'
import type { Evidence, JobType } from '../src/evidence/index.js'

process.env.AWS_EC2_METADATA_DISABLED = 'true'
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 25)
// dist/bench/evidence.js or bench/evidence.ts: the repository root is two or one levels up; scenarios sit beside it.
const here = dirname(fileURLToPath(import.meta.url))
const root = here.includes(`${'/'}dist${'/'}`) ? resolve(here, '..', '..') : resolve(here, '..')
const scenario = (name: string): World => JSON.parse(readFileSync(resolve(root, '..', 'shared', 'scenarios', `${name}.json`), 'utf8')) as World

type Jobs = Record<string, Record<string, unknown>[]>
/** Adds a copy of a job under a new id (a second job sharing role, vault, recovery point and organization). */
function withTwin(w: World, listKey: 'backupJobs' | 'copyJobs' | 'restoreJobs', idKey: string, id: string, twinId: string): World {
  const copy = structuredClone(w) as World & { accounts: { backup?: Jobs }[] }
  for (const a of copy.accounts) {
    const list = a.backup?.[listKey]
    const j = list?.find((x) => x[idKey] === id)
    if (list && j) list.push({ ...j, [idKey]: twinId })
  }
  return copy as World
}

interface Case {
  name: string
  world: World
  job: { id: string; type: JobType; accountId: string }
  twin: string
}

const cases: Case[] = [
  {
    name: 'backup (job in a member account)',
    world: scenario('fleet-mixed-failures'),
    job: { id: '0A1B2C3D-0000-4000-8000-0000000000F1', type: 'backup', accountId: '111111111111' },
    twin: '0A1B2C3D-0000-4000-8000-0000000000F2',
  },
  {
    name: 'backup (service runs in the job account)',
    world: { ...scenario('fleet-mixed-failures'), callerAccountId: '111111111111' } as World,
    job: { id: '0A1B2C3D-0000-4000-8000-0000000000F1', type: 'backup', accountId: '111111111111' },
    twin: '0A1B2C3D-0000-4000-8000-0000000000F2',
  },
  {
    name: 'cross-account copy',
    world: withTwin(scenario('copy-cmk-not-shared'), 'copyJobs', 'CopyJobId', '8DAF2B4C-6E7F-4C9D-8EBF-3A5B7C9D1E09', '8DAF2B4C-6E7F-4C9D-8EBF-3A5B7C9D1E10'),
    job: { id: '8DAF2B4C-6E7F-4C9D-8EBF-3A5B7C9D1E09', type: 'copy', accountId: '111111111111' },
    twin: '8DAF2B4C-6E7F-4C9D-8EBF-3A5B7C9D1E10',
  },
  {
    name: 'restore (EC2, passed role)',
    world: withTwin(scenario('restore-ec2-passrole'), 'restoreJobs', 'RestoreJobId', 'B0DC5E7F-9BAC-4FCA-9BEC-6D8EAFCA4B12', 'B0DC5E7F-9BAC-4FCA-9BEC-6D8EAFCA4B13'),
    job: { id: 'B0DC5E7F-9BAC-4FCA-9BEC-6D8EAFCA4B12', type: 'restore', accountId: '111111111111' },
    twin: 'B0DC5E7F-9BAC-4FCA-9BEC-6D8EAFCA4B13',
  },
]

function context(url: string): AwsContext {
  return createAwsContext({
    defaultRegion: 'us-east-1', readerRoleName: 'BackupDoctorReadOnly', endpoint: url,
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' },
  })
}

/** The naive baseline: the same collection, but every AWS call waits for the previous one to finish. */
function sequential(ctx: AwsContext): AwsContext {
  const call = ctx.call.bind(ctx)
  let tail: Promise<unknown> = Promise.resolve()
  ctx.call = (meta, fn) => {
    const run = tail.then(() => call(meta, fn))
    tail = run.catch(() => undefined)
    return run
  }
  return ctx
}

interface Row { mode: string; calls: number; depth: number; wallMs: number; hits: number; cpuMs?: number }

const tmp = mkdtempSync(join(tmpdir(), 'bench-evidence-'))
let worldSeq = 0

/** Starts `dist/src/cli/sandbox.js` on a free port with `world`; resolves with its URL and a stopper. */
async function sandboxProcess(world: World): Promise<{ url: string; close(): Promise<void> }> {
  const file = join(tmp, `world-${++worldSeq}.json`)
  writeFileSync(file, JSON.stringify(world))
  const cli = resolve(root, 'dist', 'src', 'cli', 'sandbox.js')
  const child = spawn(process.execPath, [cli, '--world', file, '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] })
  const first = await new Promise<string>((ok, fail) => {
    const rl = createInterface({ input: child.stdout })
    rl.once('line', (l) => { rl.close(); ok(l.trim()) })
    child.once('exit', (code) => fail(new Error(`sandbox exited with ${code}`)))
  })
  return {
    url: first,
    close: () => new Promise<void>((done) => {
      if (child.exitCode !== null) return done()
      child.once('exit', () => done())
      child.kill('SIGTERM')
    }),
  }
}

async function measure(c: Case): Promise<Row[]> {
  const sb = await sandboxProcess({ ...c.world, latencyMs: LATENCY } as World)
  const rows: Row[] = []
  const row = (mode: string, e: Evidence, cpu: NodeJS.CpuUsage) => rows.push({ mode, calls: e.stats.awsCalls, depth: e.stats.criticalPathDepth, wallMs: e.stats.wallMs, hits: e.stats.cacheHits, cpuMs: (cpu.user + cpu.system) / 1000 })
  const timed = async (mode: string, p: () => Promise<Evidence>) => {
    const cpu = process.cpuUsage()
    const e = await p()
    row(mode, e, process.cpuUsage(cpu))
  }
  try {
    const ref = { jobId: c.job.id, jobType: undefined, accountId: c.job.accountId }
    const ctx = context(sb.url)
    await timed('cold', () => collectEvidence(ref, ctx))
    await timed('warm, same job', () => collectEvidence(ref, ctx))
    await timed('warm, twin job', () => collectEvidence({ ...ref, jobId: c.twin }, ctx))
    // A running service's cold cache: evidence cache emptied, SDK clients and reader credentials kept.
    ctx.clearCache()
    await timed('cold cache, pooled clients', () => collectEvidence(ref, ctx))
    ctx.destroy()
    const seq = sequential(context(sb.url))
    await timed('sequential, cold', () => collectEvidence(ref, seq, { deadlineMs: 120_000 }))
    seq.destroy()
    // A burst: 10 diagnoses of jobs sharing one role at once, cold: the role is read once.
    const burst = context(sb.url)
    const ops: string[] = []
    burst.onCall((e) => ops.push(e.operation))
    const es = await Promise.all(Array.from({ length: 10 }, (_, i) => collectEvidence({ ...ref, jobId: i % 2 === 0 ? c.job.id : c.twin }, burst)))
    const getRoles = ops.filter((o) => o === 'GetRole').length
    rows.push({ mode: `burst of 10 (GetRole x${getRoles})`, calls: ops.length, depth: Math.max(...es.map((e) => e.stats.criticalPathDepth)), wallMs: Math.max(...es.map((e) => e.stats.wallMs)), hits: es.reduce((n, e) => n + e.stats.cacheHits, 0) })
    burst.destroy()
  } finally {
    await sb.close()
  }
  return rows
}

const pad = (s: string | number, n: number) => String(s).padStart(n)
console.log(`latency per AWS call: ${LATENCY} ms (sandbox latencyMs, sandbox in its own process)`)
await measure(cases[0]!) // warm-up, untimed
for (const c of cases) {
  const rows = await measure(c)
  const cold = rows[0]!
  const seq = rows.find((r) => r.mode.startsWith('sequential'))!
  const pooled = rows.find((r) => r.mode.startsWith('cold cache'))!
  console.log(`\n${c.name}  (job ${c.job.id})`)
  console.log(`${'mode'.padEnd(28)}${pad('calls', 6)}${pad('depth', 6)}${pad('wall ms', 9)}${pad('wall/lat', 9)}${pad('wall/floor', 11)}${pad('hits', 6)}${pad('cpu ms', 8)}`)
  for (const r of rows) {
    const floor = r.depth * LATENCY
    console.log(`${r.mode.padEnd(28)}${pad(r.calls, 6)}${pad(r.depth, 6)}${pad(r.wallMs.toFixed(0), 9)}${pad((r.wallMs / LATENCY).toFixed(1), 9)}${pad(floor > 0 ? (r.wallMs / floor).toFixed(2) : '-', 11)}${pad(r.hits, 6)}${pad(r.cpuMs === undefined ? '-' : r.cpuMs.toFixed(0), 8)}`)
  }
  console.log(`speed-up over sequential: ${(seq.wallMs / cold.wallMs).toFixed(1)}x (cold), ${(seq.wallMs / pooled.wallMs).toFixed(1)}x (cold cache, pooled clients)`)
}
rmSync(tmp, { recursive: true, force: true })
