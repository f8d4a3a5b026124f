/**
 * Bounded concurrency for background work.
 *
 * `WorkQueue` runs at most `concurrency` tasks at once and holds at most
 * `capacity` waiting ones. It never drops work silently: when it is full,
 * `tryEnqueue` returns false and the caller answers 503 + Retry-After, so the
 * sender (EventBridge API destinations retry on 429/5xx; Slack users retry)
 * delivers again later. A task that throws is logged by `onError` and does
 * not stop the queue.
 */

export interface WorkQueueOptions {
  concurrency: number
  capacity: number
  onError?: (err: unknown) => void
}

export class WorkQueue {
  readonly concurrency: number
  readonly capacity: number
  private readonly waiting: Array<() => Promise<void>> = []
  private active = 0
  private idleWaiters: Array<() => void> = []
  private readonly onError: (err: unknown) => void

  constructor(opts: WorkQueueOptions) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new RangeError('concurrency must be a positive integer')
    if (!Number.isInteger(opts.capacity) || opts.capacity < 0) throw new RangeError('capacity must be a non-negative integer')
    this.concurrency = opts.concurrency
    this.capacity = opts.capacity
    this.onError = opts.onError ?? (() => {})
  }

  /** Tasks waiting for a slot. */
  get pending(): number {
    return this.waiting.length
  }

  /** Tasks running now. */
  get running(): number {
    return this.active
  }

  /** Queue a task; false when the queue is full (nothing was queued). */
  tryEnqueue(task: () => Promise<void>): boolean {
    if (this.active < this.concurrency) {
      this.start(task)
      return true
    }
    if (this.waiting.length >= this.capacity) return false
    this.waiting.push(task)
    return true
  }

  /** Resolves when nothing is running or waiting (used on close and in tests). */
  onIdle(): Promise<void> {
    if (this.active === 0 && this.waiting.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /**
   * Wait up to `timeoutMs` for the queue to empty; then drop what is still
   * waiting (running tasks are left to finish). Returns how many were dropped,
   * so a shutdown can log it: the work was acknowledged but not done.
   */
  async drain(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined
    const idle = await Promise.race([
      this.onIdle().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs)
      }),
    ])
    clearTimeout(timer)
    if (idle) return 0
    const dropped = this.waiting.length
    this.waiting.length = 0
    return dropped
  }

  private start(task: () => Promise<void>): void {
    this.active++
    // Run on a later tick so that a synchronous throw is handled like a rejection.
    void Promise.resolve()
      .then(task)
      .catch((err: unknown) => this.onError(err))
      .finally(() => {
        this.active--
        const next = this.waiting.shift()
        if (next) this.start(next)
        else if (this.active === 0) {
          const waiters = this.idleWaiters
          this.idleWaiters = []
          for (const w of waiters) w()
        }
      })
  }
}

/** `Promise.all(items.map(fn))` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i] as T, i)
    }
  }
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker())
  await Promise.all(workers)
  return results
}
