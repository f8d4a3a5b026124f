/**
 * The world, indexed for serving: lookups by account, region and name, the
 * schema defaults applied, and every derived value world.md promises
 * (ARNs, RoleIds, PolicyIds, CreateDates), computed deterministically from the
 * world so that the same world always yields the same answers.
 */
import { createHash } from 'node:crypto'
import { BUILT_IN_MANAGED_POLICIES, type ManagedPolicyEntry } from './managed-policies/index.js'
import type {
  PolicyDocument, World, WorldAccount, WorldCustomerPolicy, WorldJob, WorldKey, WorldOrgPolicy,
  WorldRecoveryPoint, WorldRole, WorldVault,
} from './world.js'

/** CreateDate of every entity whose creation the world does not date (roles, policies, keys, vaults). */
export const DERIVED_CREATE_DATE = new Date('2024-01-15T10:00:00Z')

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** A stable pseudo-random id: prefix + `length` upper-case base32 characters of sha256(seed). */
export function derivedId(prefix: string, seed: string, length = 17): string {
  const digest = createHash('sha256').update(seed).digest()
  let out = prefix
  for (let i = 0; i < length; i++) out += BASE32[digest[i % digest.length]! % 32]
  return out
}

export type PolicySource =
  | { kind: 'aws'; arn: string; name: string; path: string; versionId: string; document: PolicyDocument }
  | { kind: 'customer'; arn: string; name: string; path: string; versionId: string; document: PolicyDocument; accountId: string }

export interface JobRef { accountId: string; region: string; job: WorldJob }

export type JobKind = 'backup' | 'copy' | 'restore'

/** Region embedded in an ARN (`arn:aws:svc:REGION:...`), if any. */
export function arnRegion(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined
  const region = arn.split(':')[3]
  return region ? region : undefined
}

/** Account embedded in an ARN (`arn:aws:svc:region:ACCOUNT:...`), if any. */
export function arnAccount(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined
  const account = arn.split(':')[4]
  return account ? account : undefined
}

function splitPolicyArn(arn: string, prefix: string): { path: string; name: string } | undefined {
  if (!arn.startsWith(prefix)) return undefined
  const rest = arn.slice(prefix.length) // "/path/name" or "/name"
  if (!rest.startsWith('/')) return undefined
  const cut = rest.lastIndexOf('/')
  const name = rest.slice(cut + 1)
  if (name === '') return undefined
  return { path: rest.slice(0, cut + 1), name }
}

export class Model {
  readonly world: World
  readonly region: string
  readonly readerRoleName: string
  readonly callerAccountId: string
  readonly latencyMs: number
  private readonly accounts = new Map<string, WorldAccount>()
  private readonly managed = new Map<string, ManagedPolicyEntry>()

  constructor(world: World) {
    this.world = world
    this.region = world.region ?? 'us-east-1'
    this.readerRoleName = world.readerRoleName ?? 'BackupDoctorReadOnly'
    this.latencyMs = world.latencyMs ?? 0
    for (const a of world.accounts) this.accounts.set(a.id, a)
    this.callerAccountId = world.callerAccountId ?? world.organization?.managementAccountId ?? world.accounts[0]!.id
    for (const p of BUILT_IN_MANAGED_POLICIES) this.managed.set(p.arn, p)
    for (const p of world.awsManagedPolicies ?? []) {
      // An override without versionId keeps the built-in version id (it replaces the document of that version).
      this.managed.set(p.arn, { arn: p.arn, versionId: p.versionId ?? this.managed.get(p.arn)?.versionId ?? 'v1', document: p.document })
    }
  }

  account(id: string): WorldAccount | undefined { return this.accounts.get(id) }
  accountIds(): string[] { return [...this.accounts.keys()] }

  // ---------- Organizations ----------
  get org() { return this.world.organization }
  isManagement(accountId: string): boolean { return this.org?.managementAccountId === accountId }
  /** A member has a parentId; the management account is a member whatever the world says. */
  isMember(accountId: string): boolean {
    if (!this.org) return false
    return this.isManagement(accountId) || this.accounts.get(accountId)?.parentId !== undefined
  }
  /** Parent of an account or unit; the management account defaults to the root. */
  parentOf(childId: string): { id: string; type: 'ROOT' | 'ORGANIZATIONAL_UNIT' } | undefined {
    const org = this.org
    if (!org) return undefined
    let parent: string | undefined
    const unit = org.units?.find((u) => u.id === childId)
    if (unit) parent = unit.parentId
    else if (this.isMember(childId)) parent = this.accounts.get(childId)?.parentId ?? org.rootId
    if (parent === undefined) return undefined
    return { id: parent, type: parent === org.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }
  }
  isTarget(id: string): boolean {
    const org = this.org
    if (!org) return false
    return id === org.rootId || (org.units ?? []).some((u) => u.id === id) || this.isMember(id)
  }
  orgPolicyArn(p: WorldOrgPolicy): string {
    const org = this.org!
    const type = p.type.toLowerCase()
    return p.awsManaged
      ? `arn:aws:organizations::aws:policy/${type}/${p.id}`
      : `arn:aws:organizations::${org.managementAccountId}:policy/${org.id}/${type}/${p.id}`
  }

  // ---------- IAM ----------
  roles(accountId: string): WorldRole[] { return this.accounts.get(accountId)?.iam?.roles ?? [] }
  role(accountId: string, name: string): WorldRole | undefined {
    // IAM role names are unique case-insensitively and looked up that way.
    const lower = name.toLowerCase()
    return this.roles(accountId).find((r) => r.name.toLowerCase() === lower)
  }
  roleArn(accountId: string, role: { name: string; path?: string }): string {
    return `arn:aws:iam::${accountId}:role${role.path ?? '/'}${role.name}`
  }
  roleId(accountId: string, roleName: string): string { return derivedId('AROA', `role:${accountId}:${roleName}`) }
  customerPolicyArn(accountId: string, p: WorldCustomerPolicy): string {
    return `arn:aws:iam::${accountId}:policy${p.path ?? '/'}${p.name}`
  }
  policyId(arn: string): string { return derivedId('ANPA', `policy:${arn}`) }
  /** Finds a managed policy by ARN: the AWS catalogue, or a customer managed policy of `accountId`. */
  policy(arn: string): PolicySource | undefined {
    const aws = this.managed.get(arn)
    if (aws) {
      const parts = splitPolicyArn(arn, 'arn:aws:iam::aws:policy')
      if (!parts) return undefined
      return { kind: 'aws', arn, name: parts.name, path: parts.path, versionId: aws.versionId, document: aws.document }
    }
    const account = arnAccount(arn)
    if (!account || !/^\d{12}$/.test(account)) return undefined
    const parts = splitPolicyArn(arn, `arn:aws:iam::${account}:policy`)
    if (!parts) return undefined
    const p = this.accounts.get(account)?.iam?.policies?.find((x) => x.name === parts.name && (x.path ?? '/') === parts.path)
    if (!p) return undefined
    return { kind: 'customer', arn, name: p.name, path: parts.path, versionId: p.defaultVersionId ?? 'v1', document: p.document, accountId: account }
  }
  /** Roles of `accountId` that attach `arn` (AttachmentCount as seen from that account). */
  attachmentCount(accountId: string, arn: string): number {
    return this.roles(accountId).filter((r) => r.attachedPolicyArns?.includes(arn)).length
  }
  boundaryUsageCount(accountId: string, arn: string): number {
    return this.roles(accountId).filter((r) => r.permissionsBoundaryArn === arn).length
  }

  // ---------- KMS ----------
  keys(accountId: string, region: string): WorldKey[] {
    return (this.accounts.get(accountId)?.kms?.keys ?? []).filter((k) => (k.region ?? this.region) === region)
  }
  keyArn(accountId: string, key: WorldKey): string {
    return `arn:aws:kms:${key.region ?? this.region}:${accountId}:key/${key.id}`
  }
  aliasArn(accountId: string, region: string, alias: string): string {
    return `arn:aws:kms:${region}:${accountId}:${alias}`
  }

  // ---------- Backup ----------
  vaults(accountId: string, region: string): WorldVault[] {
    return (this.accounts.get(accountId)?.backup?.vaults ?? []).filter((v) => (v.region ?? this.region) === region)
  }
  vault(accountId: string, region: string, name: string): WorldVault | undefined {
    return this.vaults(accountId, region).find((v) => v.name === name)
  }
  vaultArn(accountId: string, region: string, name: string): string {
    return `arn:aws:backup:${region}:${accountId}:backup-vault:${name}`
  }
  recoveryPoints(accountId: string, region: string): WorldRecoveryPoint[] {
    return (this.accounts.get(accountId)?.backup?.recoveryPoints ?? []).filter((r) => (r.region ?? arnRegion(r.arn) ?? this.region) === region)
  }
  /**
   * A job lives in the region of its vault (copy jobs: the source vault), else
   * of its recovery point or resource, else the world's region.
   */
  jobRegion(job: WorldJob): string {
    const candidates = [job.BackupVaultArn, job.SourceBackupVaultArn, job.RecoveryPointArn, job.SourceRecoveryPointArn, job.ResourceArn]
    for (const c of candidates) {
      const r = arnRegion(c)
      if (r) return r
    }
    return this.region
  }
  jobs(kind: JobKind): JobRef[] {
    const list = kind === 'backup' ? 'backupJobs' : kind === 'copy' ? 'copyJobs' : 'restoreJobs'
    const out: JobRef[] = []
    for (const a of this.world.accounts) {
      for (const job of a.backup?.[list] ?? []) out.push({ accountId: a.id, region: this.jobRegion(job), job })
    }
    return out
  }
}

export function jobIdField(kind: JobKind): 'BackupJobId' | 'CopyJobId' | 'RestoreJobId' {
  return kind === 'backup' ? 'BackupJobId' : kind === 'copy' ? 'CopyJobId' : 'RestoreJobId'
}
