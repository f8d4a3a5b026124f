/**
 * Small readers over the Evidence model shared by several checks: ARN parts,
 * which accounts a copy spans, which KMS keys a job uses and with which
 * principal. Pure, no policy logic (that lives in src/policy).
 */
import type { Evidence, Item, JobEvidence, KeyEvidence, RoleEvidence } from '../../src/evidence/types.js'
import { resourceFamily, type ResourceFamily } from '../required-actions.js'

export function valueOf<T>(item: Item<T>): T | null {
  return item.state === 'read' ? item.value : null
}

/** Account id field of an ARN (`arn:partition:service:region:account:resource`); null when empty or not an ARN. */
export function arnAccount(arn: string | null | undefined): string | null {
  if (!arn) return null
  const parts = arn.split(':')
  const acct = parts[4]
  return parts[0] === 'arn' && acct && /^\d{12}$/.test(acct) ? acct : null
}

export function arnRegion(arn: string | null | undefined): string | null {
  if (!arn) return null
  const parts = arn.split(':')
  return parts[0] === 'arn' && parts[3] ? parts[3] : null
}

export const SLR_NAME = 'AWSServiceRoleForBackup'
/** AWSServiceRoleForBackup of an account, in the job's partition (lib/partition.ts `jobPartition`). */
export const slrArn = (partition: string, accountId: string): string => `arn:${partition}:iam::${accountId}:role/aws-service-role/backup.amazonaws.com/${SLR_NAME}`
export const DEFAULT_ROLE_NAME = 'AWSBackupDefaultServiceRole'

/** The destination account of a copy (from the destination vault ARN), null for other jobs. */
export function copyDestinationAccount(job: JobEvidence): string | null {
  return job.type === 'copy' ? arnAccount(job.destinationBackupVaultArn) : null
}

/** A copy whose destination vault lives in another account than the job. */
export function isCrossAccountCopy(job: JobEvidence): boolean {
  const dest = copyDestinationAccount(job)
  return dest !== null && dest !== job.accountId
}

export const skipUnlessCrossAccountCopy = (_e: Evidence, job: JobEvidence): string | null =>
  isCrossAccountCopy(job) ? null : 'the job is not a cross-account copy'

/**
 * Resource families whose backups keep the encryption of their SOURCE resource rather than
 * taking the vault's key ("Independent AWS Backup encryption: Not supported", AWS Backup
 * "Encryption for backups in AWS Backup", https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html):
 * "Amazon EBS snapshots are automatically encrypted with the same encryption key that was used
 * to encrypt the source EBS volume", likewise EC2 AMIs, RDS and Aurora/DocumentDB/Neptune
 * cluster snapshots, FSx, Storage Gateway volumes and Redshift clusters. A backup of these never
 * uses the target vault's key (the key it does use, the resource's own, is not in the evidence);
 * fully managed types (EFS, S3, DynamoDB with advanced backup, VMware, ...) are encrypted with it.
 */
const KEEPS_SOURCE_ENCRYPTION: ReadonlySet<ResourceFamily> = new Set<ResourceFamily>([
  'EBS', 'EC2', 'RDS', 'RDS-CLUSTER', 'FSx', 'StorageGateway', 'Redshift',
])

/** Whether the job's resource type keeps its source's encryption (EBS, RDS, ...: no independent AWS Backup encryption). */
export function keepsSourceEncryption(job: JobEvidence): boolean {
  const family = resourceFamilyOf(job)
  return family !== null && KEEPS_SOURCE_ENCRYPTION.has(family)
}

/** Whether a backup job encrypts its recovery point with the target vault's key (unknown types: assumed so). */
export function backupUsesVaultKey(job: JobEvidence): boolean {
  return !keepsSourceEncryption(job)
}

/** How a KMS key takes part in the job, and which principal uses it (see docs/pipeline.md, "KMS"). */
export interface KeyUse {
  keyArn: string
  key: Item<KeyEvidence> | null
  role: 'source-vault' | 'recovery-point' | 'destination-vault'
}

export function keyUses(evidence: Evidence, job: JobEvidence): KeyUse[] {
  const uses: KeyUse[] = []
  const seen = new Set<string>()
  const add = (arn: string | null | undefined, role: KeyUse['role']) => {
    if (!arn || seen.has(`${role}:${arn}`)) return
    seen.add(`${role}:${arn}`)
    uses.push({ keyArn: arn, key: lookupKey(evidence, arn), role })
  }
  const rp = valueOf(evidence.recoveryPoint)
  if (rp?.isEncrypted !== false) add(rp?.encryptionKeyArn, 'recovery-point')
  if (job.type === 'backup' && backupUsesVaultKey(job)) add(valueOf(evidence.sourceVault)?.encryptionKeyArn, 'source-vault')
  if (job.type === 'copy') add(valueOf(evidence.destinationVault)?.encryptionKeyArn, 'destination-vault')
  return uses
}

/** Keys are keyed by ARN; a job may name a key by alias ARN or key id ARN, so also match the key id. */
export function lookupKey(evidence: Evidence, arn: string): Item<KeyEvidence> | null {
  const direct = evidence.keys[arn]
  if (direct) return direct
  for (const item of Object.values(evidence.keys)) {
    if (item.state === 'read' && (item.value.arn === arn || arn.endsWith(`/${item.value.keyId}`))) return item
  }
  return null
}

export function isAwsManagedKey(key: KeyEvidence): boolean {
  if (key.keyManager !== null) return key.keyManager.toUpperCase() === 'AWS'
  const aliases = valueOf(key.aliases) ?? []
  return aliases.some((a) => a.startsWith('alias/aws/'))
}

export function roleName(arn: string): string {
  return arn.split('/').pop() ?? arn
}

/** All read identity policy documents of a role, with their id and kind. */
export function identityPolicyDocs(role: RoleEvidence): { id: string; name: string; document: unknown }[] {
  const out: { id: string; name: string; document: unknown }[] = []
  for (const list of [role.inlinePolicies, role.attachedPolicies]) {
    if (list.state !== 'read') continue
    for (const item of Object.values(list.value)) {
      if (item.state === 'read') out.push({ id: item.value.id, name: item.value.name, document: item.value.document })
    }
  }
  return out
}

export function attachedPolicyArns(role: RoleEvidence): string[] {
  return role.attachedPolicies.state === 'read' ? Object.keys(role.attachedPolicies.value) : []
}

export function resourceFamilyOf(job: JobEvidence): ResourceFamily | null {
  return resourceFamily(job.resourceType, job.resourceArn)
}
