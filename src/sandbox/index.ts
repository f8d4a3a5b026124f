/**
 * The simulated AWS ("sandbox"): serves a world (../shared/contract/world.md)
 * over the real AWS wire protocols so the real SDK v3 clients talk to it with
 * only their endpoint pointed at it. Public API: `loadWorld`, `startSandbox`.
 */
import type { AddressInfo } from 'node:net'
import { Model } from './model.js'
import { createSandboxServer, newState, type RequestLogEntry } from './server.js'
import { loadWorld, type World } from './world.js'

export type { RequestLogEntry } from './server.js'
export { loadWorld, WorldValidationError, type World, type WorldProblem } from './world.js'

export interface Sandbox {
  /** `http://host:port`, to use as AWS_ENDPOINT_URL or a client's `endpoint`. */
  url: string
  port: number
  host: string
  /** Every request served, in order of completion (errors included). */
  log: RequestLogEntry[]
  /** Empties `log` in place. */
  clearLog(): void
  close(): Promise<void>
  world: World
}

export interface StartOptions {
  /** A validated world, a world object, or a path to a world file. */
  world: World | string
  /** Default 0: an ephemeral port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** Called after each request (the CLI logs with it). */
  onRequest?: (entry: RequestLogEntry) => void
}

export async function startSandbox(opts: StartOptions): Promise<Sandbox> {
  const world = loadWorld(opts.world)
  const state = newState(new Model(world))
  const server = createSandboxServer(state, opts.onRequest)
  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host
  let closing: Promise<void> | undefined
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    log: state.log,
    clearLog() { state.log.length = 0 },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
    world,
  }
}
