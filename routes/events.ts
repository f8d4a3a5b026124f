/**
 * POST /v1/events — AWS Backup job-failure events, from two senders
 * (../shared/contract/api.md "Who may call the integration routes",
 * ../shared/notes/event-formats.md):
 *
 * - an EventBridge API destination (API-key connection) sends the event as
 *   JSON with `Authorization: Bearer <key>`, checked by `authenticate`;
 * - Amazon SNS sends `text/plain` JSON with `x-amz-sns-message-type` and cannot
 *   send a token: a message is accepted on its signature alone (src/integrations/sns.ts); one that does
 *   not verify is a 401 and is never acted on. Subscription confirmations are
 *   confirmed by GETting SubscribeURL after verification, on the SNS host only.
 *
 * Failed, aborted and expired jobs are queued for diagnosis and the verdict is
 * posted to SLACK_WEBHOOK_URL (src/integrations/failure-notifier.ts); the
 * route answers 202 at once (an API destination gives up after 5 seconds).
 * Other states and event types are acknowledged with 200 and ignored;
 * redeliveries are 200 `duplicate`; malformed events are 400, never 5xx; a full
 * queue is 503 + Retry-After so the sender retries instead of the event being lost.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../src/errors.js'
import { decideEventBridge, type EventDecision } from '../src/integrations/eventbridge.js'
import { FailureNotifier } from '../src/integrations/failure-notifier.js'
import { createPostJson, type PostJson } from '../src/integrations/post-json.js'
import { reportUrlBuilder, type ReportUrlBuilder } from '../src/integrations/report-url.js'
import { decideSnsNotification, isSnsEndpointUrl, parseSnsMessage, SnsVerifier, type CertFetcher } from '../src/integrations/sns.js'
import type { DiagnosisServiceLike } from '../src/integrations/types.js'
import { problemResponse } from '../src/schemas/problem.js'

export interface EventsRouteOptions {
  /** SLACK_WEBHOOK_URL; null → the route answers 503. */
  webhookUrl: string | null
  diagnosisService: DiagnosisServiceLike
  /** Bearer check for EventBridge deliveries; default `app.verifyBearer` when decorated, else refuse. */
  authenticate?: (request: FastifyRequest) => boolean | Promise<boolean>
  /** Outbound poster (default: fetch, only to the configured webhook URL). */
  post?: PostJson
  publicUrl?: string | null
  reportUrl?: ReportUrlBuilder
  sns?: {
    /** Fetches the signing certificate (default: https GET, only sns.<region>.amazonaws.com). */
    fetchCert?: CertFetcher
    /** GETs a SubscribeURL (default: fetch). */
    confirmSubscription?: (url: string) => Promise<void>
    /** When set, only these topics are accepted. */
    topicArns?: readonly string[]
    now?: () => number
  }
  concurrency?: number
  capacity?: number
  dedupeSize?: number
  postAttempts?: number
  retryDelayMs?: number
  /** Seconds a 503 asks the sender to wait when the queue is full. */
  retryAfterSeconds?: number
  /** On close, how long queued diagnoses may still run (default 10 s). */
  drainTimeoutMs?: number
}

const AckSchema = Type.Object({
  status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('ignored'), Type.Literal('confirmed')]),
  reason: Type.Optional(Type.String()),
})

function snsMessageType(request: FastifyRequest): string | undefined {
  const h = request.headers['x-amz-sns-message-type']
  return typeof h === 'string' ? h : undefined
}

async function defaultConfirm(url: string): Promise<void> {
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5000) })
  await res.arrayBuffer().catch(() => undefined)
  if (!res.ok) throw new Error(`SubscribeURL answered ${res.status}`)
}

const eventsRoutes: FastifyPluginAsyncTypebox<EventsRouteOptions> = async (app, opts) => {
  const webhookUrl = opts.webhookUrl
  const notifier =
    webhookUrl === null
      ? null
      : new FailureNotifier({
          diagnosis: opts.diagnosisService,
          // The webhook URL is configured by the operator; nothing else may be posted to.
          post: opts.post ?? createPostJson({ allowedPrefixes: [webhookUrl] }),
          webhookUrl,
          reportUrl: opts.reportUrl ?? reportUrlBuilder(opts.publicUrl),
          logger: app.log,
          ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
          ...(opts.capacity !== undefined ? { capacity: opts.capacity } : {}),
          ...(opts.dedupeSize !== undefined ? { dedupeSize: opts.dedupeSize } : {}),
          ...(opts.postAttempts !== undefined ? { postAttempts: opts.postAttempts } : {}),
          ...(opts.retryDelayMs !== undefined ? { retryDelayMs: opts.retryDelayMs } : {}),
        })
  if (notifier) {
    if (app.hasDecorator('metrics')) app.metrics.trackQueue('events', () => ({ pending: notifier.pending, running: notifier.running }))
    app.addHook('onClose', async () => notifier.close(opts.drainTimeoutMs ?? 10_000))
  }
  const verifier = new SnsVerifier({
    ...(opts.sns?.fetchCert ? { fetchCert: opts.sns.fetchCert } : {}),
    ...(opts.sns?.now ? { now: opts.sns.now } : {}),
  })
  const confirm = opts.sns?.confirmSubscription ?? defaultConfirm
  const topics = opts.sns?.topicArns ? new Set(opts.sns.topicArns) : null
  const authenticate =
    opts.authenticate ?? ((request: FastifyRequest) => (app.hasDecorator('verifyBearer') ? app.verifyBearer(request) : false))
  const retryAfter = opts.retryAfterSeconds ?? 5
  const metrics = () => (app.hasDecorator('metrics') ? app.metrics : null)

  app.post(
    '/v1/events',
    {
      // The SNS path has no token; the EventBridge path checks it below.
      // SNS does not retry 4xx answers ("Amazon SNS message delivery retries": only
      // server-side errors are retried), so a 429 would lose the event: SNS
      // deliveries skip the per-IP rate limit. Spoofing the header only buys a
      // signature check (401), which costs one RSA verification.
      config: { auth: 'none', rateLimit: { allowList: (request) => typeof request.headers['x-amz-sns-message-type'] === 'string' } },
      bodyLimit: 300 * 1024,
      // SNS always names its message type in `x-amz-sns-message-type`; every other
      // delivery is EventBridge and needs the bearer key, checked before the body
      // is read so an unauthenticated caller never gets 300 KiB parsed.
      preParsing: async (request, reply) => {
        if (snsMessageType(request) !== undefined) return
        if (notifier === null) throw new AppError('NOT_CONFIGURED', 'SLACK_WEBHOOK_URL is not set')
        if (await authenticate(request)) return
        metrics()?.observeEvent('eventbridge', 'unauthorized')
        reply.header('www-authenticate', 'Bearer realm="backup-doctor"')
        throw new AppError('UNAUTHORIZED', 'EventBridge deliveries need Authorization: Bearer <API key>')
      },
      schema: {
        tags: ['integrations'],
        summary: 'AWS Backup job state change events (EventBridge API destination or Amazon SNS)',
        description:
          'EventBridge: `Authorization: Bearer <key>`, body = the event. SNS: `Content-Type: text/plain`, body = the signed SNS message. ' +
          'FAILED, ABORTED and EXPIRED jobs are diagnosed and the verdict posted to SLACK_WEBHOOK_URL.',
        security: [{ bearerAuth: [] }, {}],
        response: {
          200: AckSchema,
          202: AckSchema,
          400: problemResponse('Malformed event'),
          401: problemResponse('Missing bearer token (EventBridge) or SNS signature that does not verify'),
          413: problemResponse('Event too large'),
          415: problemResponse('Neither JSON nor text/plain'),
          502: problemResponse('Confirming the SNS subscription failed'),
          503: problemResponse('SLACK_WEBHOOK_URL is not set, or the queue is full (Retry-After)'),
        },
      },
    },
    async (request, reply) => {
      if (notifier === null) throw new AppError('NOT_CONFIGURED', 'SLACK_WEBHOOK_URL is not set')
      let body: unknown = request.body

      let decision: EventDecision
      let source: 'eventbridge' | 'sns'
      if (typeof body === 'string') {
        try {
          body = JSON.parse(body)
        } catch {
          throw new AppError('BAD_REQUEST', 'The body is not valid JSON')
        }
      }
      if (snsMessageType(request) !== undefined) {
        source = 'sns'
        const parsed = parseSnsMessage(body)
        if (!parsed.ok) {
          metrics()?.observeEvent(source, 'malformed')
          throw new AppError('BAD_REQUEST', parsed.detail)
        }
        const { message, region, topicAccountId } = parsed
        if (topics !== null && !topics.has(message.TopicArn)) {
          metrics()?.observeEvent(source, 'rejected')
          throw new AppError('UNAUTHORIZED', 'This SNS topic is not accepted')
        }
        const verified = await verifier.verify(message, region)
        if (!verified.ok && verified.reason === 'cert-unavailable') {
          // Could not fetch the certificate (network): not the sender's fault. A 5xx
          // makes SNS deliver again later; a 4xx would make it drop the message.
          request.log.warn({ topicArn: message.TopicArn }, 'sns signing certificate unavailable')
          metrics()?.observeEvent(source, 'cert-unavailable')
          throw new AppError('NOT_READY', 'The SNS signing certificate could not be fetched; retry later', { retryAfter })
        }
        if (!verified.ok) {
          request.log.warn({ reason: verified.reason, topicArn: message.TopicArn }, 'sns message signature rejected')
          metrics()?.observeEvent(source, 'rejected')
          throw new AppError('UNAUTHORIZED', `SNS message signature rejected (${verified.reason})`)
        }
        if (message.Type === 'SubscriptionConfirmation') {
          const url = message.SubscribeURL ?? ''
          if (!isSnsEndpointUrl(url, region)) throw new AppError('BAD_REQUEST', 'SubscribeURL is not on the SNS endpoint of the topic region')
          try {
            await confirm(url)
          } catch (err) {
            request.log.error({ error: (err as Error).message, topicArn: message.TopicArn }, 'sns subscription confirmation failed')
            throw new AppError('AWS_BAD_RESPONSE', 'Confirming the SNS subscription failed')
          }
          request.log.info({ topicArn: message.TopicArn }, 'sns subscription confirmed')
          metrics()?.observeEvent(source, 'confirmed')
          return reply.code(200).send({ status: 'confirmed' as const })
        }
        if (message.Type === 'UnsubscribeConfirmation') {
          metrics()?.observeEvent(source, 'ignored')
          return reply.code(200).send({ status: 'ignored' as const, reason: 'unsubscribe confirmation' })
        }
        decision = decideSnsNotification(message, region, topicAccountId)
      } else {
        // Authenticated in preParsing.
        source = 'eventbridge'
        decision = decideEventBridge(body)
      }

      switch (decision.kind) {
        case 'malformed':
          metrics()?.observeEvent(source, 'malformed')
          throw new AppError('BAD_REQUEST', decision.detail)
        case 'ignore':
          metrics()?.observeEvent(source, 'ignored')
          return reply.code(200).send({ status: 'ignored' as const, reason: decision.reason })
        case 'diagnose': {
          const result = notifier.submit(`${source}:${decision.eventId}`, decision.ref)
          metrics()?.observeEvent(source, result)
          if (result === 'busy') throw new AppError('NOT_READY', 'Too many events are waiting; retry later', { retryAfter })
          if (result === 'duplicate') return reply.code(200).send({ status: 'duplicate' as const })
          request.log.info({ source, jobId: decision.ref.jobId, jobType: decision.ref.jobType, state: decision.state }, 'job failure event accepted')
          return reply.code(202).send({ status: 'accepted' as const })
        }
      }
    },
  )
}

export default eventsRoutes
