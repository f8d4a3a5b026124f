/**
 * Small builders for Evidence objects in diagnostics tests. The default is a
 * HEALTHY world — an EBS backup job in 111111111111 with the default service
 * role (AWS managed backup/restore policies), a vault with a customer managed
 * key, FullAWSAccess on every organization level, service-linked roles present —
 * so each test changes only the fact it is about.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import type {
  Evidence, Item, JobEvidence, KeyEvidence, NamedPolicy, OrgLevel, OrgPolicy, PolicyDocument, RecoveryPointEvidence,
  RoleEvidence, VaultEvidence,
} from '../../src/evidence/types.js'

export const ACCT = '111111111111'
export const DEST = '222222222222'
export const MGMT = '100000000001'
export const REGION = 'us-east-1'
export const ORG_ID = 'o-exampleorg1'

const here = path.dirname(fileURLToPath(import.meta.url))
export const SHARED = path.resolve(here, '../../../shared')

export const read = <T>(value: T): Item<T> => ({ state: 'read', value })
export const absent = (reason = 'NoSuchEntity'): Item<never> => ({ state: 'absent', reason })
export const unreadable = (call = 'iam:GetRole', error = 'AccessDenied'): Item<never> =>
  ({ state: 'unreadable', error, call, errorClass: 'access-denied' })
export const notCollected = (reason = 'not applicable'): Item<never> => ({ state: 'not-collected', reason })

export type ManagedName =
  | 'AWSBackupServiceRolePolicyForBackup' | 'AWSBackupServiceRolePolicyForRestores'
  | 'AWSBackupServiceRolePolicyForS3Backup' | 'AWSBackupServiceRolePolicyForS3Restore'
  | 'AWSBackupServiceLinkedRolePolicyForBackup'

const MANAGED_PATH: Record<ManagedName, string> = {
  AWSBackupServiceRolePolicyForBackup: 'service-role/',
  AWSBackupServiceRolePolicyForRestores: 'service-role/',
  AWSBackupServiceRolePolicyForS3Backup: '',
  AWSBackupServiceRolePolicyForS3Restore: '',
  AWSBackupServiceLinkedRolePolicyForBackup: 'aws-service-role/',
}

export function managedDoc(name: string): PolicyDocument {
  return JSON.parse(readFileSync(path.join(SHARED, 'aws-data/managed-policies', `${name}.json`), 'utf8')) as PolicyDocument
}

export function managedPolicy(name: ManagedName): NamedPolicy {
  return { id: `arn:aws:iam::aws:policy/${MANAGED_PATH[name]}${name}`, name, kind: 'aws-managed', document: managedDoc(name) }
}

export function customerPolicy(name: string, document: PolicyDocument, account = ACCT): NamedPolicy {
  return { id: `arn:aws:iam::${account}:policy/${name}`, name, kind: 'customer-managed', document }
}

export const doc = (...statements: Record<string, unknown>[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements })
export const allow = (action: string | string[], resource: string | string[] = '*', extra: Record<string, unknown> = {}) =>
  ({ Effect: 'Allow', Action: action, Resource: resource, ...extra })
export const deny = (action: string | string[], resource: string | string[] = '*', extra: Record<string, unknown> = {}) =>
  ({ Effect: 'Deny', Action: action, Resource: resource, ...extra })

export const BACKUP_TRUST = doc({ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' })

export interface RoleSpec {
  name?: string
  path?: string
  account?: string
  trust?: PolicyDocument
  inline?: Record<string, PolicyDocument>
  managed?: NamedPolicy[]
  boundary?: NamedPolicy | null
  tags?: Record<string, string>
}

export function aRole(spec: RoleSpec = {}): RoleEvidence {
  const name = spec.name ?? 'AWSBackupDefaultServiceRole'
  const p = spec.path ?? (spec.name === undefined ? '/service-role/' : '/')
  const account = spec.account ?? ACCT
  const inline: Record<string, Item<NamedPolicy>> = {}
  for (const [n, d] of Object.entries(spec.inline ?? {})) inline[n] = read({ id: n, name: n, kind: 'inline', document: d })
  const managed: Record<string, Item<NamedPolicy>> = {}
  for (const m of spec.managed ?? (spec.inline ? [] : [managedPolicy('AWSBackupServiceRolePolicyForBackup'), managedPolicy('AWSBackupServiceRolePolicyForRestores')])) {
    managed[m.id] = read(m)
  }
  return {
    arn: `arn:aws:iam::${account}:role${p}${name}`,
    name, path: p, accountId: account, roleId: 'AROAEXAMPLE',
    trustPolicy: spec.trust ?? BACKUP_TRUST,
    inlinePolicies: read(inline),
    attachedPolicies: read(managed),
    permissionsBoundary: spec.boundary ? read(spec.boundary) : absent('no permissions boundary'),
    tags: spec.tags ?? {},
  }
}

export function slr(account: string): RoleEvidence {
  return aRole({
    name: 'AWSServiceRoleForBackup', path: '/aws-service-role/backup.amazonaws.com/', account,
    managed: [managedPolicy('AWSBackupServiceLinkedRolePolicyForBackup')],
  })
}

export const vaultArn = (name: string, account = ACCT) => `arn:aws:backup:${REGION}:${account}:backup-vault:${name}`
export const keyArn = (id: string, account = ACCT) => `arn:aws:kms:${REGION}:${account}:key/${id}`
export const KEY_ID = '1a2b3c4d-1111-4a4a-8b8b-0c0c0c0c0c01'
export const DEST_KEY_ID = '2b3c4d5e-2222-4b4b-9c9c-0d0d0d0d0d02'
export const VOLUME = `arn:aws:ec2:${REGION}:${ACCT}:volume/vol-0a1b2c3d4e5f67890`
export const SNAPSHOT_RP = `arn:aws:ec2:${REGION}::snapshot/snap-0feedfacecafe0001`

export function aVault(overrides: Partial<VaultEvidence> & { name?: string; account?: string } = {}): VaultEvidence {
  const name = overrides.name ?? 'prod-vault'
  const account = overrides.account ?? overrides.accountId ?? ACCT
  return {
    arn: vaultArn(name, account), name, accountId: account, region: REGION,
    encryptionKeyArn: keyArn(account === ACCT ? KEY_ID : DEST_KEY_ID, account),
    vaultType: 'BACKUP_VAULT', locked: false, minRetentionDays: null, maxRetentionDays: null, lockDate: null,
    accessPolicy: absent('no access policy'),
    ...overrides,
  }
}

export function keyPolicyDelegating(account: string, ...extra: Record<string, unknown>[]): PolicyDocument {
  return doc({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }, ...extra)
}

export function aKey(overrides: Partial<KeyEvidence> & { id?: string; account?: string } = {}): KeyEvidence {
  const id = overrides.id ?? KEY_ID
  const account = overrides.account ?? overrides.accountId ?? ACCT
  return {
    arn: keyArn(id, account), keyId: id, accountId: account, region: REGION,
    keyManager: 'CUSTOMER', keyState: 'Enabled', enabled: true,
    aliases: read(['alias/prod-backup']),
    policy: read(keyPolicyDelegating(account)),
    ...overrides,
  }
}

export const FULL_ACCESS: OrgPolicy = { id: 'p-FullAWSAccess', name: 'FullAWSAccess', type: 'SERVICE_CONTROL_POLICY', awsManaged: true, document: doc(allow('*')) }
export const RCP_FULL_ACCESS: OrgPolicy = { id: 'p-RCPFullAWSAccess', name: 'RCPFullAWSAccess', type: 'RESOURCE_CONTROL_POLICY', awsManaged: true, document: doc({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }) }

export function aLevel(id: string, scps: OrgPolicy[] = [FULL_ACCESS], rcps: OrgPolicy[] = [RCP_FULL_ACCESS]): OrgLevel {
  const type = id.startsWith('r-') ? 'ROOT' : id.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT'
  return { id, type, scps: read(scps), rcps: read(rcps) }
}

/** An organization whose accounts each sit under root → one OU. */
export function anOrg(accounts: string[] = [ACCT, DEST], overrides: { levels?: Record<string, OrgLevel[]> } = {}): Evidence['organization'] {
  const map: Record<string, Item<{ accountId: string; path: Item<OrgLevel[]> }>> = {}
  for (const a of accounts) map[a] = read({ accountId: a, path: read(overrides.levels?.[a] ?? [aLevel('r-ex12'), aLevel('ou-ex12-workload'), aLevel(a)]) })
  return read({ id: ORG_ID, managementAccountId: MGMT, accounts: map })
}

export function aJob(overrides: Partial<JobEvidence> = {}): JobEvidence {
  return {
    id: '5E1B0C2A-6F3D-4E8B-9A71-2C4D6E8F0A01', type: 'backup', accountId: ACCT, region: REGION,
    state: 'FAILED', statusMessage: null, messageCategory: null,
    resourceType: 'EBS', resourceArn: VOLUME,
    iamRoleArn: `arn:aws:iam::${ACCT}:role/service-role/AWSBackupDefaultServiceRole`,
    creationDate: '2026-11-20T02:00:00Z', completionDate: '2026-11-20T02:07:00Z',
    backupVaultArn: vaultArn('prod-vault'), backupVaultName: 'prod-vault',
    destinationBackupVaultArn: null, recoveryPointArn: null, destinationRecoveryPointArn: null, createdResourceArn: null,
    lifecycle: null, raw: {},
    ...overrides,
  }
}

export function aRecoveryPoint(overrides: Partial<RecoveryPointEvidence> = {}): RecoveryPointEvidence {
  return {
    arn: SNAPSHOT_RP, vaultName: 'prod-vault', accountId: ACCT, region: REGION, resourceArn: VOLUME, resourceType: 'EBS',
    status: 'COMPLETED', isEncrypted: true, encryptionKeyArn: keyArn(KEY_ID), creationDate: '2026-11-20T02:05:00Z', raw: {},
    ...overrides,
  }
}

/** A healthy backup job's evidence; `overrides` replaces whole fields. */
export function anEvidence(overrides: Partial<Evidence> = {}, job: Partial<JobEvidence> = {}): Evidence {
  const j = aJob(job)
  const role = aRole()
  return {
    schemaVersion: 1,
    request: { jobId: j.id, jobType: j.type, accountId: j.accountId, region: j.region },
    collectedAt: '2026-11-20T03:00:00Z',
    serviceAccountId: MGMT,
    job: read(j),
    jobRole: role.arn === j.iamRoleArn ? read(role) : absent(),
    alternateDefaultRole: notCollected('the job does not name the default role at the other path'),
    passedRoles: {},
    restoreMetadata: notCollected('not a restore'),
    sourceVault: read(aVault()),
    destinationVault: notCollected('not a copy'),
    recoveryPoint: notCollected('no recovery point'),
    keys: { [keyArn(KEY_ID)]: read(aKey()) },
    organization: anOrg(),
    serviceLinkedRoles: { [ACCT]: read(slr(ACCT)) },
    backupSettings: read({ isCrossAccountBackupEnabled: true, raw: {} }),
    authorizationMessages: [],
    stats: { awsCalls: 0, criticalPathDepth: 0, wallMs: 0, cacheHits: 0, cacheMisses: 0 },
    ...overrides,
  }
}

/** A healthy cross-account EBS copy 111111111111 → 222222222222 (source key shared with the destination account). */
export function aCopyEvidence(overrides: Partial<Evidence> = {}, job: Partial<JobEvidence> = {}): Evidence {
  const destVault = aVault({
    name: 'central-vault', account: DEST, accountId: DEST, encryptionKeyArn: keyArn(DEST_KEY_ID, DEST),
    accessPolicy: read(doc({ Sid: 'AllowOrgCopyIn', Effect: 'Allow', Principal: '*', Action: 'backup:CopyIntoBackupVault', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG_ID } } })),
  })
  const sourceKey = aKey({
    policy: read(keyPolicyDelegating(ACCT, {
      Sid: 'AllowCentralBackupAccount', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEST}:root` },
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'], Resource: '*',
    })),
  })
  return anEvidence({
    recoveryPoint: read(aRecoveryPoint()),
    destinationVault: read(destVault),
    keys: { [sourceKey.arn]: read(sourceKey), [keyArn(DEST_KEY_ID, DEST)]: read(aKey({ id: DEST_KEY_ID, account: DEST, accountId: DEST })) },
    serviceLinkedRoles: { [ACCT]: read(slr(ACCT)), [DEST]: read(slr(DEST)) },
    ...overrides,
  }, {
    id: '8DAF2B4C-6E7F-4C9D-8EBF-3A5B7C9D1E09', type: 'copy', recoveryPointArn: SNAPSHOT_RP,
    destinationBackupVaultArn: destVault.arn, ...job,
  })
}

/** A healthy EC2 restore with the default role, restoring an AMI that keeps instance profile app-instance-role. */
export function aRestoreEvidence(overrides: Partial<Evidence> = {}, job: Partial<JobEvidence> = {}): Evidence {
  const rp = aRecoveryPoint({ arn: `arn:aws:ec2:${REGION}::image/ami-0123456789abcdef0`, resourceType: 'EC2', resourceArn: `arn:aws:ec2:${REGION}:${ACCT}:instance/i-0123456789abcdef0` })
  const passed = aRole({ name: 'app-instance-role', trust: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), inline: {} })
  return anEvidence({
    recoveryPoint: read(rp),
    restoreMetadata: read({ IamInstanceProfileName: 'app-instance-role', InstanceType: 't3.small' }),
    passedRoles: { [passed.arn]: read(passed) },
    ...overrides,
  }, {
    id: 'B0DC5E7F-9BAC-4FCA-9BEC-6D8EAFCA4B12', type: 'restore', resourceType: 'EC2', resourceArn: rp.resourceArn,
    recoveryPointArn: rp.arn, ...job,
  })
}

/** Replace the job role (and point the job at it). */
export function withRole(e: Evidence, role: RoleEvidence): Evidence {
  const job = e.job.state === 'read' ? { ...e.job.value, iamRoleArn: role.arn } : null
  return { ...e, jobRole: read(role), ...(job ? { job: read(job) } : {}) }
}

export function withJob(e: Evidence, patch: Partial<JobEvidence>): Evidence {
  if (e.job.state !== 'read') return e
  return { ...e, job: read({ ...e.job.value, ...patch }) }
}
