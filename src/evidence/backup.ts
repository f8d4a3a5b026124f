/**
 * AWS Backup evidence besides the job: vaults (with access policy, key and
 * lock), recovery points, restore metadata and the organization's global
 * settings. Read in the account and region that own them.
 * - A vault without an access policy answers GetBackupVaultAccessPolicy with
 *   ResourceNotFoundException: that is `absent`, a fact the checks use
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_GetBackupVaultAccessPolicy.html).
 * - Vault lock: `Locked`, `MinRetentionDays`, `MaxRetentionDays`, `LockDate`
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeBackupVault.html).
 */
import {
  DescribeBackupVaultCommand, DescribeGlobalSettingsCommand, DescribeRecoveryPointCommand,
  GetBackupVaultAccessPolicyCommand, GetRecoveryPointRestoreMetadataCommand,
} from '@aws-sdk/client-backup'
import type { BackupClient } from '@aws-sdk/client-backup'
import { AwsCallError } from '../aws/errors.js'
import type { Chain } from './flow.js'
import { absent, badResponse, fullyRead, iso, item, plain, read, unreadable } from './flow.js'
import type { Item, PolicyDocument, RecoveryPointEvidence, VaultEvidence } from './types.js'

export function backupCall<T>(c: Chain, accountId: string, region: string, operation: string, send: (cl: BackupClient) => Promise<T>): Promise<T> {
  return c.call({ service: 'backup', operation, accountId, region }, () => c.ctx.backup(accountId, region), send)
}

function parseJsonPolicy(raw: string | undefined, operation: string): PolicyDocument {
  const meta = { service: 'backup', operation }
  if (typeof raw !== 'string' || raw === '') throw badResponse(meta, 'no policy in the answer')
  let doc: unknown
  try {
    doc = JSON.parse(raw)
  } catch {
    throw new AwsCallError({ errorName: 'MalformedPolicyDocument', errorClass: 'invalid', ...meta, message: 'policy is not valid JSON' })
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new AwsCallError({ errorName: 'MalformedPolicyDocument', errorClass: 'invalid', ...meta, message: 'policy is not a JSON object' })
  }
  return doc as PolicyDocument
}

/** A vault and its access policy, read in parallel. Cached (volatile) per account, region and name. */
export function readVault(c: Chain, accountId: string, region: string, name: string): Promise<Item<VaultEvidence>> {
  return c.cached(`${accountId}|${region}|backup:vault|${name}`, 'volatile', async (f) => {
    const [fv, fp] = [f.fork(), f.fork()]
    // DescribeBackupVault first: its key ARN starts the key reads; the policy ends its chain.
    const describeP = backupCall(fv, accountId, region, 'DescribeBackupVault', (cl) => cl.send(new DescribeBackupVaultCommand({ BackupVaultName: name })))
    const policyP = item(
      backupCall(fp, accountId, region, 'GetBackupVaultAccessPolicy', (cl) => cl.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: name })))
        .then((o) => parseJsonPolicy(o.Policy, 'GetBackupVaultAccessPolicy')),
      'the vault has no access policy',
    )
    let out
    try {
      out = await describeP
    } catch (e) {
      await policyP
      f.join(fv, fp)
      if (e instanceof AwsCallError && e.errorClass === 'not-found') {
        return absent<VaultEvidence>(`no vault ${name} in account ${accountId} region ${region} (${e.errorName})`)
      }
      return unreadable<VaultEvidence>(e)
    }
    const accessPolicy = await policyP
    f.join(fv, fp)
    return read<VaultEvidence>({
      arn: out.BackupVaultArn ?? `arn:aws:backup:${region}:${accountId}:backup-vault:${name}`,
      name: out.BackupVaultName ?? name,
      accountId,
      region,
      encryptionKeyArn: out.EncryptionKeyArn ?? null,
      vaultType: out.VaultType ?? null,
      locked: out.Locked === true,
      minRetentionDays: out.MinRetentionDays ?? null,
      maxRetentionDays: out.MaxRetentionDays ?? null,
      lockDate: iso(out.LockDate),
      accessPolicy,
    })
  }, fullyRead)
}

/** DescribeRecoveryPoint, in the vault's account and region. Cached (volatile). */
export function readRecoveryPoint(c: Chain, accountId: string, region: string, vaultName: string, arn: string): Promise<Item<RecoveryPointEvidence>> {
  return c.cached(`${accountId}|${region}|backup:rp|${vaultName}|${arn}`, 'volatile', (f) => item(
    backupCall(f, accountId, region, 'DescribeRecoveryPoint', (cl) =>
      cl.send(new DescribeRecoveryPointCommand({ BackupVaultName: vaultName, RecoveryPointArn: arn, BackupVaultAccountId: accountId })))
      .then((o): RecoveryPointEvidence => ({
        arn: o.RecoveryPointArn ?? arn,
        vaultName: o.BackupVaultName ?? vaultName,
        accountId,
        region,
        resourceArn: o.ResourceArn ?? null,
        resourceType: o.ResourceType ?? null,
        status: o.Status ?? null,
        isEncrypted: o.IsEncrypted === true,
        encryptionKeyArn: o.EncryptionKeyArn ?? null,
        creationDate: iso(o.CreationDate),
        raw: plain(o) as Record<string, unknown>,
      })),
    `no recovery point ${arn} in vault ${vaultName}`,
  ), fullyRead)
}

/** GetRecoveryPointRestoreMetadata: the parameters a restore starts from (e.g. IamInstanceProfileName for EC2). */
export function readRestoreMetadata(c: Chain, accountId: string, region: string, vaultName: string, arn: string): Promise<Item<Record<string, string>>> {
  return c.cached(`${accountId}|${region}|backup:restore-metadata|${vaultName}|${arn}`, 'volatile', (f) => item(
    backupCall(f, accountId, region, 'GetRecoveryPointRestoreMetadata', (cl) =>
      cl.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: vaultName, RecoveryPointArn: arn, BackupVaultAccountId: accountId })))
      .then((o) => ({ ...(o.RestoreMetadata ?? {}) })),
    `no restore metadata for ${arn}`,
  ), fullyRead)
}

/**
 * DescribeGlobalSettings in the management account: `isCrossAccountBackupEnabled`
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeGlobalSettings.html).
 */
export function readGlobalSettings(c: Chain, managementAccountId: string, region: string): Promise<Item<{ isCrossAccountBackupEnabled: boolean | null; raw: Record<string, string> }>> {
  return c.cached(`${managementAccountId}|${region}|backup:global-settings`, 'stable', (f) => item(
    backupCall(f, managementAccountId, region, 'DescribeGlobalSettings', (cl) => cl.send(new DescribeGlobalSettingsCommand({})))
      .then((o) => {
        const raw = { ...(o.GlobalSettings ?? {}) }
        const v = raw.isCrossAccountBackupEnabled
        return { isCrossAccountBackupEnabled: v === undefined ? null : v.toLowerCase() === 'true', raw }
      }),
    'no global settings',
  ), fullyRead)
}
