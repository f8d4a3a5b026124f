/**
 * collectEvidence(): everything a diagnosis reads, gathered before any check
 * runs (STYLE.md convention 1), along the real dependencies and in parallel:
 *
 *   identity ─┬─▶ DescribeOrganization (own credentials) ─▶ the job account's path: ListParents hops,
 *             │        each level ─▶ SCPs ∥ RCPs ─▶ documents; Backup global settings (management account)
 *             └─▶ job ─┬─▶ destination vault (copy, destination account/region) ─▶ key; its org path
 *                      ├─▶ DecodeAuthorizationMessage ─▶ roles the message says were passed
 *                      ├─▶ role (GetRole ∥ ListRolePolicies ∥ ListAttachedRolePolicies) ─▶ documents
 *                      ├─▶ source vault ∥ access policy ─▶ key
 *                      ├─▶ recovery point (copy/restore) ─▶ key;  restore metadata ─▶ instance profile role
 *                      └─▶ AWSServiceRoleForBackup (job account; copy destination account)
 *
 * Only the job decides whether there is a diagnosis at all: it throws AppError
 * when the job cannot be had (not found, throttled, timed out, unusable answer,
 * malformed input). Everything after the job is an Item: read, absent or
 * unreadable — an AccessDenied on the service's own read never aborts.
 */
import { AppError } from '../errors.js'
import { isAccountId, isJobId, isRegion } from '../validate.js'
import { newScope, partitionOf } from '../aws/context.js'
import type { AwsContext } from '../aws/context.js'
import type { AwsCallError } from '../aws/errors.js'
import { parseRoleArn, parseVaultArn } from './arn.js'
import { readGlobalSettings, readRecoveryPoint, readRestoreMetadata, readVault } from './backup.js'
import { Flow, absent, notCollected, read, unreadable } from './flow.js'
import type { Chain } from './flow.js'
import type { OrgDescription } from './organizations.js'
import { readRole } from './iam.js'
import { JOB_TYPES, findJob, findJobAccountOrgWide } from './job.js'
import type { FindOutcome } from './job.js'
import { readKey } from './kms.js'
import { describeOrganization, readAccountOrg } from './organizations.js'
import { decodeMessages, passRoleTargets } from './sts.js'
import type {
  AccountOrgEvidence, DecodedAuthorizationMessage, Evidence, Item, JobEvidence, JobType, KeyEvidence,
  OrganizationEvidence, RecoveryPointEvidence, RoleEvidence, VaultEvidence,
} from './types.js'

export interface JobRef {
  jobId: string
  jobType?: JobType
  accountId?: string
  region?: string
}

export interface CollectOptions {
  /** Overall deadline for the collection (default 20 000 ms): reads still pending then become unreadable (timeout). */
  deadlineMs?: number
}

export const DEFAULT_ROLE_NAME = 'AWSBackupDefaultServiceRole'
export const SERVICE_LINKED_ROLE_NAME = 'AWSServiceRoleForBackup'
/** Seconds a caller should wait after AWS throttled the job read past the SDK's retries. */
const THROTTLED_RETRY_AFTER_S = 5

function validate(ref: JobRef): void {
  if (!isJobId(ref.jobId)) throw new AppError('BAD_REQUEST', 'jobId is not a well-formed AWS Backup job id')
  if (ref.jobType !== undefined && !JOB_TYPES.includes(ref.jobType)) throw new AppError('BAD_REQUEST', 'jobType must be backup, restore or copy')
  if (ref.accountId !== undefined && !isAccountId(ref.accountId)) throw new AppError('BAD_REQUEST', 'accountId must be 12 digits')
  if (ref.region !== undefined && !isRegion(ref.region)) throw new AppError('BAD_REQUEST', 'region is not an AWS region name')
}

export async function collectEvidence(ref: JobRef, ctx: AwsContext, opts: CollectOptions = {}): Promise<Evidence> {
  validate(ref)
  const now = ctx.config.now ?? Date.now
  const started = now()
  const scope = newScope(ctx.currentScope(), started + (opts.deadlineMs ?? 20_000))
  const flow = new Flow(ctx)
  let evidence: Evidence
  try {
    evidence = await ctx.inScope(scope, () => collect(ref, flow))
  } finally {
    await flow.close()
  }
  evidence.stats = {
    awsCalls: scope.calls,
    criticalPathDepth: flow.maxDepth,
    wallMs: Math.max(0, now() - started),
    cacheHits: scope.cacheHits,
    cacheMisses: scope.cacheMisses,
  }
  return evidence
}

/** What the job read maps to when no describe answered. */
function failure(errors: AwsCallError[], what: string): AppError | AwsCallError {
  const first = (cls: string) => errors.find((e) => e.errorClass === cls)
  const throttled = first('throttled')
  if (throttled) return new AppError('AWS_THROTTLED', `AWS throttled ${throttled.call} past the SDK's retries while reading ${what}`, { retryAfter: THROTTLED_RETRY_AFTER_S, cause: throttled })
  const timeout = first('timeout')
  if (timeout) return new AppError('AWS_TIMEOUT', `AWS did not answer ${timeout.call} in time while reading ${what}`, { cause: timeout })
  // Access denied: the service may not read the job. That is evidence (a gap), not a malfunction.
  const denied = first('access-denied')
  if (denied) return denied
  const other = errors[0]
  return new AppError('AWS_BAD_RESPONSE', `AWS answered ${other?.call ?? 'the job read'} in a way the service cannot use (${other?.errorName ?? 'unknown'})`, { cause: other })
}

function emptyEvidence(request: Evidence['request'], serviceAccountId: string | null, job: Item<JobEvidence>): Evidence {
  const why = job.state === 'read' ? 'not applicable' : 'the job could not be read'
  return {
    schemaVersion: 1,
    request,
    collectedAt: new Date().toISOString(),
    serviceAccountId,
    job,
    jobRole: notCollected(why),
    alternateDefaultRole: notCollected(why),
    passedRoles: {},
    restoreMetadata: notCollected(why),
    sourceVault: notCollected(why),
    destinationVault: notCollected(why),
    recoveryPoint: notCollected(why),
    keys: {},
    organization: notCollected(why),
    serviceLinkedRoles: {},
    backupSettings: notCollected(why),
    authorizationMessages: [],
    stats: { awsCalls: 0, criticalPathDepth: 0, wallMs: 0, cacheHits: 0, cacheMisses: 0 },
  }
}

async function collect(ref: JobRef, flow: Flow): Promise<Evidence> {
  const c = flow.chain()
  const ctx = flow.ctx
  const region = ref.region ?? ctx.config.defaultRegion
  const types = ref.jobType ? [ref.jobType] : JOB_TYPES

  let serviceAccountId: string | null = null
  let identityError: AwsCallError | undefined
  try {
    serviceAccountId = (await c.run(() => ctx.serviceIdentity())).accountId
  } catch (e) {
    identityError = e as AwsCallError
  }
  const accountId = ref.accountId ?? serviceAccountId
  const request: Evidence['request'] = { jobId: ref.jobId, jobType: ref.jobType ?? null, accountId: accountId ?? '', region }
  if (accountId === null) {
    const f = failure([identityError!], 'the service identity')
    if (f instanceof AppError) throw f
    return emptyEvidence(request, null, unreadable(f))
  }

  // The organization of the job's account needs only the account id: read it (path, SCPs, RCPs,
  // Backup settings) in parallel with the describes rather than after them. It also says whether
  // the service runs in the management account, which the org-wide job search below needs.
  // The job's chain leaves first: its AssumeRole's answer then comes back before the
  // organization's, and the describes go out without waiting behind the org reads' sends.
  const orgs = new OrgReader(c.fork(), serviceAccountId, region)
  const finding = findJob(c, ref.jobId, types, accountId, region)
  await onTheWire(finding)
  orgs.start(accountId)
  // The job account's clients are built while the AssumeRole into it is in flight, once the calls are out.
  setImmediate(() => ctx.prepare(accountId, region))
  let outcome: FindOutcome = await finding
  if (outcome.kind === 'not-found' && ref.accountId === undefined && serviceAccountId !== null) {
    const org = await describeOrganization(orgs.chain.fork(), serviceAccountId)
    if (org.state === 'read' && org.value.managementAccountId === accountId) {
      const where = await findJobAccountOrgWide(c, ref.jobId, types, accountId, region)
      if (where !== null) {
        outcome = await findJob(c, ref.jobId, [where.type], where.accountId, region)
        request.accountId = where.accountId
      }
    }
  }
  if (outcome.kind === 'not-found') {
    throw new AppError('JOB_NOT_FOUND', `no ${ref.jobType ?? 'backup, copy or restore'} job ${ref.jobId} in account ${accountId} region ${region}`)
  }
  if (outcome.kind === 'failed') {
    const f = failure(outcome.errors, `job ${ref.jobId}`)
    if (f instanceof AppError) throw f
    return emptyEvidence(request, serviceAccountId, unreadable(f))
  }
  return collectAround(c, outcome.job, request, serviceAccountId, orgs)
}

/**
 * Resolves once the calls started so far have been handed to their sockets: signing and sending
 * run in promise jobs and process ticks, which all finish before the event loop's check phase.
 * `started` are the promises begun before the wait: they are awaited later, and a rejection in
 * between must not count as unhandled.
 */
function onTheWire(...started: Promise<unknown>[]): Promise<void> {
  for (const p of started) p.catch(() => undefined)
  return new Promise((resolve) => setImmediate(resolve))
}

async function collectAround(c: Chain, job: JobEvidence, request: Evidence['request'], serviceAccountId: string | null, orgs: OrgReader): Promise<Evidence> {
  const acct = job.accountId
  const region = job.region
  const partition = partitionOf(region)
  const dest = job.type === 'copy' ? parseVaultArn(job.destinationBackupVaultArn) : null
  const involved = [acct, ...(dest !== null && dest.accountId !== acct ? [dest.accountId] : [])]

  const keys = new Map<string, Promise<Item<KeyEvidence>>>()
  const key = (from: Chain, arn: string | null) => {
    if (arn === null || keys.has(arn)) return
    keys.set(arn, readKey(from, arn))
  }
  const vaultThenKey = async (from: Chain, p: Promise<Item<VaultEvidence>>) => {
    const v = await p
    if (v.state === 'read') key(from, v.value.encryptionKeyArn)
    return v
  }

  // Roles passed by a restore, by account|name (the instance profile gives a name, a decoded message an ARN).
  const passed = new Map<string, { arn: string; p: Promise<Item<RoleEvidence>> }>()
  const pass = (from: Chain, accountId: string, name: string, arn: string) => {
    const k = `${accountId}|${name}`
    if (!passed.has(k)) passed.set(k, { arn, p: readRole(from, accountId, name) })
  }

  const branches: Chain[] = []
  const branch = () => {
    const f = c.fork()
    branches.push(f)
    return f
  }

  // Branches are started longest expected chain first: calls leave (and their answers come back)
  // in the order they are made, so the calls that later ones wait on go out first.
  // 1. A copy's destination vault, in the destination account and region.
  const fdv = branch()
  const destVaultP: Promise<Item<VaultEvidence>> = job.type !== 'copy'
    ? Promise.resolve(notCollected('only copy jobs have a destination vault'))
    : dest === null
      ? Promise.resolve(notCollected('the copy job names no valid destination vault ARN'))
      : vaultThenKey(fdv, readVault(fdv, dest.accountId, dest.region, dest.name))

  // 2. The job role, and when it is the default role, the information to tell a wrong path from a
  //    missing role: its managed policies are three round trips deep (list, policy, version).
  const rolesP = readJobRoles(branch(), job)

  // The two longest chains' first calls go on the wire before anything else starts. Every call
  // costs the process CPU to sign and send, and again to read its answer; started together, the
  // critical ones would leave behind a dozen leaf reads and their answers queue behind those
  // leaves' answers (a cross-account copy lost 15-20 ms per collection this way at 25 ms a call).
  await onTheWire(destVaultP, rolesP)

  // 3. Organization, membership and policies of every involved account (the job account's read
  //    started before the job was found); Backup global settings.
  const orgP = orgs.evidence(branch(), acct, involved)

  // 4. Encoded authorization messages, and the roles they say were to be passed.
  const fm = branch()
  const messagesP: Promise<DecodedAuthorizationMessage[]> = decodeMessages(fm, acct, region, job.statusMessage).then((ms) => {
    for (const arn of passRoleTargets(ms)) {
      const r = parseRoleArn(arn)
      if (r !== null) pass(fm, r.accountId, r.name, arn)
    }
    return ms
  })

  // 5. The job's vault: backup target, copy source, the restored recovery point's vault.
  const srcVaultRef = parseVaultArn(job.backupVaultArn) ?? (job.backupVaultName ? { accountId: acct, region, name: job.backupVaultName } : null)
  const fsv = branch()
  const sourceVaultP: Promise<Item<VaultEvidence>> = srcVaultRef
    ? vaultThenKey(fsv, readVault(fsv, srcVaultRef.accountId, srcVaultRef.region, srcVaultRef.name))
    : Promise.resolve(notCollected(job.type === 'restore' ? 'the restore job names no backup vault' : 'the job names no backup vault'))

  // 6. The recovery point being copied or restored, and a restore's metadata.
  const frp = branch()
  // A backup job's recovery point is what it created (or began to): read when the job names one,
  // for its encryption key — an EBS, RDS or EC2 backup keeps its source's key, which no vault shows.
  const rpWhere = srcVaultRef !== null && job.recoveryPointArn !== null ? { ...srcVaultRef, arn: job.recoveryPointArn } : null
  const recoveryPointP: Promise<Item<RecoveryPointEvidence>> = rpWhere === null
      ? Promise.resolve(notCollected(job.type === 'backup' ? 'the backup job names no recovery point' : 'the job names no recovery point and vault'))
      : readRecoveryPoint(frp, rpWhere.accountId, rpWhere.region, rpWhere.name, rpWhere.arn).then((rp) => {
        if (rp.state === 'read') key(frp, rp.value.encryptionKeyArn)
        return rp
      })
  const frm = branch()
  const restoreMetadataP: Promise<Item<Record<string, string>>> = job.type !== 'restore'
    ? Promise.resolve(notCollected('only restore jobs have restore metadata'))
    : rpWhere === null
      ? Promise.resolve(notCollected('the job names no recovery point and vault'))
      : readRestoreMetadata(frm, rpWhere.accountId, rpWhere.region, rpWhere.name, rpWhere.arn).then((m) => {
        // The instance profile is usually named like its role; iam:GetInstanceProfile would say for sure.
        const profile = m.state === 'read' ? m.value.IamInstanceProfileName : undefined
        if (profile && /^[\w+=,.@-]{1,128}$/.test(profile)) pass(frm, acct, profile, `arn:${partition}:iam::${acct}:role/${profile}`)
        return m
      })

  // 7. The service-linked role in each account that needs it.
  const slrForks = involved.map(() => branch())
  // Its existence is what the checks need: AWS defines its permissions, so its policies are not read.
  const slrP = Promise.all(involved.map((a, i) => readRole(slrForks[i]!, a, SERVICE_LINKED_ROLE_NAME, { policies: false })))

  // Likewise the destination account's clients, while its AssumeRole is in flight.
  if (dest !== null) setImmediate(() => c.ctx.prepare(dest.accountId, dest.region))

  const [roles, sourceVault, destinationVault, recoveryPoint, restoreMetadata, org, slrs, authorizationMessages] =
    await Promise.all([rolesP, sourceVaultP, destVaultP, recoveryPointP, restoreMetadataP, orgP, slrP, messagesP])
  // Keys and passed roles were started by the branches above; every one is started by now.
  const keyEntries = await Promise.all([...keys].map(async ([arn, p]) => [arn, await p] as const))
  const passedEntries = await Promise.all([...passed.values()].map(async ({ arn, p }) => {
    const r = await p
    return [r.state === 'read' ? r.value.arn : arn, r] as const
  }))
  c.join(...branches, orgs.chain)

  const e = emptyEvidence(request, serviceAccountId, read(job))
  e.jobRole = roles.jobRole
  e.alternateDefaultRole = roles.alternateDefaultRole
  e.passedRoles = Object.fromEntries(passedEntries)
  e.restoreMetadata = restoreMetadata
  e.sourceVault = sourceVault
  e.destinationVault = destinationVault
  e.recoveryPoint = recoveryPoint
  e.keys = Object.fromEntries(keyEntries)
  e.organization = org.organization
  e.backupSettings = org.backupSettings
  e.serviceLinkedRoles = Object.fromEntries(involved.map((a, i) => [a, slrs[i]!]))
  e.authorizationMessages = authorizationMessages
  return e
}

const OTHER_DEFAULT_PATH: Record<string, string> = { '/': '/service-role/', '/service-role/': '/' }

/**
 * The job role. IAM role names are unique in an account whatever their path
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html),
 * so one GetRole by name answers both "does the named role exist" and "does the
 * default role exist at the other path": a role found at another path than the
 * job's ARN says is not the job's role (AWS Backup cannot assume the named ARN).
 */
async function readJobRoles(c: Chain, job: JobEvidence): Promise<{ jobRole: Item<RoleEvidence>; alternateDefaultRole: Item<RoleEvidence> }> {
  if (job.iamRoleArn === null) {
    return { jobRole: notCollected('the job names no IAM role'), alternateDefaultRole: notCollected('the job names no IAM role') }
  }
  const r = parseRoleArn(job.iamRoleArn)
  if (r === null) {
    return { jobRole: absent(`the job's IamRoleArn is not an IAM role ARN: ${job.iamRoleArn}`), alternateDefaultRole: notCollected('the job names no IAM role') }
  }
  const isDefault = r.name === DEFAULT_ROLE_NAME
  const byName = await readRole(c, r.accountId, r.name)
  const notDefault = notCollected<RoleEvidence>('the job does not name AWSBackupDefaultServiceRole')
  if (byName.state !== 'read') {
    return {
      jobRole: byName,
      alternateDefaultRole: !isDefault ? notDefault
        : byName.state === 'absent' ? absent(`no role named ${r.name} at any path in account ${r.accountId}`) : byName,
    }
  }
  if (byName.value.path === r.path) {
    return {
      jobRole: byName,
      alternateDefaultRole: isDefault ? absent(`role names are unique: no ${r.name} at path ${OTHER_DEFAULT_PATH[r.path] ?? 'another path'}`) : notDefault,
    }
  }
  return {
    jobRole: absent(`no role ${job.iamRoleArn}: the role named ${r.name} has path ${byName.value.path} (${byName.value.arn})`),
    alternateDefaultRole: isDefault ? byName : notDefault,
  }
}

/**
 * The organization evidence of a collection. The job account's organization is
 * asked first through the service's own account (DescribeOrganization needs no
 * AssumeRole there, and the service normally runs in the same organization as
 * the jobs it diagnoses); the management account then answers for the job
 * account's path, and ListParents' ChildNotFoundException says the account is
 * not a member of that organization, in which case the job account's own
 * DescribeOrganization (through the reader role) says which organization, if
 * any, it is in. Every read is single-flight and cached, so starting an
 * account's read early (before the job is found) costs nothing twice.
 */
class OrgReader {
  readonly #accounts = new Map<string, Promise<{ d: Item<OrgDescription>; acct?: Item<AccountOrgEvidence> }>>()
  readonly #settings = new Map<string, Promise<Evidence['backupSettings']>>()
  constructor(readonly chain: Chain, readonly own: string | null, readonly region: string) {}

  /** Starts reading `accountId`'s organization, path and policies (and the organization's Backup settings). */
  start(accountId: string, from: Chain = this.chain): void {
    if (!this.#accounts.has(accountId)) this.#accounts.set(accountId, this.#read(from.fork(), accountId))
  }

  /** The organization's Backup settings, read once; `from` is the chain that learnt `mgmt` (for the depth). */
  #settingsOf(mgmt: string, from: Chain): Promise<Evidence['backupSettings']> {
    let p = this.#settings.get(mgmt)
    if (p === undefined) {
      p = readGlobalSettings(from.fork(), mgmt, this.region)
      this.#settings.set(mgmt, p)
    }
    return p
  }

  async #read(c: Chain, accountId: string): Promise<{ d: Item<OrgDescription>; acct?: Item<AccountOrgEvidence> }> {
    let viaOwn: Item<OrgDescription> | undefined
    if (this.own !== null) {
      viaOwn = await describeOrganization(c, this.own)
      if (viaOwn.state === 'read') {
        void this.#settingsOf(viaOwn.value.managementAccountId, c)
        const acct = await readAccountOrg(c, viaOwn.value.managementAccountId, accountId)
        if (acct.state !== 'absent' || accountId === this.own) return { d: viaOwn, acct }
      } else if (accountId === this.own) {
        return { d: viaOwn }
      }
    }
    // Not a member of the service's organization (or the service is in none): ask the account itself.
    const d = await describeOrganization(c, accountId)
    if (d.state !== 'read') return { d }
    if (viaOwn?.state === 'read' && viaOwn.value.id === d.value.id) {
      return { d, acct: absent(`account ${accountId} is not a member of organization ${d.value.id}`) }
    }
    void this.#settingsOf(d.value.managementAccountId, c)
    return { d, acct: await readAccountOrg(c, d.value.managementAccountId, accountId) }
  }

  /** The organization evidence for a job in `jobAccount` involving `involved` accounts, and the Backup settings. */
  async evidence(from: Chain, jobAccount: string, involved: string[]): Promise<{
    organization: Item<OrganizationEvidence>
    backupSettings: Evidence['backupSettings']
  }> {
    this.start(jobAccount, from)
    // Other accounts (a copy's destination): membership and path in the job's organization. That is
    // the service's organization unless the job account turns out not to be in it: start with it.
    const others = involved.filter((a) => a !== jobAccount)
    const readOthers = (mgmt: string) => {
      const forks = others.map(() => from.fork())
      return Promise.all(others.map((a, i) => readAccountOrg(forks[i]!, mgmt, a))).finally(() => from.join(...forks))
    }
    const own = this.own !== null && others.length > 0 ? await describeOrganization(from.fork(), this.own) : undefined
    const guess = own?.state === 'read' ? own.value.managementAccountId : undefined
    const othersGuessP = guess !== undefined ? readOthers(guess) : undefined
    const job = await this.#accounts.get(jobAccount)!
    if (job.d.state !== 'read') {
      if (othersGuessP !== undefined) await othersGuessP
      const why = job.d.state === 'absent' ? 'the job account is not in an organization' : 'the organization could not be read'
      return { organization: job.d, backupSettings: notCollected(why) }
    }
    const { id, managementAccountId: mgmt } = job.d.value
    if (othersGuessP !== undefined && guess !== mgmt) await othersGuessP
    const [settings, accounts] = await Promise.all([
      this.#settingsOf(mgmt, from),
      othersGuessP !== undefined && guess === mgmt ? othersGuessP : readOthers(mgmt),
    ])
    const byAccount: Record<string, Item<AccountOrgEvidence>> = {
      [jobAccount]: job.acct ?? absent(`account ${jobAccount} is not a member of organization ${id}`),
      ...Object.fromEntries(others.map((a, i) => [a, accounts[i]!])),
    }
    return { organization: read({ id, managementAccountId: mgmt, accounts: byAccount }), backupSettings: settings }
  }
}
