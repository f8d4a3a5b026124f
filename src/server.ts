/**
 * The process entry (`npm start` → node dist/src/server.js): read the config,
 * build the app, listen, and close gracefully on SIGINT/SIGTERM (in-flight
 * requests finish; new ones get 503 while closing). Nothing else lives here.
 */
import { buildApp } from './app.js'
import { ConfigError, describeConfig, loadConfig } from './config.js'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(process.env)
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`backup-doctor: refusing to start.\n${e.message}`)
      process.exit(2)
    }
    throw e
  }
  const app = await buildApp(config)
  app.log.info({ config: describeConfig(config) }, 'starting')

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    // Past this, a stuck connection must not keep the process alive forever.
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'error while closing')
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))

  await app.listen({ port: config.port, host: config.host })
  // Learn the service's own identity now (the readiness probe's GetCallerIdentity), not on the
  // first diagnosis: it is on every cold diagnosis' critical path otherwise. A failure here is
  // not fatal; /readyz keeps reporting it and the first diagnosis asks again.
  app.inject({ method: 'GET', url: '/readyz' }).then(
    (r) => app.log.info({ statusCode: r.statusCode }, 'startup readiness check'),
    (err: unknown) => app.log.warn({ err }, 'startup readiness check failed'),
  )
}

main().catch((err: unknown) => {
  console.error('backup-doctor: failed to start:', err instanceof Error ? err.message : err)
  process.exit(1)
})
