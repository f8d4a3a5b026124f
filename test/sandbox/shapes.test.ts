/**
 * Every member the sandbox sends is a member the SDK models (a misspelled
 * field would be dropped silently by the client): each handler's output for the
 * full world is walked against the operation's output schema exported by
 * @aws-sdk/client-* (`<Operation>$`), checking names and value types.
 */
import t from 'tap'
import * as backupSdk from '@aws-sdk/client-backup'
import * as iamSdk from '@aws-sdk/client-iam'
import * as kmsSdk from '@aws-sdk/client-kms'
import * as orgSdk from '@aws-sdk/client-organizations'
import * as stsSdk from '@aws-sdk/client-sts'
import { CredentialStore } from '../../src/sandbox/identity.js'
import { Model } from '../../src/sandbox/model.js'
import { backup } from '../../src/sandbox/services/backup.js'
import type { CallContext, Handler } from '../../src/sandbox/services/context.js'
import { iam } from '../../src/sandbox/services/iam.js'
import { kms } from '../../src/sandbox/services/kms.js'
import { organizations } from '../../src/sandbox/services/organizations.js'
import { sts } from '../../src/sandbox/services/sts.js'
import { TIMESTAMP_FIELDS } from '../../src/sandbox/world.js'
import { KEY_PROD, MGMT, PROD, RDS_RP_ARN, SNAP_ARN, fullWorld } from './fixtures/full-world.js'

type Schema = unknown

function resolve(s: Schema): Schema {
  let cur = s
  for (;;) {
    if (typeof cur === 'function') cur = (cur as () => Schema)()
    else if (Array.isArray(cur) && cur.length === 2 && typeof cur[1] === 'object') cur = cur[0] // member with traits
    else return cur
  }
}

/** Walks `value` against a smithy schema; returns the problems found. */
function check(value: unknown, schema: Schema, path: string, problems: string[]): void {
  const s = resolve(schema)
  if (typeof s === 'number') {
    if (s >= 128) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) { problems.push(`${path}: expected a map`); return }
      for (const [k, v] of Object.entries(value)) check(v, s - 128, `${path}.${k}`, problems)
      return
    }
    if (s >= 64) {
      if (!Array.isArray(value)) { problems.push(`${path}: expected a list`); return }
      value.forEach((v, i) => check(v, s - 64, `${path}[${i}]`, problems))
      return
    }
    const ok = s === 0 ? typeof value === 'string' : s === 1 ? typeof value === 'number' : s === 2 ? typeof value === 'boolean' : s === 4 ? value instanceof Date : true
    if (!ok) problems.push(`${path}: ${JSON.stringify(value)} does not fit simple schema ${s}`)
    return
  }
  if (!Array.isArray(s)) { problems.push(`${path}: unknown schema`); return }
  const kind = s[0] as number
  if (kind === 3) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) { problems.push(`${path}: expected structure ${String(s[2])}`); return }
    const names = s[4] as string[]
    const members = s[5] as Schema[]
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue
      const i = names.indexOf(k)
      if (i < 0) problems.push(`${path}.${k}: not a member of ${String(s[2])}`)
      else check(v, members[i], `${path}.${k}`, problems)
    }
  } else if (kind === 1) {
    if (!Array.isArray(value)) { problems.push(`${path}: expected list ${String(s[2])}`); return }
    value.forEach((v, i) => check(v, s[4], `${path}[${i}]`, problems))
  } else if (kind === 2) {
    if (typeof value !== 'object' || value === null) { problems.push(`${path}: expected map ${String(s[2])}`); return }
    for (const [k, v] of Object.entries(value)) check(v, s[5], `${path}.${k}`, problems)
  }
}

const model = new Model(fullWorld())
const credentials = new CredentialStore(MGMT)
const role = { name: 'DoctorReader', path: '/', arn: `arn:aws:iam::${PROD}:role/DoctorReader`, roleId: model.roleId(PROD, 'DoctorReader') }
const asProd = credentials.resolve(credentials.issue(PROD, role, 's', 3600, new Date()).accessKeyId)
const asMgmt = credentials.resolve('AKIDSANDBOX')
const ctx = (caller = asProd): CallContext => ({ model, caller, region: 'us-east-1', credentials, now: new Date() })

const SERVICES: [string, Record<string, Handler>, Record<string, unknown>][] = [
  ['backup', backup, backupSdk], ['iam', iam, iamSdk], ['sts', sts, stsSdk], ['organizations', organizations, orgSdk], ['kms', kms, kmsSdk],
]

const CALLS: [string, string, Record<string, unknown>, CallContext?][] = [
  ['backup', 'DescribeBackupJob', { BackupJobId: '3E5A7C9E-1F2A-4D4E-8F6A-8B0C2D4E6F01' }],
  ['backup', 'DescribeBackupJob', { BackupJobId: 'B3' }],
  ['backup', 'DescribeCopyJob', { CopyJobId: '8DAF2B4C-6E7F-4C9D-8EBF-3A5B7C9D1E09' }],
  ['backup', 'DescribeRestoreJob', { RestoreJobId: 'R1' }],
  ['backup', 'ListBackupJobs', { ByAccountId: '*', MaxResults: '2' }, ctx(asMgmt)],
  ['backup', 'ListCopyJobs', { ByAccountId: '*' }, ctx(asMgmt)],
  ['backup', 'ListRestoreJobs', {}],
  ['backup', 'DescribeBackupVault', { BackupVaultName: 'locked-vault' }],
  ['backup', 'GetBackupVaultAccessPolicy', { BackupVaultName: 'locked-vault' }],
  ['backup', 'DescribeRecoveryPoint', { BackupVaultName: 'prod-vault', RecoveryPointArn: SNAP_ARN }],
  ['backup', 'DescribeRecoveryPoint', { BackupVaultName: 'locked-vault', RecoveryPointArn: RDS_RP_ARN }],
  ['backup', 'GetRecoveryPointRestoreMetadata', { BackupVaultName: 'prod-vault', RecoveryPointArn: SNAP_ARN }],
  ['backup', 'DescribeGlobalSettings', {}, ctx(asMgmt)],
  ['iam', 'GetRole', { RoleName: 'AWSBackupDefaultServiceRole' }],
  ['iam', 'ListAttachedRolePolicies', { RoleName: 'AWSBackupDefaultServiceRole', MaxItems: '1' }],
  ['iam', 'ListRolePolicies', { RoleName: 'AWSBackupDefaultServiceRole', MaxItems: '1' }],
  ['iam', 'GetRolePolicy', { RoleName: 'AWSBackupDefaultServiceRole', PolicyName: 'ExtraKms' }],
  ['iam', 'GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup' }],
  ['iam', 'GetPolicyVersion', { PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup', VersionId: 'v30' }],
  ['sts', 'GetCallerIdentity', {}],
  ['sts', 'AssumeRole', { RoleArn: `arn:aws:iam::${PROD}:role/DoctorReader`, RoleSessionName: 'shape-test' }, ctx(asMgmt)],
  ['sts', 'DecodeAuthorizationMessage', { EncodedMessage: 'Zm9vYmFyLWVuY29kZWQ' }],
  ['organizations', 'DescribeOrganization', {}, ctx(asMgmt)],
  ['organizations', 'DescribeAccount', { AccountId: PROD }, ctx(asMgmt)],
  ['organizations', 'ListParents', { ChildId: PROD }, ctx(asMgmt)],
  ['organizations', 'ListPoliciesForTarget', { TargetId: PROD, Filter: 'SERVICE_CONTROL_POLICY', MaxResults: 1 }, ctx(asMgmt)],
  ['organizations', 'DescribePolicy', { PolicyId: 'p-regionlock1' }, ctx(asMgmt)],
  ['kms', 'DescribeKey', { KeyId: KEY_PROD }],
  ['kms', 'GetKeyPolicy', { KeyId: KEY_PROD }],
  ['kms', 'ListAliases', { Limit: 1 }],
]

t.test('every served operation is checked here', async (t) => {
  const served = SERVICES.flatMap(([name, handlers]) => Object.keys(handlers).map((op) => `${name}:${op}`)).sort()
  const checked = [...new Set(CALLS.map(([s, op]) => `${s}:${op}`))].sort()
  t.strictSame(checked, served)
})

for (const [service, op, input, context] of CALLS) {
  t.test(`${service}:${op} output fits the SDK model`, async (t) => {
    const [, handlers, sdk] = SERVICES.find(([name]) => name === service)!
    const operation = sdk[`${op}$`] as unknown[] | undefined
    t.ok(operation, 'the SDK exports the operation schema')
    const output = handlers[op]!(context ?? ctx(), input)
    const problems: string[] = []
    check(output, operation![5], op, problems)
    t.strictSame(problems, [])
  })
}

t.test('TIMESTAMP_FIELDS covers every timestamp member of the job shapes', async (t) => {
  const found = new Set<string>()
  const seen = new Set<unknown>()
  const walk = (schema: Schema): void => {
    const s = resolve(schema)
    if (!Array.isArray(s) || seen.has(s)) return
    seen.add(s)
    if (s[0] === 3) {
      const names = s[4] as string[]
      ;(s[5] as Schema[]).forEach((m, i) => {
        if (resolve(m) === 4) found.add(names[i]!)
        else walk(m)
      })
    } else if (s[0] === 1) walk(s[4])
    else if (s[0] === 2) walk(s[5])
  }
  const sdk = backupSdk as unknown as Record<string, unknown[]>
  for (const op of ['DescribeBackupJob', 'DescribeCopyJob', 'DescribeRestoreJob', 'ListBackupJobs', 'ListCopyJobs', 'ListRestoreJobs']) walk(sdk[`${op}$`]![5])
  t.ok(found.has('CreationDate') && found.has('RecoveryPointCreationDate'), 'the walk finds timestamps')
  t.strictSame([...found].filter((f) => !TIMESTAMP_FIELDS.has(f)), [])
})
