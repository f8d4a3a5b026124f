/**
 * Readiness = the service can reach AWS with its own credentials
 * (sts:GetCallerIdentity through AwsContext.serviceIdentity()). Probes hit this every
 * few seconds: a success is reused for `cacheMs` (default 30 s) and a failure for a
 * shorter time so recovery shows quickly; concurrent probes share one in-flight check.
 */
export type ReadinessResult = { ready: true; checkedAt: string } | { ready: false; checkedAt: string; reason: string }

export interface Readiness {
  check(): Promise<ReadinessResult>
}

export interface ReadinessOptions {
  /** Throws when not ready. */
  probe: () => Promise<unknown>
  cacheMs: number
  failureCacheMs?: number
  /** Give up on a probe after this long (a hung STS call must not hang /readyz). */
  timeoutMs?: number
  now?: () => number
}

export function createReadiness(opts: ReadinessOptions): Readiness {
  const now = opts.now ?? Date.now
  const failureCacheMs = opts.failureCacheMs ?? Math.min(opts.cacheMs, 5_000)
  const timeoutMs = opts.timeoutMs ?? 5_000
  let cached: { result: ReadinessResult; until: number } | null = null
  let inFlight: Promise<ReadinessResult> | null = null

  const run = async (): Promise<ReadinessResult> => {
    const checkedAt = new Date(now()).toISOString()
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        opts.probe(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), timeoutMs)
        }),
      ])
      return { ready: true, checkedAt }
    } catch (e) {
      const name = e instanceof Error ? (e as { errorName?: string }).errorName ?? e.name : 'Error'
      // The error NAME only (e.g. ExpiredToken, CredentialsProviderError): never a message that could carry an ARN or key id.
      return { ready: false, checkedAt, reason: name === 'Error' ? 'AWS credentials check failed' : `AWS credentials check failed (${name})` }
    } finally {
      if (timer) clearTimeout(timer)
    }
  }

  return {
    async check() {
      if (cached !== null && now() < cached.until) return cached.result
      if (inFlight === null) {
        inFlight = run().then((result) => {
          cached = { result, until: now() + (result.ready ? opts.cacheMs : failureCacheMs) }
          inFlight = null
          return result
        })
      }
      return inFlight
    },
  }
}
