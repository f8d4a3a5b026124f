/**
 * Parsing of the slash command's text: `/backup-why <job-id> [account-id] [region] [backup|copy|restore]`.
 *
 * Account and region are told apart by their formats (12 digits; a region
 * name), so they may come in any order after the job id. Everything is
 * checked with src/validate.ts before it can reach an AWS call: the region
 * becomes part of a hostname and the account part of a role ARN.
 */
import type { JobType } from '../evidence/types.js'
import { isAccountId, isJobId, isRegion } from '../validate.js'

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'diagnose'; ref: { jobId: string; accountId?: string; region?: string; jobType?: JobType } }
  | { kind: 'invalid'; problem: string }

const JOB_TYPES: readonly JobType[] = ['backup', 'copy', 'restore']

export function usage(command = '/backup-why'): string {
  return [
    `Usage: \`${command} <job-id> [account-id] [region] [backup|copy|restore]\``,
    `Example: \`${command} 0A1B2C3D-0000-4000-8000-0000000000F1 111111111111 us-east-1\``,
    'Without an account the job is looked up in the service’s own account (or org-wide from the management account); without a region, in the default region.',
  ].join('\n')
}

export function parseCommandText(text: string): ParsedCommand {
  // Slack may send non-breaking spaces and formatting characters when text is pasted.
  const tokens = text
    .replace(/[\u00a0\u2000-\u200b]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '')
    .map((t) => t.replace(/^[`*_]+|[`*_]+$/g, ''))
  if (tokens.length === 0 || (tokens.length === 1 && /^(help|-h|--help|\?)$/i.test(tokens[0] ?? ''))) return { kind: 'help' }
  const [jobId, ...rest] = tokens as [string, ...string[]]
  if (!isJobId(jobId)) return { kind: 'invalid', problem: 'That does not look like an AWS Backup job id (letters, digits and dashes, e.g. a UUID).' }
  if (rest.length > 3) return { kind: 'invalid', problem: 'Too many arguments.' }
  const ref: { jobId: string; accountId?: string; region?: string; jobType?: JobType } = { jobId }
  for (const tok of rest) {
    const lower = tok.toLowerCase()
    if (isAccountId(tok) && ref.accountId === undefined) ref.accountId = tok
    else if (isRegion(lower) && ref.region === undefined) ref.region = lower
    else if ((JOB_TYPES as readonly string[]).includes(lower) && ref.jobType === undefined) ref.jobType = lower as JobType
    else return { kind: 'invalid', problem: 'Expected an account id (12 digits), a region (like us-east-1) or a job type (backup, copy, restore).' }
  }
  return { kind: 'diagnose', ref }
}
