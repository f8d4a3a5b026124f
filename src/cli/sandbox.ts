/**
 * `npm run sandbox -- --world FILE [--port N] [--host H]`: serves a world on
 * http://H:N (default 127.0.0.1:4566). The URL is the first line on stdout (so
 * scripts can read it); each request is logged on stderr. An invalid world
 * prints each problem with its JSON path and exits 2; bad arguments print the
 * usage and exit 2; SIGINT/SIGTERM close the server and exit 0.
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { type Sandbox, startSandbox, WorldValidationError, loadWorld, type World } from '../sandbox/index.js'

export const USAGE = 'usage: npm run sandbox -- --world FILE [--port N] [--host H]\n' +
  '  --world FILE  world JSON (see ../shared/contract/world.md)\n' +
  '  --port N      port to listen on (default 4566; 0 = any free port)\n' +
  '  --host H      address to bind (default 127.0.0.1)\n'

/** Request log entries a CLI sandbox keeps (stderr has them all). */
export const LOG_LIMIT = 10_000

export interface CliIo {
  out(text: string): void
  err(text: string): void
}

/** Either the process should exit with `code`, or a sandbox is now serving. */
export type CliResult = { code: number } | { sandbox: Sandbox }

/** Parses arguments, loads the world and starts serving; never exits the process itself. */
export async function startFromArgs(argv: string[], io: CliIo): Promise<CliResult> {
  const usage = (message: string): CliResult => {
    io.err(`${message}\n${USAGE}`)
    return { code: 2 }
  }
  let values: { world?: string; port?: string; host?: string; help?: boolean }
  try {
    values = parseArgs({
      args: argv,
      options: { world: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (err) {
    return usage((err as Error).message)
  }
  if (values.help) {
    io.out(USAGE)
    return { code: 0 }
  }
  if (!values.world) return usage('--world is required')
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) return usage(`--port must be an integer 0-65535, got ${values.port}`)
  const port = values.port === undefined ? 4566 : Number(values.port)
  if (port > 65535) return usage(`--port must be an integer 0-65535, got ${values.port}`)
  const host = values.host ?? '127.0.0.1'

  let world: World
  try {
    world = loadWorld(values.world)
  } catch (err) {
    if (err instanceof WorldValidationError) {
      io.err(`${err.message}\n`)
      return { code: 2 }
    }
    throw err
  }

  let sandbox: Sandbox | undefined
  try {
    sandbox = await startSandbox({
      world,
      port,
      host,
      onRequest(e) {
        // A long-running sandbox keeps only the recent part of its request log in memory.
        if (sandbox && sandbox.log.length > LOG_LIMIT) sandbox.log.splice(0, sandbox.log.length - LOG_LIMIT / 2)
        const error = e.errorCode ? ` ${e.errorCode}` : ''
        io.err(`${new Date(e.endedAt).toISOString()} ${e.service}:${e.operation} account=${e.accountId ?? '-'} region=${e.region ?? '-'} ${e.status}${error} ${e.latencyMs.toFixed(1)}ms\n`)
      },
    })
  } catch (err) {
    io.err(`cannot listen on ${host}:${port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`)
    return { code: 1 }
  }
  io.out(`${sandbox.url}\n`)
  io.err(`sandbox serving world "${world.name}" at ${sandbox.url} (Ctrl-C to stop)\n`)
  return { sandbox }
}

async function main(): Promise<void> {
  const io: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }
  const result = await startFromArgs(process.argv.slice(2), io)
  if ('code' in result) {
    process.exitCode = result.code
    return
  }
  const stop = (signal: string) => {
    io.err(`${signal}: closing sandbox\n`)
    result.sandbox.close().then(() => process.exit(0), () => process.exit(1))
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

// Run only when executed, not when imported by tests.
const entry = process.argv[1]
if (entry !== undefined && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))) {
  main().catch((err: unknown) => {
    process.stderr.write(`sandbox: ${(err as Error)?.stack ?? String(err)}\n`)
    process.exit(1)
  })
}
