/**
 * Bearer API keys for /v1/* (../shared/contract/api.md). Keys are compared in
 * constant time: both sides are hashed to SHA-256 digests of equal length and
 * compared with crypto.timingSafeEqual, and every configured key is checked (no
 * early exit), so timing reveals neither a key's prefix nor its length.
 *
 * Which routes need a token is declared per route: `config: { auth: 'bearer' | 'none' }`.
 * Routes under /v1/ default to 'bearer'; others (health, docs) to 'none'. Routes that
 * authenticate differently (Slack signatures, SNS signatures) declare 'none' and call
 * `app.verifyBearer(request)` themselves where a bearer token is one option.
 *
 * The check runs in `preParsing`: after the rate limiter (onRequest), before the body
 * is read, so an unauthenticated caller never gets its body parsed.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'

export type AuthMode = 'bearer' | 'none'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How the route authenticates; default 'bearer' under /v1/, 'none' elsewhere. */
    auth?: AuthMode
  }
  interface FastifyInstance {
    /** True when the request carries a valid bearer key (or authentication is off). */
    verifyBearer(request: FastifyRequest): boolean
    /** Whether bearer authentication is on. */
    readonly authEnabled: boolean
  }
}

export interface AuthOptions {
  enabled: boolean
  apiKeys: readonly string[]
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

/** Builds a constant-time matcher over the configured keys. */
export function createKeyMatcher(apiKeys: readonly string[]): (token: string) => boolean {
  const digests = apiKeys.map(digest)
  return (token) => {
    const d = digest(token)
    let ok = false
    for (const k of digests) ok = timingSafeEqual(d, k) || ok
    return ok
  }
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const h = request.headers.authorization
  if (typeof h !== 'string') return null
  const m = /^Bearer[ ]+([\x21-\x7e]{1,512})[ ]*$/i.exec(h)
  return m?.[1] ?? null
}

export function routeAuthMode(request: FastifyRequest): AuthMode {
  const declared = request.routeOptions.config?.auth
  if (declared !== undefined) return declared
  const url = request.routeOptions.url ?? request.url
  return url.startsWith('/v1/') ? 'bearer' : 'none'
}

async function authPlugin(app: FastifyInstance, opts: AuthOptions): Promise<void> {
  const matches = createKeyMatcher(opts.apiKeys)
  const verifyBearer = (request: FastifyRequest): boolean => {
    if (!opts.enabled) return true
    const token = bearerToken(request)
    return token !== null && matches(token)
  }
  app.decorate('verifyBearer', verifyBearer)
  app.decorate('authEnabled', opts.enabled)

  app.addHook('preParsing', async (request, reply) => {
    if (!opts.enabled || routeAuthMode(request) !== 'bearer') return
    if (verifyBearer(request)) return
    // RFC 6750 §3: tell the client which scheme is expected.
    reply.header('www-authenticate', 'Bearer realm="backup-doctor"')
    const detail = request.headers.authorization === undefined ? 'Send Authorization: Bearer <API key>' : 'The bearer token is not valid'
    throw new AppError('UNAUTHORIZED', detail)
  })
}

export default fp(authPlugin, { name: 'backup-doctor-auth', fastify: '5.x', dependencies: ['backup-doctor-errors'] })
