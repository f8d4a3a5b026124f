/**
 * Evidence collection against a sandbox world with 25 ms per call: AWS calls,
 * critical-path depth and wall time for a backup job, a cross-account copy job
 * and a restore job, in every cache state a running service meets, and a naive
 * sequential baseline (the same collection with every AWS call made one after
 * another).
 *
 * `npm run build && node dist/bench/evidence.js`
 *   BENCH_LATENCY_MS (25)  sandbox latency per call
 *   BENCH_RUNS (9)         timed collections per mode; the median is printed, with min–max
 *   BENCH_WARMUP (30)      untimed collections per case first
 *   BENCH_CASES            comma-separated name prefixes of the cases to run (default: all)
 * Prints figures; asserts nothing.
 *
 * The sandbox runs in its own process (dist/src/cli/sandbox.js), as AWS would:
 * in-process, its request handling would share our event loop. Each case first
 * runs BENCH_WARMUP untimed collections against its sandbox: they warm the JIT
 * of both processes (a running service's code and AWS's servers are warm; "cold"
 * here is about caches, credentials and clients, not about V8), then the modes
 * are measured round-robin, one run of each per round, so that drift in the
 * machine's load spreads over all of them.
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

interface Sample { calls: number; depth: number; wallMs: number; cpuMs: number }
interface Mode { name: string; samples: Sample[] }

const RUNS = Number(process.env.BENCH_RUNS ?? 9)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 30)
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

async function timed(p: () => Promise<Evidence>): Promise<Sample> {
  const cpu = process.cpuUsage()
  const e = await p()
  const used = process.cpuUsage(cpu)
  return { calls: e.stats.awsCalls, depth: e.stats.criticalPathDepth, wallMs: e.stats.wallMs, cpuMs: (used.user + used.system) / 1000 }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

async function measure(c: Case): Promise<{ modes: Mode[]; burst: { calls: number; getRoles: number; depth: number; wallMs: number } }> {
  const sb = await sandboxProcess({ ...c.world, latencyMs: LATENCY } as World)
  try {
    const untyped = { jobId: c.job.id, accountId: c.job.accountId }
    const typed = { ...untyped, jobType: c.job.type }
    for (let i = 0; i < WARMUP; i++) {
      const ctx = context(sb.url)
      await collectEvidence(i % 2 === 0 ? untyped : typed, ctx)
      ctx.destroy()
    }
    /** A context as a started service has it: identity known (its readiness probe), nothing else. */
    const started = async () => {
      const ctx = context(sb.url)
      await ctx.serviceIdentity()
      return ctx
    }
    /** A started context that has served one diagnosis of the job, then `measure`d. */
    const afterOne = async (measure: (ctx: AwsContext) => Promise<Sample>): Promise<Sample> => {
      const ctx = await started()
      try {
        await collectEvidence(untyped, ctx)
        return await measure(ctx)
      } finally { ctx.destroy() }
    }
    const modes: { name: string; run: () => Promise<Sample> }[] = [
      {
        name: 'cold, new process',
        run: async () => { const ctx = context(sb.url); try { return await timed(() => collectEvidence(untyped, ctx)) } finally { ctx.destroy() } },
      },
      {
        name: 'cold, service started',
        run: async () => { const ctx = await started(); try { return await timed(() => collectEvidence(untyped, ctx)) } finally { ctx.destroy() } },
      },
      {
        name: '  same, job type given',
        run: async () => { const ctx = await started(); try { return await timed(() => collectEvidence(typed, ctx)) } finally { ctx.destroy() } },
      },
      {
        // A running replica meets a job with nothing cached: evidence cache empty and reader
        // credentials expired, but its SDK clients and keep-alive connections are there.
        name: 'cold cache, running service',
        run: () => afterOne(async (ctx) => {
          ctx.clearCache()
          ctx.forgetCredentials()
          return timed(() => collectEvidence(untyped, ctx))
        }),
      },
      {
        // A running service's cold cache: evidence cache emptied, SDK clients and reader credentials kept.
        name: 'cold cache, pooled clients',
        run: () => afterOne(async (ctx) => {
          ctx.clearCache()
          return timed(() => collectEvidence(untyped, ctx))
        }),
      },
      {
        name: 'warm, twin job',
        run: () => afterOne((ctx) => timed(() => collectEvidence({ ...untyped, jobId: c.twin }, ctx))),
      },
      {
        name: 'sequential, service started',
        run: async () => {
          const ctx = sequential(await started())
          try { return await timed(() => collectEvidence(untyped, ctx, { deadlineMs: 120_000 })) } finally { ctx.destroy() }
        },
      },
    ]
    const results: Mode[] = modes.map((m) => ({ name: m.name, samples: [] }))
    for (let r = 0; r < RUNS; r++) {
      for (let i = 0; i < modes.length; i++) results[i]!.samples.push(await modes[i]!.run())
    }
    // A burst: 10 diagnoses of jobs sharing one role at once, cold: the role is read once.
    const burst = await started()
    const ops: string[] = []
    burst.onCall((e) => ops.push(e.operation))
    const es = await Promise.all(Array.from({ length: 10 }, (_, i) => collectEvidence({ ...untyped, jobId: i % 2 === 0 ? c.job.id : c.twin }, burst)))
    burst.destroy()
    return {
      modes: results,
      burst: { calls: ops.length, getRoles: ops.filter((o) => o === 'GetRole').length, depth: Math.max(...es.map((e) => e.stats.criticalPathDepth)), wallMs: Math.max(...es.map((e) => e.stats.wallMs)) },
    }
  } finally {
    await sb.close()
  }
}

const pad = (s: string | number, n: number) => String(s).padStart(n)
console.log(`latency per AWS call: ${LATENCY} ms (sandbox in its own process); ${RUNS} runs per mode after ${WARMUP} warm-up collections per case; median (min-max)`)
const only = process.env.BENCH_CASES?.split(',')
for (const c of cases.filter((x) => only === undefined || only.some((o) => x.name.startsWith(o)))) {
  const { modes, burst } = await measure(c)
  console.log(`\n${c.name}  (${c.job.type} job ${c.job.id})`)
  console.log(`${'mode'.padEnd(30)}${pad('calls', 6)}${pad('depth', 6)}${pad('wall ms', 9)}${pad('(min-max)', 12)}${pad('wall/lat', 9)}${pad('wall/floor', 11)}${pad('cpu ms', 8)}`)
  const stat = (m: Mode) => ({ calls: median(m.samples.map((x) => x.calls)), depth: median(m.samples.map((x) => x.depth)), wall: median(m.samples.map((x) => x.wallMs)), cpu: median(m.samples.map((x) => x.cpuMs)), min: Math.min(...m.samples.map((x) => x.wallMs)), max: Math.max(...m.samples.map((x) => x.wallMs)) })
  for (const m of modes) {
    const s = stat(m)
    const floor = s.depth * LATENCY
    console.log(`${m.name.padEnd(30)}${pad(s.calls, 6)}${pad(s.depth, 6)}${pad(s.wall.toFixed(0), 9)}${pad(`(${s.min.toFixed(0)}-${s.max.toFixed(0)})`, 12)}${pad((s.wall / LATENCY).toFixed(1), 9)}${pad(floor > 0 ? (s.wall / floor).toFixed(2) : '-', 11)}${pad(s.cpu.toFixed(0), 8)}`)
  }
  const floorB = burst.depth * LATENCY
  console.log(`${`burst of 10 (GetRole x${burst.getRoles})`.padEnd(30)}${pad(burst.calls, 6)}${pad(burst.depth, 6)}${pad(burst.wallMs.toFixed(0), 9)}${pad('', 12)}${pad((burst.wallMs / LATENCY).toFixed(1), 9)}${pad((burst.wallMs / floorB).toFixed(2), 11)}${pad('-', 8)}`)
  const by = (n: string) => stat(modes.find((m) => m.name === n)!)
  const cold = by('cold cache, running service')
  const fresh = by('cold, service started')
  const seq = by('sequential, service started')
  const warm = by('warm, twin job')
  const ratio = (x: ReturnType<typeof stat>) => (x.wall / (x.depth * LATENCY)).toFixed(2)
  console.log(`targets: cold wall/floor ${ratio(cold)} (<= 1.25; fresh replica ${ratio(fresh)}); warm twin ${warm.depth} round trip(s) (<= 2); ` +
    `speed-up over sequential ${(seq.wall / fresh.wall).toFixed(1)}x (>= 5)`)
}
rmSync(tmp, { recursive: true, force: true })
