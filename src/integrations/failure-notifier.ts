/**
 * Diagnoses failed jobs reported by events and posts each verdict once to the
 * Slack incoming webhook.
 *
 * - Idempotent: an event id is remembered once accepted (EventBridge and SNS
 *   both redeliver: at-least-once delivery), and so is the job itself, so the
 *   same failure reported by both an EventBridge rule and an SNS topic posts
 *   once. Both memories are bounded LRUs.
 * - Bounded: at most `concurrency` diagnoses run at once; up to `capacity`
 *   wait. When the queue is full the event is NOT remembered and the caller
 *   answers 503 + Retry-After, so the sender's retry is accepted later instead
 *   of the event being dropped.
 * - A diagnosis that fails (job not found, AWS throttling) still posts a short
 *   message saying so: a job failed and someone should know.
 */
import { LRUCache } from 'lru-cache'
import { isAppError } from '../errors.js'
import { renderSlackBlocks, renderSlackError } from '../report/slack.js'
import { WorkQueue } from './concurrency.js'
import type { FailedJobRef } from './eventbridge.js'
import type { PostJson } from './post-json.js'
import type { ReportUrlBuilder } from './report-url.js'
import type { DiagnosisServiceLike, LoggerLike } from './types.js'

export type SubmitResult = 'accepted' | 'duplicate' | 'busy'

export interface FailureNotifierOptions {
  diagnosis: DiagnosisServiceLike
  post: PostJson
  webhookUrl: string
  reportUrl?: ReportUrlBuilder
  concurrency?: number
  capacity?: number
  dedupeSize?: number
  /** Attempts to post one message (Slack answers 429 when rate limited). */
  postAttempts?: number
  retryDelayMs?: number
  logger?: LoggerLike
}

export interface NotifierStats {
  accepted: number
  duplicates: number
  rejectedBusy: number
  posted: number
  postFailures: number
  diagnosisFailures: number
}

const noopLogger: LoggerLike = { info() {}, warn() {}, error() {} }

export function jobKey(ref: FailedJobRef): string {
  return `${ref.jobType}:${ref.accountId}:${ref.region}:${ref.jobId.toLowerCase()}`
}

export function problemOf(err: unknown): { code: string; detail: string } {
  if (isAppError(err)) return { code: err.code, detail: err.status >= 500 ? err.title : err.message }
  return { code: 'INTERNAL', detail: 'The diagnosis failed unexpectedly.' }
}

export class FailureNotifier {
  readonly stats: NotifierStats = { accepted: 0, duplicates: 0, rejectedBusy: 0, posted: 0, postFailures: 0, diagnosisFailures: 0 }
  private readonly opts: Required<Omit<FailureNotifierOptions, 'reportUrl' | 'logger'>> & { reportUrl: ReportUrlBuilder; logger: LoggerLike }
  private readonly seenEvents: LRUCache<string, true>
  private readonly seenJobs: LRUCache<string, true>
  private readonly queue: WorkQueue

  constructor(opts: FailureNotifierOptions) {
    this.opts = {
      concurrency: 4,
      capacity: 1000,
      dedupeSize: 10_000,
      postAttempts: 3,
      retryDelayMs: 1000,
      reportUrl: () => null,
      logger: noopLogger,
      ...opts,
    }
    this.seenEvents = new LRUCache({ max: this.opts.dedupeSize })
    this.seenJobs = new LRUCache({ max: this.opts.dedupeSize })
    this.queue = new WorkQueue({
      concurrency: this.opts.concurrency,
      capacity: this.opts.capacity,
      onError: (err) => this.opts.logger.error({ err }, 'failure notification task crashed'),
    })
  }

  get pending(): number {
    return this.queue.pending
  }
  get running(): number {
    return this.queue.running
  }

  /** Accept one failure event; never throws. `eventKey` is unique per sender (e.g. `eventbridge:<id>`). */
  submit(eventKey: string, ref: FailedJobRef): SubmitResult {
    const jk = jobKey(ref)
    if (this.seenEvents.has(eventKey) || this.seenJobs.has(jk)) {
      this.stats.duplicates++
      return 'duplicate'
    }
    if (!this.queue.tryEnqueue(() => this.process(ref))) {
      this.stats.rejectedBusy++
      return 'busy'
    }
    this.seenEvents.set(eventKey, true)
    this.seenJobs.set(jk, true)
    this.stats.accepted++
    return 'accepted'
  }

  /** Resolves when every accepted event has been processed. */
  onIdle(): Promise<void> {
    return this.queue.onIdle()
  }

  /**
   * On shutdown: let queued work finish for up to `timeoutMs`, then drop the rest
   * and log how many. Accepted events live in memory only; a durable queue
   * (SQS between EventBridge and the service) is the answer where that matters.
   */
  async close(timeoutMs: number): Promise<void> {
    const dropped = await this.queue.drain(timeoutMs)
    if (dropped > 0) this.opts.logger.warn({ dropped }, 'shutting down with job-failure events not yet diagnosed')
  }

  private async process(ref: FailedJobRef): Promise<void> {
    let message
    try {
      const { diagnosis } = await this.opts.diagnosis.diagnose(ref)
      message = renderSlackBlocks(diagnosis, { reportUrl: this.opts.reportUrl(ref) })
    } catch (err) {
      this.stats.diagnosisFailures++
      const problem = problemOf(err)
      this.opts.logger.warn({ jobId: ref.jobId, code: problem.code }, 'could not diagnose a failed job from an event')
      message = renderSlackError(ref, problem)
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.opts.post(this.opts.webhookUrl, message)
        this.stats.posted++
        return
      } catch (err) {
        if (attempt >= this.opts.postAttempts) {
          this.stats.postFailures++
          // The webhook URL is a secret: log the error name only.
          this.opts.logger.error({ jobId: ref.jobId, error: (err as Error).message }, 'could not post a verdict to the Slack webhook')
          return
        }
        await new Promise((r) => setTimeout(r, this.opts.retryDelayMs * attempt))
      }
    }
  }
}
