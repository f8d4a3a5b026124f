/**
 * A diagnosis as a Slack Block Kit message: what failed, the root cause code,
 * the policy and statement at fault, the remediation steps and snippet, and a
 * link to the full report.
 *
 * Slack's limits (Block Kit reference, api.slack.com/reference/block-kit/blocks):
 * header text ≤ 150 characters, section text ≤ 3000, at most 10 section fields of
 * ≤ 2000 each, at most 50 blocks, button URLs ≤ 3000. Text in `mrkdwn` must escape
 * `&`, `<` and `>` (api.slack.com/reference/surfaces/formatting#escaping), or a
 * status message like "<html>" would be read as a link. Everything that comes
 * from AWS is escaped and truncated here.
 */
import type { KnownBlock, SectionBlock } from '@slack/types'
import type { Diagnosis } from '../../diagnostics/types.js'

export interface SlackMessage {
  /** Fallback text for notifications and clients without Block Kit. */
  text: string
  blocks: KnownBlock[]
}

export interface SlackRenderOptions {
  /** Link to the full report (the service's diagnosis URL); omitted when null/undefined. */
  reportUrl?: string | null
}

const SECTION_MAX = 3000
const FIELD_MAX = 2000
const HEADER_MAX = 150

export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function truncate(s: string, max: number): string {
  if (s.length <= max) return s
  return s.slice(0, Math.max(0, max - 1)) + '…'
}

/** Inline code: backticks inside would end the span early. */
function code(s: string): string {
  return '`' + escapeMrkdwn(s.replace(/`/g, "'")) + '`'
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SECTION_MAX) } }
}

function field(label: string, value: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: truncate(`*${label}*\n${value}`, FIELD_MAX) }
}

const STATUS_ICON: Record<string, string> = { high: ':large_green_circle:', medium: ':large_yellow_circle:', low: ':red_circle:' }

export function renderSlackBlocks(diagnosis: Diagnosis, opts: SlackRenderOptions = {}): SlackMessage {
  const { job, rootCause, confidence, remediation, gaps } = diagnosis
  const blocks: KnownBlock[] = []

  const headerText = rootCause.code === 'JOB_NOT_FAILED' ? `${job.type} job did not fail` : `${job.type} job ${job.state}: ${rootCause.code}`
  blocks.push({ type: 'header', text: { type: 'plain_text', text: truncate(headerText, HEADER_MAX), emoji: true } })
  blocks.push(section(escapeMrkdwn(rootCause.summary)))

  const fields = [
    field('Job', `${code(job.id)} (${escapeMrkdwn(job.type)})`),
    field('Account / region', `${code(job.accountId)} ${code(job.region)}`),
    field('Root cause', code(rootCause.code)),
    field('Confidence', `${STATUS_ICON[confidence] ?? ''} ${escapeMrkdwn(confidence)}`.trim()),
  ]
  if (job.resourceType !== null || job.resourceArn !== null) {
    fields.push(field('Resource', [job.resourceType, job.resourceArn].filter((x): x is string => x !== null).map(code).join(' ')))
  }
  if (rootCause.entity !== 'none') fields.push(field('Principal at fault', escapeMrkdwn(rootCause.entity)))
  blocks.push({ type: 'section', fields: fields.slice(0, 10) })

  if (job.statusMessage !== null && job.statusMessage !== '') {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`AWS said: ${escapeMrkdwn(job.statusMessage)}`, SECTION_MAX) }] })
  }

  const at: string[] = []
  if (rootCause.policy !== null) {
    const stmt = rootCause.policy.statement === null ? 'no statement allows it' : `statement ${code(rootCause.policy.statement)}`
    at.push(`*Policy:* ${escapeMrkdwn(rootCause.policy.kind)} ${code(rootCause.policy.id)}, ${stmt}`)
  }
  if (rootCause.action !== null) at.push(`*Action:* ${code(rootCause.action)}`)
  if (rootCause.resource !== null) at.push(`*Resource:* ${code(rootCause.resource)}`)
  if (at.length > 0) blocks.push(section(at.join('\n')))

  if (remediation.steps.length > 0) {
    const steps = remediation.steps.map((s, i) => `${i + 1}. ${escapeMrkdwn(s)}`).join('\n')
    blocks.push(section(`*What to do*\n${steps}`))
  }
  if (remediation.policySnippet !== null) {
    const json = JSON.stringify(remediation.policySnippet, null, 2).replace(/```/g, "'''")
    // Keep the closing fence even when the snippet is cut.
    const body = truncate(escapeMrkdwn(json), SECTION_MAX - 40)
    blocks.push(section('*Policy snippet*\n```' + body + '```'))
  }

  if (gaps.length > 0) {
    const list = gaps.slice(0, 5).map((g) => `• ${escapeMrkdwn(g.what)}: ${escapeMrkdwn(g.reason)}`)
    if (gaps.length > 5) list.push(`• …and ${gaps.length - 5} more`)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`:warning: Could not read:\n${list.join('\n')}`, SECTION_MAX) }] })
  }

  if (opts.reportUrl) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', action_id: 'open_report', text: { type: 'plain_text', text: 'Full report' }, url: truncate(opts.reportUrl, 3000) }],
    })
  }

  const text = truncate(`${job.type} job ${job.id} (${job.accountId}/${job.region}): ${rootCause.code}. ${rootCause.summary}`, SECTION_MAX)
  return { text, blocks }
}

/** A short message for a job that could not be diagnosed (not found, AWS throttling...). Never internals. */
export function renderSlackError(ref: { jobId: string; accountId?: string | undefined; region?: string | undefined }, problem: { code: string; detail: string }): SlackMessage {
  const where = [ref.accountId, ref.region].filter((x): x is string => x !== undefined).map(code).join(' ')
  const text = `Could not diagnose job ${ref.jobId}: ${problem.code}`
  return {
    text,
    blocks: [
      section(`:x: Could not diagnose job ${code(ref.jobId)}${where ? ` in ${where}` : ''}`),
      { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`${code(problem.code)} ${escapeMrkdwn(problem.detail)}`, SECTION_MAX) }] },
    ],
  }
}
