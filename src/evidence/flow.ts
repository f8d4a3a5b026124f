/**
 * Plumbing of one evidence collection: chains of dependent AWS calls, their
 * depth, and the conversion of call outcomes into three-state items.
 *
 * A `Chain` is one line of dependent work. `chain.call()` makes one AWS call
 * (plus the AssumeRole its client may need first) and advances the chain's
 * depth by the number of sequential round trips it took; `fork()` starts a
 * parallel line at the same depth and `join()` waits for the deepest. The
 * collection's critical-path depth is the deepest any chain reached: the
 * longest sequence of round trips nothing could have overlapped.
 */
import { AwsCallError } from '../aws/errors.js'
import { newScope } from '../aws/context.js'
import type { AwsContext, CacheClass, CallMeta } from '../aws/context.js'
import type { Item } from './types.js'

let flowSeq = 0

export class Flow {
  readonly id = ++flowSeq
  maxDepth = 0
  #closed = false
  readonly #inflight = new Set<Promise<unknown>>()
  constructor(readonly ctx: AwsContext) {}

  get closed(): boolean {
    return this.#closed
  }

  /** Makes an AWS call part of this collection: close() waits for it. */
  track<T>(p: Promise<T>): Promise<T> {
    this.#inflight.add(p)
    const done = () => { this.#inflight.delete(p) }
    p.then(done, done)
    return p
  }

  /**
   * Ends the collection: no call starts after this (reads started early, such as the
   * organization's, stop where they are), and the calls in flight are waited for, so a
   * diagnosis leaves nothing running behind its answer.
   */
  async close(): Promise<void> {
    this.#closed = true
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight])
  }

  chain(): Chain {
    return new Chain(this, 0)
  }

  readonly #credentials = new Map<string, Promise<number>>()

  /**
   * Depth at which this collection has credentials for `accountId` (identity
   * and, for another account, the reader role): the first chain that needs them
   * pays the round trips, the others wait for them in depth too.
   */
  credentialsReady(accountId: string, from: Chain): Promise<number> {
    let p = this.#credentials.get(accountId)
    if (p === undefined) {
      const f = from.fork()
      p = f.run(() => this.ctx.ensureCredentials(accountId)).then(() => f.depth)
      this.#credentials.set(accountId, p)
      p.catch(() => this.#credentials.delete(accountId))
    }
    return p
  }
}

interface Stamped<T> {
  v: T
  flow: number
  /** Depth at which the value became available in the flow that produced it. */
  depth: number
}

export class Chain {
  constructor(readonly flow: Flow, public depth: number) {}

  get ctx(): AwsContext {
    return this.flow.ctx
  }

  fork(): Chain {
    return new Chain(this.flow, this.depth)
  }

  join(...chains: Chain[]): this {
    for (const c of chains) this.#reach(c.depth)
    return this
  }

  #reach(d: number): void {
    if (d > this.depth) this.depth = d
    if (d > this.flow.maxDepth) this.flow.maxDepth = d
  }

  /**
   * Runs `fn` (which makes sequential AWS calls through `ctx.call`, e.g. an
   * AssumeRole then the call itself) and advances the depth by the calls it made.
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const scope = newScope(this.ctx.currentScope())
    const start = this.depth
    try {
      return await this.ctx.inScope(scope, fn)
    } finally {
      this.#reach(start + scope.calls)
    }
  }

  /** One AWS call with a client that may first need credentials. */
  async call<C, T>(meta: CallMeta, client: () => Promise<C>, send: (c: C) => Promise<T>): Promise<T> {
    if (this.flow.closed) throw cancelled(meta)
    try {
      this.#reach(await this.flow.credentialsReady(meta.accountId, this))
    } catch {
      // The client() below fails the same way and reports it as this call's error.
    }
    if (this.flow.closed) throw cancelled(meta)
    return this.flow.track(this.run(async () => {
      const c = await client()
      return this.ctx.call(meta, async () => {
        const out = await send(c)
        // Never let a missing output crash a source: it is an answer the service cannot use.
        if (out === undefined || out === null) throw badResponse(meta, 'empty answer')
        return out
      })
    }))
  }

  /**
   * A cached, single-flight sub-collection. `fetch` runs on a fork; the value is
   * stamped with the depth it was produced at, so another chain of the same
   * collection that joins it waits (in depth) for it, while a value left by an
   * earlier collection costs nothing.
   */
  async cached<T>(key: string, cls: CacheClass, fetch: (c: Chain) => Promise<T>, keepIf?: (v: T) => boolean): Promise<T> {
    const s = await this.ctx.cached<Stamped<T>>(
      key,
      cls,
      async () => {
        const f = this.fork()
        const v = await fetch(f)
        return { v, flow: this.flow.id, depth: f.depth }
      },
      keepIf === undefined ? undefined : { keepIf: (x) => keepIf(x.v) },
    )
    if (s.flow === this.flow.id) this.#reach(s.depth)
    return s.v
  }
}

// ---- items ----

export function read<T>(value: T): Item<T> {
  return { state: 'read', value }
}
export function absent<T>(reason: string): Item<T> {
  return { state: 'absent', reason }
}
export function notCollected<T>(reason: string): Item<T> {
  return { state: 'not-collected', reason }
}
export function unreadable<T>(e: unknown, fallbackCall = 'unknown'): Item<T> {
  if (e instanceof AwsCallError) {
    return { state: 'unreadable', error: e.errorName, call: e.call, message: e.message, errorClass: e.errorClass }
  }
  const name = e instanceof Error ? e.name : 'Error'
  return { state: 'unreadable', error: name, call: fallbackCall, message: e instanceof Error ? e.message : String(e), errorClass: 'unknown' }
}

/**
 * Awaits a read. A not-found answer becomes `absent` with `absentReason` when the
 * caller says not-found is a fact for this item; every other failure is `unreadable`.
 */
export async function item<T>(p: Promise<T>, absentReason?: string): Promise<Item<T>> {
  try {
    return read(await p)
  } catch (e) {
    if (absentReason !== undefined && e instanceof AwsCallError && e.errorClass === 'not-found') {
      return absent(`${absentReason} (${e.errorName})`)
    }
    return unreadable(e)
  }
}

/** True when no item inside `v` (deeply) is unreadable: only such results are cached. */
export function fullyRead(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true
  if (Array.isArray(v)) return v.every(fullyRead)
  const o = v as Record<string, unknown>
  if (o.state === 'unreadable' && typeof o.call === 'string') return false
  return Object.values(o).every(fullyRead)
}

/** Deep copy with Dates as ISO strings, so SDK output is plain JSON. */
export function plain(v: unknown): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString()
  if (Array.isArray(v)) return v.map(plain)
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) if (k !== '$metadata' && x !== undefined) out[k] = plain(x)
    return out
  }
  return v
}

export function iso(d: Date | undefined | null): string | null {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : null
}

function cancelled(meta: CallMeta): AwsCallError {
  return new AwsCallError({ errorName: 'Cancelled', errorClass: 'unknown', service: meta.service, operation: meta.operation, message: 'the diagnosis had already answered' })
}

export function badResponse(meta: { service: string; operation: string }, message: string): AwsCallError {
  return new AwsCallError({ errorName: 'BadResponse', errorClass: 'unknown', ...meta, message })
}
