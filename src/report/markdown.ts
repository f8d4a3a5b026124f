/**
 * A diagnosis as Markdown for tickets and runbooks: the verdict first (code,
 * confidence, one-sentence summary), then where the cause sits (entity, policy,
 * statement, action, resource), the remediation with the policy snippet in a
 * fenced JSON block, every finding in pipeline order, and the gaps. Pure: the
 * same diagnosis always renders the same text.
 */
import type { Diagnosis, Finding } from '../../diagnostics/types.js'

const STATUS: Record<Finding['status'], string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  warn: '⚠️ warn',
  skipped: '⏭️ skipped',
  unknown: '❔ unknown',
}

/** Table cells: no pipes or newlines may break the row. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').trim()
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``

export function renderMarkdown(d: Diagnosis): string {
  const rc = d.rootCause
  const job = d.job
  const out: string[] = []

  out.push(`# ${rc.code} — ${d.confidence} confidence`, '')
  out.push(`> ${rc.summary.replace(/\r?\n/g, ' ')}`, '')

  const rows: [string, string][] = [
    ['Job', `${code(job.id)} (${job.type}) in account ${code(job.accountId)}, ${job.region}`],
    ['State', job.statusMessage ? `${job.state}: “${cell(job.statusMessage)}”` : job.state],
  ]
  if (job.resourceArn || job.resourceType) rows.push(['Resource', [job.resourceType ?? '', job.resourceArn ? code(job.resourceArn) : ''].filter(Boolean).join(' ')])
  if (job.iamRoleArn) rows.push(['Job role', code(job.iamRoleArn)])
  rows.push(['Entity at fault', rc.entity])
  if (rc.policy) {
    const stmt = rc.policy.statement === null ? 'no statement allows it' : `statement ${code(rc.policy.statement)}`
    rows.push(['Policy', `${rc.policy.kind} ${code(rc.policy.id)}, ${stmt}`])
  }
  if (rc.action) rows.push(['Action', code(rc.action)])
  if (rc.resource) rows.push(['On resource', code(rc.resource)])
  if (job.creationDate) rows.push(['Created', job.creationDate])
  out.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '')

  out.push('## Remediation', '')
  d.remediation.steps.forEach((s, i) => out.push(`${i + 1}. ${s.replace(/\r?\n/g, ' ')}`))
  if (d.remediation.policySnippet) {
    out.push('', '```json', JSON.stringify(d.remediation.policySnippet, null, 2), '```')
  }
  out.push('')

  out.push('## Findings', '', '| # | Check | Status | Finding |', '|---|---|---|---|')
  for (const f of d.findings) out.push(`| ${f.order} | ${cell(f.title)} | ${STATUS[f.status]} | ${cell(f.message)} |`)
  out.push('')

  out.push('## Gaps', '')
  if (d.gaps.length === 0) out.push('None: every piece of evidence was read.')
  else for (const g of d.gaps) out.push(`- **${cell(g.what)}**: ${cell(g.reason)}`)
  out.push('')
  return out.join('\n')
}
