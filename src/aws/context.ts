/**
 * The AWS access layer (STYLE.md convention 6): one place that builds SDK
 * clients, chooses credentials, times and classifies every call, and caches.
 *
 * - Clients are pooled by (client, account, region) and created on first use
 *   (or by `prepare()` while the account's AssumeRole is in flight), never at
 *   import; their keep-alive connections are pooled by (service, region) across
 *   accounts. Endpoint, retries and per-call timeouts are set here: the
 *   SDK's standard retry strategy (maxAttempts 3 by default) and a
 *   `requestTimeout` on the Node HTTP handler
 *   (https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html).
 * - The service's own account uses the service's own credentials (default
 *   provider chain unless given). Any other account is read through
 *   `sts:AssumeRole` into `<readerRoleName>` there; those credentials are cached
 *   until five minutes before they expire and fetched once however many
 *   diagnoses ask at the same moment
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-api.html).
 * - Account ids and regions are validated before they reach a client: a region
 *   becomes a hostname and an account id part of a role ARN.
 * - Every call goes through `call()`: counted, timed, classified
 *   (`AwsCallError`) and reported to listeners and to the current call scope
 *   (the diagnosis that made it, tracked with AsyncLocalStorage), which also
 *   carries the diagnosis deadline.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { NODE_APP_ID_CONFIG_OPTIONS } from '@aws-sdk/core/client'
import { NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } from '@aws-sdk/core/httpAuthSchemes'
import { NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loadConfig, resolveDefaultsModeConfig } from '@smithy/core/config'
import { DEFAULT_RETRY_MODE, NODE_RETRY_MODE_CONFIG_OPTIONS } from '@smithy/core/retry'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { BackupClient } from '@aws-sdk/client-backup'
import { IAMClient } from '@aws-sdk/client-iam'
import { KMSClient } from '@aws-sdk/client-kms'
import { OrganizationsClient } from '@aws-sdk/client-organizations'
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types'
import { isAccountId, isRegion } from '../validate.js'
import { partitionOf } from '../partition.js'
import { AwsCallError } from './errors.js'
import type { AwsErrorClass } from './errors.js'
import { SingleFlightCache } from './cache.js'
import type { CachedOpts } from './cache.js'

export interface AwsConfig {
  /** Region used when a request names none, and for the global services (IAM, Organizations) and STS AssumeRole. */
  defaultRegion: string
  /** Role assumed in every other account (BACKUP_DOCTOR_READER_ROLE). */
  readerRoleName: string
  /** Explicit endpoint for every client (tests). Without it the SDK honours AWS_ENDPOINT_URL[_<SERVICE>]. */
  endpoint?: string
  /** SDK attempts per call, retries included (default 3). */
  maxAttempts?: number
  /** Per HTTP request timeout (default 5000 ms). */
  callTimeoutMs?: number
  /** The service's own credentials (default: the SDK's default provider chain). */
  credentials?: AwsCredentialIdentityProvider | AwsCredentialIdentity
  /** Replaces the SDK's standard retry strategy (tests: `new ConfiguredRetryStrategy(3, 5)`). */
  retryStrategy?: RetryStrategyV2
  /** Clock (ms since epoch), for credential expiry and latency measures. */
  now?: () => number
  /** Cache bounds and lifetimes. Volatile: things people edit to fix a failure (roles, vault and key policies). */
  cache?: { max?: number; stableTtlMs?: number; volatileTtlMs?: number }
  /** Duration of the reader role sessions (default 3600 s). */
  readerSessionSeconds?: number
}

export interface AwsCallEvent {
  service: string
  operation: string
  accountId: string
  region: string
  outcome: 'ok' | 'error'
  errorName?: string
  errorClass?: AwsErrorClass
  latencyMs: number
}

export interface CallMeta {
  service: string
  operation: string
  accountId: string
  region: string
}

/**
 * Accounting of one unit of work (a diagnosis, or one step of it): AWS calls
 * made and cache hits/misses inside it, counted into every enclosing scope too.
 * `deadlineAt` (ms, same clock as `now`) bounds every call made inside.
 */
export interface CallScope {
  calls: number
  cacheHits: number
  cacheMisses: number
  deadlineAt?: number
  parent?: CallScope
}

export type CacheClass = 'stable' | 'volatile' | 'immutable'

export interface AwsContext {
  config: Readonly<AwsConfig>
  /** Account of the service's own credentials (GetCallerIdentity, cached). */
  serviceIdentity(): Promise<{ accountId: string; arn: string }>
  backup(accountId: string, region: string): Promise<BackupClient>
  iam(accountId: string): Promise<IAMClient>
  kms(accountId: string, region: string): Promise<KMSClient>
  sts(accountId: string, region: string): Promise<STSClient>
  /** Organizations client with the management account's credentials (own, or reader role in the management account). */
  organizations(managementAccountId: string): Promise<OrganizationsClient>
  /** Run one AWS call: counted, timed, classified, emitted to listeners. Errors are rethrown as AwsCallError. */
  call<T>(meta: CallMeta, fn: () => Promise<T>): Promise<T>
  onCall(listener: (e: AwsCallEvent) => void): () => void
  cacheStats(): { hits: number; misses: number }
  /** Extension: make sure credentials for `accountId` are ready (service identity; reader role if not the own account). */
  ensureCredentials(accountId: string): Promise<void>
  /**
   * Extension: build the Backup, KMS (in `region`) and IAM clients of `accountId` now, without
   * waiting for its credentials (their provider fetches them at the first request). Building a
   * client costs CPU; a collection does it while the AssumeRole into the account is in flight.
   * A no-op for invalid input or before the service identity is known.
   */
  prepare(accountId: string, region: string): void
  /** Extension: single-flight TTL cache shared by every diagnosis using this context. Keys must start with the account. */
  cached<T>(key: string, ttl: CacheClass, fetch: () => Promise<T>, opts?: CachedOpts<T>): Promise<T>
  /** Extension: run `fn` inside a call scope (accounting + deadline). */
  inScope<T>(scope: CallScope, fn: () => Promise<T>): Promise<T>
  /** Extension: the innermost call scope of the caller, if any. */
  currentScope(): CallScope | undefined
  /** Extension: drop every cached value (not the pooled clients, not the reader credentials). */
  clearCache(): void
  /** Extension: drop the reader credentials, as when their sessions expire (the next read of an account assumes its role again). */
  forgetCredentials(): void
  /** Extension: destroy pooled clients (sockets). */
  destroy(): void
}

const scopes = new AsyncLocalStorage<CallScope>()

export function newScope(parent?: CallScope, deadlineAt?: number): CallScope {
  const s: CallScope = { calls: 0, cacheHits: 0, cacheMisses: 0 }
  if (parent !== undefined) s.parent = parent
  const d = deadlineAt ?? parent?.deadlineAt
  if (d !== undefined) s.deadlineAt = d
  return s
}

function bump(scope: CallScope | undefined, field: 'calls' | 'cacheHits' | 'cacheMisses'): void {
  for (let s = scope; s !== undefined; s = s.parent) s[field]++
}

/** The partition of a region: role ARNs differ in China and GovCloud (src/partition.ts). */
export { partitionOf }

const EXPIRY_MARGIN_MS = 5 * 60_000
/** Sockets per (service, region) endpoint, all accounts together (the SDK's default is 50 per client). */
const SOCKETS_PER_ENDPOINT = 256

type AnyClient = BackupClient | IAMClient | KMSClient | OrganizationsClient | STSClient

export function createAwsContext(input: AwsConfig): AwsContext {
  const config: Readonly<AwsConfig> = Object.freeze({ ...input })
  if (!isRegion(config.defaultRegion)) throw new TypeError(`defaultRegion is not a region: ${JSON.stringify(config.defaultRegion)}`)
  if (!/^[\w+=,.@-]{1,64}$/.test(config.readerRoleName)) throw new TypeError('readerRoleName is not a valid IAM role name')
  const now = config.now ?? Date.now
  const listeners = new Set<(e: AwsCallEvent) => void>()
  const clients = new Map<string, AnyClient>()
  const cache = new SingleFlightCache(config.cache?.max ?? 5000, config.now)
  const ttl: Record<CacheClass, number> = {
    immutable: 24 * 3600_000,
    stable: config.cache?.stableTtlMs ?? 10 * 60_000,
    volatile: config.cache?.volatileTtlMs ?? 60_000,
  }
  // Reader credentials live apart from the evidence cache: clearCache() must not drop them.
  const creds = new Map<string, { value: AwsCredentialIdentity; refreshAt: number }>()
  const credsInflight = new Map<string, Promise<AwsCredentialIdentity>>()
  let identity: Promise<{ accountId: string; arn: string }> | undefined
  let knownAccountId: string | undefined

  // One connection pool per (service, region), shared by the clients of every account: an
  // endpoint such as kms.eu-west-1.amazonaws.com is the same whatever the account, so a
  // diagnosis's first call into a new account reuses a warm connection (no TCP/TLS handshake)
  // instead of opening one while the rest of its level is in flight. Per service, not one pool
  // for all: with a single endpoint for everything (a sandbox, a proxy) one pool would let a
  // burst of Organizations reads take the connection an AssumeRole was about to reuse.
  const agents = new Map<string, { http: HttpAgent; https: HttpsAgent }>()
  function agentsFor(kind: string, region: string): { http: HttpAgent; https: HttpsAgent } {
    const key = `${kind}|${region}`
    let a = agents.get(key)
    if (a === undefined) {
      const o = { keepAlive: true, maxSockets: SOCKETS_PER_ENDPOINT }
      a = { http: new HttpAgent(o), https: new HttpsAgent(o) }
      agents.set(key, a)
    }
    return a
  }
  // Settings every SDK client would otherwise look up itself, in the environment then the
  // shared config files, each time one is built (one client per account and service): looked
  // up once per context, with the SDK's own selectors, so AWS_USE_FIPS_ENDPOINT and friends
  // keep their meaning.
  const shared = {
    useFipsEndpoint: loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS),
    useDualstackEndpoint: loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS),
    retryMode: loadConfig({ ...NODE_RETRY_MODE_CONFIG_OPTIONS, default: DEFAULT_RETRY_MODE }),
    authSchemePreference: loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS),
    userAgentAppId: loadConfig(NODE_APP_ID_CONFIG_OPTIONS),
    defaultsMode: resolveDefaultsModeConfig({ region: config.defaultRegion }),
  }

  function clientOptions(kind: string, region: string, credentials: AwsConfig['credentials']) {
    const timeout = config.callTimeoutMs ?? 5000
    const pool = agentsFor(kind, region)
    return {
      region,
      ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
      ...(credentials !== undefined ? { credentials } : {}),
      maxAttempts: config.maxAttempts ?? 3,
      ...(config.retryStrategy !== undefined ? { retryStrategy: config.retryStrategy } : {}),
      ...shared,
      // The resolved middleware stack is kept per command class instead of rebuilt on every send.
      cacheMiddleware: true,
      // Without throwOnRequestTimeout the current Node handler only logs a warning when
      // requestTimeout passes and keeps waiting (checked with @smithy/node-http-handler 4.x).
      requestHandler: new NodeHttpHandler({ httpAgent: pool.http, httpsAgent: pool.https, requestTimeout: timeout, connectionTimeout: Math.min(timeout, 3000), throwOnRequestTimeout: true }),
    }
  }

  function checkAccount(accountId: string, service: string): void {
    if (!isAccountId(accountId)) {
      throw new AwsCallError({ errorName: 'InvalidAccountId', errorClass: 'invalid', service, operation: 'client', message: 'not a 12-digit account id' })
    }
  }
  function checkRegion(region: string, service: string): void {
    if (!isRegion(region)) {
      throw new AwsCallError({ errorName: 'InvalidRegion', errorClass: 'invalid', service, operation: 'client', message: 'not a region name' })
    }
  }

  function ownClient<C extends AnyClient>(kind: string, region: string, make: (o: ReturnType<typeof clientOptions>) => C): C {
    const key = `${kind}|self|${region}`
    let c = clients.get(key) as C | undefined
    if (c === undefined) {
      c = make(clientOptions(kind, region, config.credentials))
      clients.set(key, c)
    }
    return c
  }

  async function serviceIdentity(): Promise<{ accountId: string; arn: string }> {
    if (identity === undefined) {
      const region = config.defaultRegion
      const sts = ownClient('sts', region, MAKERS.sts)
      const p = ctx.call({ service: 'sts', operation: 'GetCallerIdentity', accountId: 'self', region }, () =>
        sts.send(new GetCallerIdentityCommand({})),
      ).then((out) => {
        if (!isAccountId(out.Account) || typeof out.Arn !== 'string') {
          throw new AwsCallError({ errorName: 'BadResponse', errorClass: 'unknown', service: 'sts', operation: 'GetCallerIdentity', message: 'no account in GetCallerIdentity output' })
        }
        knownAccountId = out.Account
        return { accountId: out.Account, arn: out.Arn }
      })
      identity = p
      // A failure is not remembered: the next diagnosis asks again.
      p.catch(() => { if (identity === p) identity = undefined })
    }
    return identity
  }

  async function readerCredentials(accountId: string): Promise<AwsCredentialIdentity> {
    const held = creds.get(accountId)
    if (held !== undefined && now() < held.refreshAt) return held.value
    const flying = credsInflight.get(accountId)
    if (flying !== undefined) return flying
    const region = config.defaultRegion
    const p = (async () => {
      try {
        const sts = ownClient('sts', region, MAKERS.sts)
        const roleArn = `arn:${partitionOf(region)}:iam::${accountId}:role/${config.readerRoleName}`
        const out = await ctx.call({ service: 'sts', operation: 'AssumeRole', accountId, region }, () =>
          sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'backup-doctor', DurationSeconds: config.readerSessionSeconds ?? 3600 })),
        )
        const c = out.Credentials
        if (!c?.AccessKeyId || !c.SecretAccessKey) {
          throw new AwsCallError({ errorName: 'BadResponse', errorClass: 'unknown', service: 'sts', operation: 'AssumeRole', message: 'AssumeRole returned no credentials' })
        }
        const expiration = c.Expiration instanceof Date ? c.Expiration : new Date(now() + 15 * 60_000)
        const value: AwsCredentialIdentity = {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
          expiration,
        }
        // Refresh five minutes before expiry, but never cache for less than zero.
        creds.set(accountId, { value, refreshAt: Math.max(now(), expiration.getTime() - EXPIRY_MARGIN_MS) })
        return value
      } finally {
        credsInflight.delete(accountId)
      }
    })()
    credsInflight.set(accountId, p)
    return p
  }

  /** The pooled client of another account; its provider is asked before each request, answers from the cache and refreshes near expiry. */
  function readerClient<C extends AnyClient>(kind: string, accountId: string, region: string, make: (o: ReturnType<typeof clientOptions>) => C): C {
    const key = `${kind}|${accountId}|${region}`
    let c = clients.get(key) as C | undefined
    if (c === undefined) {
      c = make(clientOptions(kind, region, () => readerCredentials(accountId)))
      clients.set(key, c)
    }
    return c
  }

  /** A pooled client for (kind, account, region) with the right credentials, credentials ready. */
  async function clientFor<C extends AnyClient>(kind: string, accountId: string, region: string, make: (o: ReturnType<typeof clientOptions>) => C): Promise<C> {
    checkAccount(accountId, kind)
    checkRegion(region, kind)
    const me = await serviceIdentity()
    if (accountId === me.accountId) return ownClient(kind, region, make)
    await readerCredentials(accountId)
    return readerClient(kind, accountId, region, make)
  }

  const MAKERS = {
    backup: (o: ReturnType<typeof clientOptions>) => new BackupClient(o),
    iam: (o: ReturnType<typeof clientOptions>) => new IAMClient(o),
    kms: (o: ReturnType<typeof clientOptions>) => new KMSClient(o),
    sts: (o: ReturnType<typeof clientOptions>) => new STSClient(o),
    organizations: (o: ReturnType<typeof clientOptions>) => new OrganizationsClient(o),
  }

  const ctx: AwsContext = {
    config,
    serviceIdentity,
    async ensureCredentials(accountId) {
      checkAccount(accountId, 'sts')
      const me = await serviceIdentity()
      if (accountId !== me.accountId) await readerCredentials(accountId)
    },
    prepare(accountId, region) {
      if (!isAccountId(accountId) || !isRegion(region) || knownAccountId === undefined) return
      const build = <C extends AnyClient>(kind: string, r: string, make: (o: ReturnType<typeof clientOptions>) => C) =>
        accountId === knownAccountId ? ownClient(kind, r, make) : readerClient(kind, accountId, r, make)
      build('backup', region, MAKERS.backup)
      build('kms', region, MAKERS.kms)
      build('iam', config.defaultRegion, MAKERS.iam)
    },
    backup: (a, r) => clientFor('backup', a, r, MAKERS.backup),
    iam: (a) => clientFor('iam', a, config.defaultRegion, MAKERS.iam),
    kms: (a, r) => clientFor('kms', a, r, MAKERS.kms),
    sts: (a, r) => clientFor('sts', a, r, MAKERS.sts),
    organizations: (a) => clientFor('organizations', a, config.defaultRegion, MAKERS.organizations),

    async call<T>(meta: CallMeta, fn: () => Promise<T>): Promise<T> {
      const scope = scopes.getStore()
      const started = now()
      const emit = (e: Omit<AwsCallEvent, keyof CallMeta | 'latencyMs'>) => {
        const ev: AwsCallEvent = { ...meta, ...e, latencyMs: Math.max(0, now() - started) }
        for (const l of listeners) {
          try { l(ev) } catch { /* a listener never breaks a call */ }
        }
      }
      const deadlineAt = scope?.deadlineAt
      if (deadlineAt !== undefined && deadlineAt - started <= 0) {
        const err = new AwsCallError({ errorName: 'DeadlineExceeded', errorClass: 'timeout', ...meta, message: 'diagnosis deadline passed before the call' })
        emit({ outcome: 'error', errorName: err.errorName, errorClass: err.errorClass })
        throw err
      }
      bump(scope, 'calls')
      let timer: NodeJS.Timeout | undefined
      try {
        const work = fn()
        const v = deadlineAt === undefined
          ? await work
          : await Promise.race([
            work,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new AwsCallError({ errorName: 'DeadlineExceeded', errorClass: 'timeout', ...meta, message: 'diagnosis deadline passed during the call' })), deadlineAt - started)
            }),
          ])
        emit({ outcome: 'ok' })
        return v
      } catch (e) {
        const err = AwsCallError.from(e, meta)
        emit({ outcome: 'error', errorName: err.errorName, errorClass: err.errorClass })
        throw err
      } finally {
        if (timer !== undefined) clearTimeout(timer)
      }
    },

    onCall(listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },

    cacheStats: () => ({ ...cache.stats }),

    async cached<T>(key: string, cls: CacheClass, fetch: () => Promise<T>, opts?: CachedOpts<T>): Promise<T> {
      const scope = scopes.getStore()
      const r = await cache.get(key, ttl[cls], fetch, opts)
      bump(scope, r.outcome === 'miss' ? 'cacheMisses' : 'cacheHits')
      return r.value
    },

    inScope: (scope, fn) => scopes.run(scope, fn),
    currentScope: () => scopes.getStore(),
    clearCache: () => cache.clear(),
    forgetCredentials: () => creds.clear(),
    destroy() {
      for (const c of clients.values()) c.destroy()
      clients.clear()
      for (const a of agents.values()) {
        a.http.destroy()
        a.https.destroy()
      }
      agents.clear()
    },
  }
  return ctx
}
