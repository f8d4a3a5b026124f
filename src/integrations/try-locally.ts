/**
 * Trying the integrations without Slack or AWS: a tiny local "Slack" that
 * receives response_url / webhook posts and prints them, and ready-to-paste
 * shell examples for the demo (src/cli/demo.ts) and docs/integrations.md.
 *
 * The slash-command example computes Slack's signature with openssl at the
 * moment it is pasted: a signature embedded in printed text would be stale
 * (refused) five minutes later.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface LocalSlack {
  /** e.g. http://127.0.0.1:4599 — allow `${url}/` as a response_url prefix and use `${url}/webhook` as SLACK_WEBHOOK_URL. */
  url: string
  close(): Promise<void>
}

/** Text lines of a Block Kit message, for a terminal. */
export function blocksToText(message: unknown): string {
  const m = message as { text?: string; blocks?: Array<Record<string, unknown>> }
  if (!Array.isArray(m.blocks)) return m.text ?? JSON.stringify(message)
  const out: string[] = []
  for (const b of m.blocks) {
    const text = (b['text'] as { text?: string } | undefined)?.text
    if (text) out.push(text)
    for (const f of (b['fields'] as Array<{ text: string }> | undefined) ?? []) out.push(f.text.replace('\n', ' '))
    for (const e of (b['elements'] as Array<{ text?: string | { text: string }; url?: string }> | undefined) ?? []) {
      if (e.url) out.push(`[${typeof e.text === 'object' ? e.text.text : 'link'}] ${e.url}`)
      else if (typeof e.text === 'string') out.push(e.text)
    }
  }
  return out.join('\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}

/** Starts a local receiver on 127.0.0.1 that prints every JSON message posted to it. */
export async function startLocalSlack(opts: { port?: number; print?: (text: string) => void } = {}): Promise<LocalSlack> {
  const print = opts.print ?? ((s: string) => process.stdout.write(s + '\n'))
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= 1024 * 1024) chunks.push(c)
    })
    req.on('end', () => {
      let body: unknown
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        res.writeHead(400).end('invalid_payload')
        return
      }
      print(`\n--- Slack message to ${req.url ?? '/'} ---\n${blocksToText(body)}\n---`)
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/** A shell snippet that signs and sends `/backup-why <text>` like Slack does. */
export function slackCommandExample(opts: { baseUrl: string; signingSecret: string; text: string; responseUrl: string }): string {
  const body = new URLSearchParams({ command: '/backup-why', text: opts.text, response_url: opts.responseUrl, user_id: 'U0DEMO', team_id: 'T0DEMO' }).toString()
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
  return [
    `SECRET=${q(opts.signingSecret)}; TS=$(date +%s); BODY=${q(body)}`,
    `SIG="v0=$(printf 'v0:%s:%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')"`,
    `curl -s ${opts.baseUrl.replace(/\/+$/, '')}/v1/slack/commands -H "X-Slack-Request-Timestamp: $TS" -H "X-Slack-Signature: $SIG" --data "$BODY"`,
  ].join('\n')
}

/** The fleet listing, with or without a bearer token. */
export function failedJobsExample(opts: { baseUrl: string; apiKey?: string | null; query?: string }): string {
  const auth = opts.apiKey ? ` -H 'Authorization: Bearer ${opts.apiKey}'` : ''
  return `curl -s '${opts.baseUrl.replace(/\/+$/, '')}/v1/failed-jobs${opts.query ? `?${opts.query}` : ''}'${auth}`
}

/** An EventBridge "Backup Job State Change" FAILED event for a job, as an API destination posts it. */
export function eventBridgeExample(opts: { baseUrl: string; apiKey?: string | null; jobId: string; accountId: string; region: string }): string {
  const event = {
    version: '0',
    id: `demo-${opts.jobId.slice(-8).toLowerCase()}`,
    'detail-type': 'Backup Job State Change',
    source: 'aws.backup',
    account: opts.accountId,
    time: new Date().toISOString(),
    region: opts.region,
    resources: [],
    detail: { backupJobId: opts.jobId, state: 'FAILED' },
  }
  const auth = opts.apiKey ? ` -H 'Authorization: Bearer ${opts.apiKey}'` : ''
  return `curl -s ${opts.baseUrl.replace(/\/+$/, '')}/v1/events -H 'content-type: application/json'${auth} -d '${JSON.stringify(event)}'`
}
