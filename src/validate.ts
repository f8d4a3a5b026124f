/**
 * Validation of every value that reaches an AWS call. A region string becomes a
 * hostname (backup.<region>.amazonaws.com) and an account id becomes a role ARN,
 * so both are checked against AWS's own formats before any SDK sees them.
 * Used by the HTTP schemas (same patterns) and by the AWS layer (defence in depth).
 */

/** AWS account ids are exactly 12 digits. */
export const ACCOUNT_ID_PATTERN = '^[0-9]{12}$'
/** Commercial, GovCloud, China and ISO region names: us-east-1, us-gov-west-1, cn-north-1, eu-central-2, ap-southeast-5... */
export const REGION_PATTERN = '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$'
/**
 * AWS Backup job ids: backup and restore jobs use UUIDs (upper or lower case);
 * copy jobs use UUIDs too; some backup job ids of services with native backups
 * are hex strings of 40-64 characters. Allow letters, digits and dashes, 1-100 chars.
 */
export const JOB_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9-]{0,99}$'

const accountRe = new RegExp(ACCOUNT_ID_PATTERN)
const regionRe = new RegExp(REGION_PATTERN)
const jobIdRe = new RegExp(JOB_ID_PATTERN)

export function isAccountId(v: unknown): v is string {
  return typeof v === 'string' && accountRe.test(v)
}
export function isRegion(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 25 && regionRe.test(v)
}
export function isJobId(v: unknown): v is string {
  return typeof v === 'string' && jobIdRe.test(v)
}
