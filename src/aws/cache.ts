/**
 * A bounded TTL cache with single-flight: concurrent requests for one key share
 * one fetch, a settled value is kept for its TTL, a failure is never kept (the
 * next request fetches again). Keys always start with the account (and region)
 * the value was read in, so nothing read with one account's credentials is ever
 * served for another account.
 */
import { LRUCache } from 'lru-cache'

export interface CacheStats {
  hits: number
  misses: number
}

export interface CachedOpts<T> {
  /** Keep the settled value only if this says so (e.g. not when part of it was unreadable). */
  keepIf?: (value: T) => boolean
}

export type CacheOutcome = 'hit' | 'joined' | 'miss'

export class SingleFlightCache {
  readonly #values: LRUCache<string, { v: unknown }>
  readonly #inflight = new Map<string, Promise<unknown>>()
  readonly stats: CacheStats = { hits: 0, misses: 0 }

  constructor(max: number, now?: () => number) {
    this.#values = new LRUCache<string, { v: unknown }>({
      max,
      ttl: 60_000,
      ttlAutopurge: false,
      // A clock given by tests is read on every check (no ttlResolution caching).
      ...(now ? { perf: { now }, ttlResolution: 0 } : {}),
    })
  }

  /** Returns the value and whether it came from the cache, a shared in-flight fetch or a fresh fetch. */
  async get<T>(key: string, ttlMs: number, fetch: () => Promise<T>, opts: CachedOpts<T> = {}): Promise<{ value: T; outcome: CacheOutcome }> {
    const held = this.#values.get(key)
    if (held !== undefined) {
      this.stats.hits++
      return { value: held.v as T, outcome: 'hit' }
    }
    const flying = this.#inflight.get(key)
    if (flying !== undefined) {
      this.stats.hits++
      return { value: (await flying) as T, outcome: 'joined' }
    }
    this.stats.misses++
    const p = (async () => {
      try {
        const v = await fetch()
        if (ttlMs > 0 && (opts.keepIf === undefined || opts.keepIf(v))) this.#values.set(key, { v }, { ttl: ttlMs })
        return v
      } finally {
        this.#inflight.delete(key)
      }
    })()
    this.#inflight.set(key, p)
    return { value: await p, outcome: 'miss' }
  }

  delete(key: string): void {
    this.#values.delete(key)
  }

  clear(): void {
    this.#values.clear()
  }

  get size(): number {
    return this.#values.size
  }
}
