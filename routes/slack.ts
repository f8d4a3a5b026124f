/**
 * POST /v1/slack/commands — the `/backup-why <job-id> [account] [region]` slash command.
 *
 * Authenticated by Slack's request signature, not by a bearer token
 * (../shared/contract/api.md "Who may call the integration routes"), which is
 * computed over the raw body: this plugin registers, in its own encapsulated
 * scope, a parser for application/x-www-form-urlencoded that keeps the raw
 * string. Slack waits three seconds for an answer ("Responding to slash
 * commands", api.slack.com/interactivity/slash-commands#responding_to_commands):
 * the route acknowledges at once with an ephemeral message, diagnoses in the
 * background (bounded concurrency), and posts the verdict as Block Kit to the
 * command's `response_url` — only when that URL is under an allowed prefix
 * (`https://hooks.slack.com/` in production).
 *
 * Bad input gets a helpful ephemeral message (200, as Slack shows it to the
 * user); a bad signature is a 401; an unset signing secret a 503.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../src/errors.js'
import { WorkQueue } from '../src/integrations/concurrency.js'
import { problemOf } from '../src/integrations/failure-notifier.js'
import { createPostJson, isAllowedUrl, SLACK_HOOKS_PREFIX, type PostJson } from '../src/integrations/post-json.js'
import { reportUrlBuilder, type ReportUrlBuilder } from '../src/integrations/report-url.js'
import { parseCommandText, usage } from '../src/integrations/slack-command.js'
import { SlackVerifier } from '../src/integrations/slack-signature.js'
import type { DiagnosisServiceLike } from '../src/integrations/types.js'
import { renderSlackBlocks, renderSlackError } from '../src/report/slack.js'
import { problemResponse } from '../src/schemas/problem.js'

export interface SlackRouteOptions {
  /** SLACK_SIGNING_SECRET; null → the route answers 503. */
  signingSecret: string | null
  diagnosisService: DiagnosisServiceLike
  /** Where verdicts may be posted (default `https://hooks.slack.com/`); tests use a local receiver. */
  allowedResponseUrlPrefixes?: readonly string[]
  /** Base URL of this service for "Full report" links (or a builder); none → no link. */
  publicUrl?: string | null
  reportUrl?: ReportUrlBuilder
  /** Outbound poster (default: fetch, restricted to the allowed prefixes). */
  post?: PostJson
  /** `ephemeral` (default: only the caller sees the verdict) or `in_channel`. */
  responseType?: 'ephemeral' | 'in_channel'
  /** Seconds since the epoch, for signature freshness (tests). */
  now?: () => number
  concurrency?: number
  capacity?: number
  /** On close, how long queued commands may still run (default 10 s). */
  drainTimeoutMs?: number
}

interface SlackBody {
  raw: string
}

const EphemeralSchema = Type.Object(
  { response_type: Type.Union([Type.Literal('ephemeral'), Type.Literal('in_channel')]), text: Type.String() },
  { description: 'A Slack message shown to the user who ran the command' },
)

const slackRoutes: FastifyPluginAsyncTypebox<SlackRouteOptions> = async (app, opts) => {
  const prefixes = opts.allowedResponseUrlPrefixes ?? [SLACK_HOOKS_PREFIX]
  const post = opts.post ?? createPostJson({ allowedPrefixes: prefixes })
  const reportUrl = opts.reportUrl ?? reportUrlBuilder(opts.publicUrl)
  const responseType = opts.responseType ?? 'ephemeral'
  const verifier = opts.signingSecret ? new SlackVerifier({ signingSecret: opts.signingSecret, ...(opts.now ? { now: opts.now } : {}) }) : null
  const queue = new WorkQueue({
    concurrency: opts.concurrency ?? 4,
    capacity: opts.capacity ?? 200,
    onError: (err) => app.log.error({ err }, 'slack command task crashed'),
  })
  if (app.hasDecorator('metrics')) app.metrics.trackQueue('slack-commands', () => ({ pending: queue.pending, running: queue.running }))
  app.addHook('onClose', async () => {
    const dropped = await queue.drain(opts.drainTimeoutMs ?? 10_000)
    if (dropped > 0) app.log.warn({ dropped }, 'shutting down with slash commands not yet answered')
  })

  // Encapsulated: only this plugin's routes parse forms, and they keep the raw body
  // for the signature (Slack signs the exact bytes it sent).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
    done(null, { raw: body as string } satisfies SlackBody)
  })

  const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, text })

  app.post(
    '/v1/slack/commands',
    {
      // Slack does not retry slash commands and sends them from shared addresses:
      // signed requests skip the per-IP rate limit (a forged header only buys an
      // HMAC check and a 401). Unsigned ones stay limited.
      config: { auth: 'none', rateLimit: { allowList: (request) => typeof request.headers['x-slack-signature'] === 'string' } },
      schema: {
        tags: ['integrations'],
        summary: 'Slack slash command /backup-why (signed by Slack)',
        description:
          'Form-encoded slash command payload from Slack. Authenticated by `X-Slack-Signature` / `X-Slack-Request-Timestamp` ' +
          '(HMAC-SHA256 with SLACK_SIGNING_SECRET, five-minute window, no replays). Answers at once; the verdict follows on `response_url`.',
        consumes: ['application/x-www-form-urlencoded'],
        response: {
          200: EphemeralSchema,
          401: problemResponse('Missing, stale, replayed or wrong Slack signature'),
          415: problemResponse('Not a form-encoded body'),
          503: problemResponse('SLACK_SIGNING_SECRET is not set'),
        },
      },
    },
    async (request, reply) => {
      if (verifier === null) throw new AppError('NOT_CONFIGURED', 'SLACK_SIGNING_SECRET is not set')
      const body = request.body as SlackBody | undefined
      if (body === undefined || typeof body.raw !== 'string') throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Slack sends application/x-www-form-urlencoded')
      const header = (name: string): string | undefined => {
        const v = request.headers[name]
        return typeof v === 'string' ? v : undefined
      }
      const check = verifier.verify({ timestamp: header('x-slack-request-timestamp'), signature: header('x-slack-signature') }, body.raw)
      if (!check.ok) {
        request.log.warn({ reason: check.reason }, 'slack signature rejected')
        throw new AppError('UNAUTHORIZED', `Slack request signature rejected (${check.reason})`)
      }

      const form = new URLSearchParams(body.raw)
      // Slack's periodic certificate check of the endpoint: answer 200, do nothing.
      if (form.get('ssl_check') === '1') return reply.code(200).send(ephemeral('ok'))
      const command = /^\/[\w-]{1,32}$/.test(form.get('command') ?? '') ? (form.get('command') as string) : '/backup-why'
      const parsed = parseCommandText(form.get('text') ?? '')
      if (parsed.kind === 'help') return ephemeral(usage(command))
      if (parsed.kind === 'invalid') return ephemeral(`${parsed.problem}\n${usage(command)}`)

      const responseUrl = form.get('response_url') ?? ''
      if (!isAllowedUrl(responseUrl, prefixes)) {
        request.log.warn('slack command with a response_url outside the allowed prefixes')
        return ephemeral('This request has no usable response_url, so the verdict could not be delivered. Run the command again from Slack.')
      }

      const ref = parsed.ref
      const log = request.log
      const accepted = queue.tryEnqueue(async () => {
        let message
        try {
          const { diagnosis } = await opts.diagnosisService.diagnose(ref)
          const link = reportUrl({ jobId: diagnosis.job.id, jobType: diagnosis.job.type, accountId: diagnosis.job.accountId, region: diagnosis.job.region })
          message = renderSlackBlocks(diagnosis, { reportUrl: link })
        } catch (err) {
          const problem = problemOf(err)
          log.info({ jobId: ref.jobId, code: problem.code }, 'slack command could not be diagnosed')
          message = renderSlackError(ref, problem)
        }
        try {
          await post(responseUrl, { response_type: responseType, replace_original: false, ...message })
        } catch (err) {
          log.error({ error: (err as Error).message }, 'could not post the verdict to the slack response_url')
        }
      })
      if (!accepted) return ephemeral('Backup Doctor is busy right now. Please try again in a minute.')
      const where = [ref.accountId, ref.region].filter((x) => x !== undefined).join(' / ')
      return ephemeral(`:mag: Diagnosing job \`${ref.jobId}\`${where ? ` (${where})` : ''}. The verdict will follow here in a few seconds.`)
    },
  )
}

export default slackRoutes
