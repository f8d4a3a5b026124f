/**
 * Outbound JSON POSTs to Slack (a slash command's `response_url`, an incoming
 * webhook). Only URLs under an allowed prefix are contacted: a slash command's
 * `response_url` arrives in the request body, and although the request is
 * signed, the service must never be turned into a client for arbitrary hosts.
 * In production the prefix is `https://hooks.slack.com/`; tests point it at a
 * local receiver.
 */

export const SLACK_HOOKS_PREFIX = 'https://hooks.slack.com/'

export type PostJson = (url: string, body: unknown) => Promise<void>

export class PostError extends Error {
  readonly status: number | null
  constructor(message: string, status: number | null) {
    super(message)
    this.name = 'PostError'
    this.status = status
  }
}

/** True when `url` parses and starts with one of the prefixes (compared on the normalised URL). */
export function isAllowedUrl(url: string, prefixes: readonly string[]): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.username !== '' || parsed.password !== '') return false
  const href = parsed.href
  return prefixes.some((p) => href.startsWith(p))
}

export interface PostJsonOptions {
  allowedPrefixes: readonly string[]
  timeoutMs?: number
  fetch?: typeof fetch
}

/** A poster that refuses URLs outside the allowed prefixes and fails on non-2xx answers. */
export function createPostJson(opts: PostJsonOptions): PostJson {
  const doFetch = opts.fetch ?? fetch
  const timeoutMs = opts.timeoutMs ?? 5000
  return async (url, body) => {
    if (!isAllowedUrl(url, opts.allowedPrefixes)) throw new PostError('destination URL is not allowed', null)
    const res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    })
    // Drain the body so the connection can be reused.
    await res.arrayBuffer().catch(() => undefined)
    if (!res.ok) throw new PostError(`Slack answered ${res.status}`, res.status)
  }
}
