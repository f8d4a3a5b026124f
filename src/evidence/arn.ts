/**
 * ARN parsing for the values that decide which account and region a read goes
 * to. Anything parsed from an AWS answer is validated again before it reaches a
 * client (see src/validate.ts): a region becomes a hostname.
 * Format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
import { isAccountId, isRegion } from '../validate.js'

export interface Arn {
  partition: string
  service: string
  region: string
  accountId: string
  resource: string
}

export function parseArn(arn: string | null | undefined): Arn | null {
  if (typeof arn !== 'string') return null
  const parts = arn.split(':')
  if (parts.length < 6 || parts[0] !== 'arn') return null
  const [, partition = '', service = '', region = '', accountId = ''] = parts
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') }
}

/** `arn:aws:backup:<region>:<acct>:backup-vault:<name>` → its parts, or null when not a vault ARN. */
export function parseVaultArn(arn: string | null | undefined): { accountId: string; region: string; name: string } | null {
  const a = parseArn(arn)
  if (a === null || a.service !== 'backup' || !a.resource.startsWith('backup-vault:')) return null
  const name = a.resource.slice('backup-vault:'.length)
  if (!isAccountId(a.accountId) || !isRegion(a.region) || name === '') return null
  return { accountId: a.accountId, region: a.region, name }
}

/** `arn:aws:iam::<acct>:role/<path/>name` → account, path and name. */
export function parseRoleArn(arn: string | null | undefined): { accountId: string; path: string; name: string } | null {
  const a = parseArn(arn)
  if (a === null || a.service !== 'iam' || !a.resource.startsWith('role/') || !isAccountId(a.accountId)) return null
  const rest = a.resource.slice('role/'.length)
  const i = rest.lastIndexOf('/')
  const name = rest.slice(i + 1)
  if (name === '') return null
  return { accountId: a.accountId, path: `/${rest.slice(0, i + 1)}`, name }
}

/** `arn:aws:kms:<region>:<acct>:key/<id>` (or `alias/<name>`) → account, region and the id to call with. */
export function parseKeyArn(arn: string | null | undefined): { accountId: string; region: string; keyId: string; isAlias: boolean } | null {
  const a = parseArn(arn)
  if (a === null || a.service !== 'kms' || !isAccountId(a.accountId) || !isRegion(a.region)) return null
  if (a.resource.startsWith('key/')) return { accountId: a.accountId, region: a.region, keyId: a.resource.slice(4), isAlias: false }
  if (a.resource.startsWith('alias/')) return { accountId: a.accountId, region: a.region, keyId: a.resource, isAlias: true }
  return null
}
