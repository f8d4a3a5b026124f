/**
 * Per-caller rate limiting on /v1/* with @fastify/rate-limit: keyed by the API key
 * when the request carries a valid one (a digest, never the key itself), otherwise by
 * client IP, so that a caller guessing tokens is limited by address and cannot get a
 * fresh budget with each guess. Exceeding it is a 429 problem with Retry-After.
 */
import { createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'
import { bearerToken } from './auth.js'

export interface RateLimitOptions {
  max: number
  windowMs: number
}

async function rateLimitPlugin(app: FastifyInstance, opts: RateLimitOptions): Promise<void> {
  const keyOf = (request: FastifyRequest): string => {
    const token = bearerToken(request)
    if (token !== null && app.authEnabled && app.verifyBearer(request)) {
      return `key:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`
    }
    return `ip:${request.ip}`
  }
  await app.register(rateLimit, {
    global: true,
    max: opts.max,
    timeWindow: opts.windowMs,
    hook: 'onRequest',
    keyGenerator: keyOf,
    // Only the API is limited; health probes, docs and the OpenAPI document are not.
    allowList: (request) => !request.url.startsWith('/v1/'),
    addHeadersOnExceeding: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true },
    addHeaders: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true, 'retry-after': true },
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Rate limit of ${context.max} requests exceeded; retry in ${context.after}`, {
        retryAfter: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  })
}

export default fp(rateLimitPlugin, { name: 'backup-doctor-rate-limit', fastify: '5.x', dependencies: ['backup-doctor-auth'] })
