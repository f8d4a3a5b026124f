/**
 * `npm run sandbox -- --world FILE [--port N] [--host H]`: serves a world on
 * http://H:N (default 127.0.0.1:4566). The URL is the first line on stdout (so
 * scripts can read it); each request is logged on stderr. An invalid world
 * prints each problem with its JSON path and exits 2; bad arguments print the
 * usage and exit 2; SIGINT/SIGTERM close the server and exit 0.
 */
import { parseArgs } from 'node:util'
import { startSandbox, WorldValidationError, loadWorld } from '../sandbox/index.js'

const USAGE = 'usage: npm run sandbox -- --world FILE [--port N] [--host H]\n' +
  '  --world FILE  world JSON (see ../shared/contract/world.md)\n' +
  '  --port N      port to listen on (default 4566; 0 = any free port)\n' +
  '  --host H      address to bind (default 127.0.0.1)\n'

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`)
  process.exit(2)
}

async function main(): Promise<void> {
  let values: { world?: string; port?: string; host?: string; help?: boolean }
  try {
    values = parseArgs({
      options: { world: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (err) {
    fail((err as Error).message)
  }
  if (values.help) {
    process.stdout.write(USAGE)
    return
  }
  if (!values.world) fail('--world is required')
  const port = values.port === undefined ? 4566 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535 || (values.port !== undefined && !/^\d+$/.test(values.port))) fail(`--port must be an integer 0-65535, got ${values.port}`)
  const host = values.host ?? '127.0.0.1'

  let world
  try {
    world = loadWorld(values.world)
  } catch (err) {
    if (err instanceof WorldValidationError) {
      process.stderr.write(`${err.message}\n`)
      process.exit(2)
    }
    throw err
  }

  const sandbox = await startSandbox({
    world,
    port,
    host,
    onRequest(e) {
      const error = e.errorCode ? ` ${e.errorCode}` : ''
      process.stderr.write(`${new Date(e.endedAt).toISOString()} ${e.service}:${e.operation} account=${e.accountId ?? '-'} region=${e.region ?? '-'} ${e.status}${error} ${e.latencyMs.toFixed(1)}ms\n`)
    },
  }).catch((err: NodeJS.ErrnoException) => {
    process.stderr.write(`cannot listen on ${host}:${port}: ${err.code ?? err.message}\n`)
    process.exit(1)
  })
  process.stdout.write(`${sandbox.url}\n`)
  process.stderr.write(`sandbox serving world "${world.name}" at ${sandbox.url} (Ctrl-C to stop)\n`)

  const stop = (signal: string) => {
    process.stderr.write(`${signal}: closing sandbox\n`)
    sandbox.close().then(() => process.exit(0), () => process.exit(1))
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox: ${(err as Error)?.stack ?? String(err)}\n`)
  process.exit(1)
})
