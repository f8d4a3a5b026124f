/**
 * The world model of the sandbox: the TypeScript shape of `world.schema.json`
 * (../shared/contract/world.md is the binding description) and `loadWorld`,
 * which validates a world with Ajv 2020 against the vendored schema and then
 * runs the semantic checks the schema cannot express (duplicate ids, dangling
 * parent ids, policy targets that do not exist...). Every problem carries the
 * JSON path it is about, so a world author can find it.
 */
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ErrorObject } from 'ajv'
import addFormatsImport from 'ajv-formats'
import schema from './world.schema.json' with { type: 'json' }

export interface PolicyDocument {
  Version?: string
  Id?: string
  Statement: Record<string, unknown> | Record<string, unknown>[]
  [key: string]: unknown
}

export interface WorldUnit { id: string; name: string; parentId: string }

export interface WorldOrgPolicy {
  id: string
  name: string
  type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY'
  awsManaged?: boolean
  description?: string
  targets: string[]
  content: PolicyDocument
}

export interface WorldOrganization {
  id: string
  managementAccountId: string
  rootId: string
  units?: WorldUnit[]
  policies?: WorldOrgPolicy[]
  backupSettings?: { isCrossAccountBackupEnabled?: boolean }
}

export interface WorldRole {
  name: string
  path?: string
  description?: string
  trustPolicy: PolicyDocument
  inlinePolicies?: Record<string, PolicyDocument>
  attachedPolicyArns?: string[]
  permissionsBoundaryArn?: string
}

export interface WorldCustomerPolicy {
  name: string
  path?: string
  defaultVersionId?: string
  document: PolicyDocument
}

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport' | 'Unavailable'

export interface WorldKey {
  id: string
  region?: string
  keyManager?: 'CUSTOMER' | 'AWS'
  keyState?: KeyState
  aliases?: string[]
  description?: string
  policy: PolicyDocument
}

export interface WorldVault {
  name: string
  region?: string
  encryptionKeyArn?: string
  accessPolicy?: PolicyDocument
  locked?: boolean
  vaultType?: 'BACKUP_VAULT' | 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT'
  minRetentionDays?: number
  maxRetentionDays?: number
  lockDate?: string
}

export interface WorldRecoveryPoint {
  arn: string
  vaultName: string
  region?: string
  resourceArn?: string
  resourceType: string
  isEncrypted?: boolean
  encryptionKeyArn?: string
  status?: 'COMPLETED' | 'PARTIAL' | 'DELETING' | 'EXPIRED' | 'AVAILABLE' | 'STOPPED' | 'CREATING'
  creationDate?: string
  restoreMetadata?: Record<string, string>
}

/** Jobs are DescribeX output shapes (PascalCase, ISO dates): kept as given. */
export type WorldJob = Record<string, unknown>

export interface WorldAccount {
  id: string
  name?: string
  parentId?: string
  iam?: { roles?: WorldRole[]; policies?: WorldCustomerPolicy[] }
  kms?: { keys?: WorldKey[] }
  backup?: {
    vaults?: WorldVault[]
    recoveryPoints?: WorldRecoveryPoint[]
    backupJobs?: WorldJob[]
    copyJobs?: WorldJob[]
    restoreJobs?: WorldJob[]
  }
}

export type FaultService = 'backup' | 'iam' | 'sts' | 'organizations' | 'kms'

export interface WorldFault {
  service: FaultService
  operation: string
  accountId?: string
  error?: string
  message?: string
  httpStatus?: number
  count?: number
  latencyMs?: number
}

export interface WorldExpectation {
  jobId: string
  jobType?: 'backup' | 'restore' | 'copy'
  code: string
  entity?: 'job-role' | 'service-linked-role' | 'caller' | 'none'
  policyKind?: string
  policyId?: string
  note?: string
}

export interface World {
  $schema?: string
  name: string
  description?: string
  region?: string
  callerAccountId?: string
  readerRoleName?: string
  latencyMs?: number
  organization?: WorldOrganization
  accounts: WorldAccount[]
  awsManagedPolicies?: { arn: string; versionId?: string; document: PolicyDocument }[]
  faults?: WorldFault[]
  expect?: WorldExpectation[]
  authorizationMessages?: { encoded: string; decoded: Record<string, unknown> }[]
}

export interface WorldProblem {
  /** JSON path of the offending value, `$` for the root (e.g. `$.accounts[1].iam.roles[0].name`). */
  path: string
  message: string
}

export class WorldValidationError extends Error {
  readonly errors: WorldProblem[]
  constructor(errors: WorldProblem[], source?: string) {
    const lines = errors.map((e) => `  ${e.path}: ${e.message}`)
    super(`invalid world${source ? ` ${source}` : ''}:\n${lines.join('\n')}`)
    this.name = 'WorldValidationError'
    this.errors = errors
  }
}

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (ajv: Ajv2020) => Ajv2020

const ajv = new Ajv2020({ allErrors: true, strict: false })
addFormats(ajv)
const validateSchema = ajv.compile(schema)

/** `/accounts/1/iam` → `$.accounts[1].iam` */
function jsonPath(pointer: string): string {
  if (pointer === '') return '$'
  return '$' + pointer.split('/').slice(1).map((raw) => {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (/^\d+$/.test(seg)) return `[${seg}]`
    return /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`
  }).join('')
}

function schemaProblem(e: ErrorObject): WorldProblem {
  let path = jsonPath(e.instancePath)
  let message = e.message ?? 'is invalid'
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty
    message = `unknown property ${JSON.stringify(extra)}`
  } else if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty?: string }).missingProperty
    message = `missing required property ${JSON.stringify(missing)}`
  } else if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues
    message = `must be one of ${JSON.stringify(allowed)}`
  }
  if (path === '') path = '$'
  return { path, message }
}

/**
 * Checks that a schema cannot express. Only structural contradictions are
 * rejected; a world may still reference things that do not exist where AWS
 * itself allows it (a job naming a deleted vault, an AWS managed policy the
 * catalogue does not hold: the sandbox then answers NotFound, as AWS would).
 */
function semanticProblems(w: World): WorldProblem[] {
  const problems: WorldProblem[] = []
  const dup = <T>(items: T[] | undefined, key: (x: T) => string, path: (i: number) => string, what: string): void => {
    const seen = new Map<string, number>()
    items?.forEach((item, i) => {
      const k = key(item)
      const first = seen.get(k)
      if (first !== undefined) problems.push({ path: path(i), message: `duplicate ${what} ${JSON.stringify(k)} (first at index ${first})` })
      else seen.set(k, i)
    })
  }
  const region = w.region ?? 'us-east-1'

  dup(w.accounts, (a) => a.id, (i) => `$.accounts[${i}].id`, 'account id')
  const accountIds = new Set(w.accounts.map((a) => a.id))

  const org = w.organization
  const containers = new Set<string>()
  if (org) {
    containers.add(org.rootId)
    dup(org.units, (u) => u.id, (i) => `$.organization.units[${i}].id`, 'unit id')
    for (const u of org.units ?? []) containers.add(u.id)
    const unitParent = new Map((org.units ?? []).map((u) => [u.id, u.parentId]))
    org.units?.forEach((u, i) => {
      if (!containers.has(u.parentId)) {
        problems.push({ path: `$.organization.units[${i}].parentId`, message: `unknown parent ${JSON.stringify(u.parentId)}: not the root or a unit` })
        return
      }
      // A unit must reach the root: a cycle of units would make ListParents loop.
      const seen = new Set<string>([u.id])
      let p: string | undefined = u.parentId
      while (p !== undefined && p !== org.rootId) {
        if (seen.has(p)) { problems.push({ path: `$.organization.units[${i}].parentId`, message: 'units form a cycle and never reach the root' }); break }
        seen.add(p)
        p = unitParent.get(p)
      }
    })
    dup(org.policies, (p) => p.id, (i) => `$.organization.policies[${i}].id`, 'policy id')
    const targets = new Set([...containers, ...accountIds, org.managementAccountId])
    org.policies?.forEach((p, i) => {
      p.targets.forEach((t, j) => {
        if (!targets.has(t)) problems.push({ path: `$.organization.policies[${i}].targets[${j}]`, message: `target ${JSON.stringify(t)} is not the root, a unit or an account of the world` })
      })
    })
  }

  if (w.callerAccountId !== undefined && !accountIds.has(w.callerAccountId)) {
    problems.push({ path: '$.callerAccountId', message: `account ${w.callerAccountId} is not in accounts` })
  }

  w.accounts.forEach((a, ai) => {
    const base = `$.accounts[${ai}]`
    if (a.parentId !== undefined) {
      if (!org) problems.push({ path: `${base}.parentId`, message: 'parentId given but the world has no organization' })
      else if (!containers.has(a.parentId)) problems.push({ path: `${base}.parentId`, message: `unknown parent ${JSON.stringify(a.parentId)}: not the root or a unit` })
    }
    dup(a.iam?.roles, (r) => r.name.toLowerCase(), (i) => `${base}.iam.roles[${i}].name`, 'role name')
    dup(a.iam?.policies, (p) => p.name.toLowerCase(), (i) => `${base}.iam.policies[${i}].name`, 'policy name')
    dup(a.kms?.keys, (k) => k.id, (i) => `${base}.kms.keys[${i}].id`, 'key id')
    const aliasSeen = new Map<string, string>()
    a.kms?.keys?.forEach((k, ki) => k.aliases?.forEach((al, li) => {
      const key = `${k.region ?? region} ${al}`
      if (aliasSeen.has(key)) problems.push({ path: `${base}.kms.keys[${ki}].aliases[${li}]`, message: `alias ${al} already names another key in this account and region` })
      else aliasSeen.set(key, k.id)
    }))
    dup(a.backup?.vaults, (v) => `${v.region ?? region} ${v.name}`, (i) => `${base}.backup.vaults[${i}].name`, 'vault (region, name)')
    dup(a.backup?.recoveryPoints, (r) => r.arn, (i) => `${base}.backup.recoveryPoints[${i}].arn`, 'recovery point arn')
    dup(a.backup?.backupJobs, (j) => String(j.BackupJobId), (i) => `${base}.backup.backupJobs[${i}].BackupJobId`, 'backup job id')
    dup(a.backup?.copyJobs, (j) => String(j.CopyJobId), (i) => `${base}.backup.copyJobs[${i}].CopyJobId`, 'copy job id')
    dup(a.backup?.restoreJobs, (j) => String(j.RestoreJobId), (i) => `${base}.backup.restoreJobs[${i}].RestoreJobId`, 'restore job id')
    const jobLists = [['backupJobs', 'BackupJobId'], ['copyJobs', 'CopyJobId'], ['restoreJobs', 'RestoreJobId']] as const
    for (const [list, idField] of jobLists) {
      a.backup?.[list]?.forEach((j, ji) => {
        if (typeof j[idField] !== 'string') problems.push({ path: `${base}.backup.${list}[${ji}].${idField}`, message: 'must be a string' })
        if (j.AccountId !== undefined && j.AccountId !== a.id) problems.push({ path: `${base}.backup.${list}[${ji}].AccountId`, message: `job AccountId ${String(j.AccountId)} differs from its account ${a.id}` })
        for (const [field, value] of Object.entries(j)) {
          if (TIMESTAMP_FIELDS.has(field) && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
            problems.push({ path: `${base}.backup.${list}[${ji}].${field}`, message: 'must be an ISO 8601 date-time string' })
          }
        }
      })
    }
    a.backup?.recoveryPoints?.forEach((rp, i) => {
      if (rp.creationDate !== undefined && Number.isNaN(Date.parse(rp.creationDate))) problems.push({ path: `${base}.backup.recoveryPoints[${i}].creationDate`, message: 'must be an ISO 8601 date-time string' })
    })
    a.iam?.roles?.forEach((r, ri) => r.attachedPolicyArns?.forEach((arn, pi) => {
      const m = /^arn:aws:iam::(\d{12}):policy(\/.*)?$/.exec(arn)
      if (m && m[1] === a.id) {
        const name = arn.slice(arn.lastIndexOf('/') + 1)
        const path = arn.slice(`arn:aws:iam::${a.id}:policy`.length, arn.length - name.length)
        if (!a.iam?.policies?.some((p) => p.name === name && (p.path ?? '/') === path)) {
          problems.push({ path: `${base}.iam.roles[${ri}].attachedPolicyArns[${pi}]`, message: `customer managed policy ${arn} is not in this account's iam.policies` })
        }
      }
    }))
  })

  dup(w.authorizationMessages, (m) => m.encoded, (i) => `$.authorizationMessages[${i}].encoded`, 'encoded message')
  return problems
}

/**
 * Names of every timestamp member in the Backup job, vault and recovery point
 * shapes (from @aws-sdk/client-backup's models): these travel as epoch seconds.
 */
export const TIMESTAMP_FIELDS: ReadonlySet<string> = new Set([
  'CreationDate', 'CompletionDate', 'ExpectedCompletionDate', 'StartBy', 'InitiationDate',
  'RecoveryPointCreationDate', 'DeletionDate', 'LastRestoreTime', 'LockDate', 'ExpiryDate',
  'MoveToColdStorageAt', 'DeleteAt', 'LastUpdateTime', 'LastBackupTime', 'LastExecutionDate',
])

/**
 * Reads (from a path) or takes a world, validates it and returns a copy (defaults
 * are applied where the world is read, see model.ts). Throws WorldValidationError listing every problem.
 */
export function loadWorld(pathOrObject: string | unknown): World {
  let value: unknown = pathOrObject
  let source: string | undefined
  if (typeof pathOrObject === 'string') {
    source = pathOrObject
    let text: string
    try {
      text = readFileSync(pathOrObject, 'utf8')
    } catch (err) {
      throw new WorldValidationError([{ path: '$', message: `cannot read ${pathOrObject}: ${(err as Error).message}` }], source)
    }
    try {
      value = JSON.parse(text)
    } catch (err) {
      throw new WorldValidationError([{ path: '$', message: `not JSON: ${(err as Error).message}` }], source)
    }
  }
  // Validate a copy: the caller's object stays untouched.
  const copy: unknown = structuredClone(value)
  if (!validateSchema(copy)) {
    throw new WorldValidationError((validateSchema.errors ?? []).map(schemaProblem), source)
  }
  const world = copy as unknown as World
  const problems = semanticProblems(world)
  if (problems.length > 0) throw new WorldValidationError(problems, source)
  return world
}
