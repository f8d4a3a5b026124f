/**
 * AWS Backup (restJson1). Jobs are served as the world holds them (DescribeX
 * output shapes), with dates turned into timestamps and only what AWS itself
 * derives filled in. Vaults, recovery points and jobs are regional and belong
 * to the calling account; list operations from the management account accept
 * ByAccountId `*` for the whole organization
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListBackupJobs.html).
 */
import { AwsError } from '../aws-error.js'
import { DERIVED_CREATE_DATE, type JobKind, type JobRef, jobIdField } from '../model.js'
import { TIMESTAMP_FIELDS, type WorldJob } from '../world.js'
import { type CallContext, type Handler, type Input, intParam, paginate, required, str } from './context.js'

/** A world job (ISO dates) as the handler output (Dates), plus what AWS derives. */
function jobOutput(ctx: CallContext, kind: JobKind, ref: JobRef): Record<string, unknown> {
  const out = datesToDates(ref.job) as Record<string, unknown>
  if (out.AccountId === undefined) out.AccountId = ref.accountId
  // DescribeRestoreJob returns the vault of the recovery point being restored.
  if (kind === 'restore' && out.BackupVaultArn === undefined && typeof out.RecoveryPointArn === 'string') {
    const rp = ctx.model.recoveryPoints(ref.accountId, ref.region).find((r) => r.arn === out.RecoveryPointArn)
    if (rp) out.BackupVaultArn = ctx.model.vaultArn(ref.accountId, rp.region ?? ref.region, rp.vaultName)
  }
  return out
}

function datesToDates(value: unknown, key?: string): unknown {
  if (key !== undefined && TIMESTAMP_FIELDS.has(key) && typeof value === 'string') return new Date(value)
  if (Array.isArray(value)) return value.map((v) => datesToDates(v))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value as WorldJob)) out[k] = datesToDates(v, k)
    return out
  }
  return value
}

function findJob(ctx: CallContext, kind: JobKind, id: string): JobRef {
  const field = jobIdField(kind)
  const ref = ctx.model.jobs(kind).find((j) => j.job[field] === id && j.accountId === ctx.caller.accountId && j.region === ctx.region)
  if (!ref) throw new AwsError('ResourceNotFoundException', `Cannot find ${kind} job with ID ${id}`)
  return ref
}

function dateParam(input: Input, name: string): number | undefined {
  const v = str(input, name)
  if (v === undefined) return undefined
  const t = Date.parse(v)
  if (Number.isNaN(t)) throw new AwsError('InvalidParameterValueException', `Invalid value for ${name}: ${v}`)
  return t
}

function time(job: WorldJob, field: string): number | undefined {
  const v = job[field]
  return typeof v === 'string' ? Date.parse(v) : undefined
}

/** The jobs visible to the caller for a List call, before the By* filters. */
function listable(ctx: CallContext, kind: JobKind, byAccount: string | undefined): JobRef[] {
  const me = ctx.caller.accountId
  let accounts: (id: string) => boolean
  if (ctx.model.isManagement(me) && byAccount !== undefined) {
    accounts = byAccount === '*' ? (id) => ctx.model.isMember(id) : (id) => id === byAccount && ctx.model.isMember(id)
  } else if (byAccount !== undefined && byAccount !== '*' && byAccount !== me) {
    accounts = () => false
  } else {
    accounts = (id) => id === me
  }
  return ctx.model.jobs(kind).filter((j) => accounts(j.accountId) && j.region === ctx.region)
}

type Filter = (job: WorldJob) => boolean

function commonFilters(input: Input, stateField: 'State' | 'Status', stateParam: string): Filter[] {
  const filters: Filter[] = []
  const eq = (param: string, field: string) => {
    const v = str(input, param)
    if (v !== undefined) filters.push((j) => j[field] === v)
  }
  eq(stateParam, stateField)
  eq('ByResourceArn', 'ResourceArn')
  eq('ByResourceType', 'ResourceType')
  eq('ByParentJobId', 'ParentJobId')
  const range = (param: string, field: string, after: boolean) => {
    const t = dateParam(input, param)
    if (t === undefined) return
    filters.push((j) => {
      const jt = time(j, field)
      return jt !== undefined && (after ? jt > t : jt < t)
    })
  }
  range('ByCreatedAfter', 'CreationDate', true)
  range('ByCreatedBefore', 'CreationDate', false)
  range('ByCompleteAfter', 'CompletionDate', true)
  range('ByCompleteBefore', 'CompletionDate', false)
  return filters
}

function messageCategoryFilter(input: Input): Filter[] {
  const v = str(input, 'ByMessageCategory')
  // Categories are matched case-insensitively (AWS documents "AccessDenied", "Success", ...; consoles send upper case).
  return v === undefined ? [] : [(j) => typeof j.MessageCategory === 'string' && j.MessageCategory.toLowerCase() === v.toLowerCase()]
}

function list(ctx: CallContext, input: Input, kind: JobKind, stateField: 'State' | 'Status', stateParam: string, extra: Filter[], outKey: string) {
  const limit = intParam(input, 'MaxResults', 1, 1000, 'InvalidParameterValueException') ?? 1000
  const filters = [...commonFilters(input, stateField, stateParam), ...extra]
  const jobs = listable(ctx, kind, str(input, 'ByAccountId')).filter((r) => filters.every((f) => f(r.job)))
  const scope = `backup:${kind}:${ctx.caller.accountId}:${ctx.region}:${JSON.stringify(Object.entries(input).filter(([k]) => k !== 'NextToken' && k !== 'MaxResults').sort())}`
  const page = paginate(jobs, limit, str(input, 'NextToken'), scope, () => new AwsError('InvalidParameterValueException', 'Invalid NextToken'))
  return { [outKey]: page.items.map((r) => jobOutput(ctx, kind, r)), NextToken: page.next }
}

function vaultParam(ctx: CallContext, input: Input) {
  const name = required(input, 'BackupVaultName', 'MissingParameterValueException', 'BackupVaultName is required')
  const owner = str(input, 'BackupVaultAccountId')
  if (owner !== undefined && owner !== ctx.caller.accountId) {
    throw new AwsError('AccessDeniedException', `User: ${ctx.caller.arn} is not authorized to access backup vault ${name} of account ${owner}`)
  }
  return name
}

function vaultNotFound(ctx: CallContext, name: string): AwsError {
  return new AwsError('ResourceNotFoundException', `Backup vault ${name} does not exist in account ${ctx.caller.accountId} and region ${ctx.region}`)
}

function findRecoveryPoint(ctx: CallContext, input: Input) {
  const vaultName = vaultParam(ctx, input)
  const arn = required(input, 'RecoveryPointArn', 'MissingParameterValueException', 'RecoveryPointArn is required')
  const rp = ctx.model.recoveryPoints(ctx.caller.accountId, ctx.region).find((r) => r.arn === arn && r.vaultName === vaultName)
  if (!rp) throw new AwsError('ResourceNotFoundException', `Recovery point ${arn} was not found in backup vault ${vaultName}`)
  return rp
}

export const backup: Record<string, Handler> = {
  DescribeBackupJob(ctx, input) {
    const id = required(input, 'BackupJobId', 'MissingParameterValueException', 'BackupJobId is required')
    return jobOutput(ctx, 'backup', findJob(ctx, 'backup', id))
  },
  DescribeCopyJob(ctx, input) {
    const id = required(input, 'CopyJobId', 'MissingParameterValueException', 'CopyJobId is required')
    return { CopyJob: jobOutput(ctx, 'copy', findJob(ctx, 'copy', id)) }
  },
  DescribeRestoreJob(ctx, input) {
    const id = required(input, 'RestoreJobId', 'MissingParameterValueException', 'RestoreJobId is required')
    return jobOutput(ctx, 'restore', findJob(ctx, 'restore', id))
  },

  ListBackupJobs(ctx, input) {
    const extra: Filter[] = [...messageCategoryFilter(input)]
    const vault = str(input, 'ByBackupVaultName')
    if (vault !== undefined) extra.push((j) => j.BackupVaultName === vault)
    return list(ctx, input, 'backup', 'State', 'ByState', extra, 'BackupJobs')
  },
  ListCopyJobs(ctx, input) {
    const extra: Filter[] = [...messageCategoryFilter(input)]
    const dest = str(input, 'ByDestinationVaultArn')
    if (dest !== undefined) extra.push((j) => j.DestinationBackupVaultArn === dest)
    const source = str(input, 'BySourceRecoveryPointArn')
    if (source !== undefined) extra.push((j) => j.SourceRecoveryPointArn === source)
    return list(ctx, input, 'copy', 'State', 'ByState', extra, 'CopyJobs')
  },
  ListRestoreJobs(ctx, input) {
    const extra: Filter[] = []
    const plan = str(input, 'ByRestoreTestingPlanArn')
    if (plan !== undefined) extra.push((j) => (j.CreatedBy as { RestoreTestingPlanArn?: unknown } | undefined)?.RestoreTestingPlanArn === plan)
    return list(ctx, input, 'restore', 'Status', 'ByStatus', extra, 'RestoreJobs')
  },

  DescribeBackupVault(ctx, input) {
    const name = vaultParam(ctx, input)
    const v = ctx.model.vault(ctx.caller.accountId, ctx.region, name)
    if (!v) throw vaultNotFound(ctx, name)
    const recoveryPoints = ctx.model.recoveryPoints(ctx.caller.accountId, ctx.region).filter((r) => r.vaultName === name).length
    return {
      BackupVaultName: v.name,
      BackupVaultArn: ctx.model.vaultArn(ctx.caller.accountId, ctx.region, v.name),
      VaultType: v.vaultType ?? 'BACKUP_VAULT',
      VaultState: 'AVAILABLE',
      EncryptionKeyArn: v.encryptionKeyArn,
      CreationDate: DERIVED_CREATE_DATE,
      NumberOfRecoveryPoints: recoveryPoints,
      Locked: v.locked ?? false,
      MinRetentionDays: v.minRetentionDays,
      MaxRetentionDays: v.maxRetentionDays,
      LockDate: v.lockDate !== undefined ? new Date(v.lockDate) : undefined,
    }
  },

  GetBackupVaultAccessPolicy(ctx, input) {
    const name = vaultParam(ctx, input)
    const v = ctx.model.vault(ctx.caller.accountId, ctx.region, name)
    if (!v) throw vaultNotFound(ctx, name)
    // A vault without an access policy answers ResourceNotFoundException, not an empty policy.
    if (!v.accessPolicy) throw new AwsError('ResourceNotFoundException', `Backup vault ${name} does not have an access policy`)
    return { BackupVaultName: v.name, BackupVaultArn: ctx.model.vaultArn(ctx.caller.accountId, ctx.region, v.name), Policy: JSON.stringify(v.accessPolicy) }
  },

  DescribeRecoveryPoint(ctx, input) {
    const rp = findRecoveryPoint(ctx, input)
    const vault = ctx.model.vault(ctx.caller.accountId, ctx.region, rp.vaultName)
    return {
      RecoveryPointArn: rp.arn,
      BackupVaultName: rp.vaultName,
      BackupVaultArn: ctx.model.vaultArn(ctx.caller.accountId, ctx.region, rp.vaultName),
      ResourceArn: rp.resourceArn,
      ResourceType: rp.resourceType,
      Status: rp.status ?? 'COMPLETED',
      CreationDate: rp.creationDate !== undefined ? new Date(rp.creationDate) : undefined,
      EncryptionKeyArn: rp.encryptionKeyArn,
      IsEncrypted: rp.isEncrypted ?? true,
      VaultType: vault ? vault.vaultType ?? 'BACKUP_VAULT' : undefined,
    }
  },

  GetRecoveryPointRestoreMetadata(ctx, input) {
    const rp = findRecoveryPoint(ctx, input)
    return {
      BackupVaultArn: ctx.model.vaultArn(ctx.caller.accountId, ctx.region, rp.vaultName),
      RecoveryPointArn: rp.arn,
      RestoreMetadata: rp.restoreMetadata ?? {},
      ResourceType: rp.resourceType,
    }
  },

  DescribeGlobalSettings(ctx) {
    // "Returns an error if the account is not a member of an Organizations organization"
    // (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeGlobalSettings.html).
    // The settings are the organization's, set by its management account.
    const org = ctx.model.org
    if (!org || !ctx.model.isMember(ctx.caller.accountId)) {
      throw new AwsError('InvalidRequestException', 'This account is not a member of an AWS Organizations organization.')
    }
    return {
      GlobalSettings: { isCrossAccountBackupEnabled: String(org.backupSettings?.isCrossAccountBackupEnabled ?? false) },
      LastUpdateTime: DERIVED_CREATE_DATE,
    }
  },
}
