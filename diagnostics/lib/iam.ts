/**
 * Builds evaluator inputs from evidence: the job role's policies as PolicyInputs,
 * the SCP/RCP levels of an account, and requests for the calls AWS Backup makes
 * with a principal. Every decision is made by src/policy (STYLE.md convention 5);
 * this file only assembles its inputs and never reads a policy's Statement.
 */
import type { Evidence, JobEvidence, OrgLevel, RoleEvidence } from '../../src/evidence/types.js'
import { buildBackupJobContext, matchStatements, tryParsePolicy } from '../../src/policy/index.js'
import type { EvalRequest, OrgLevelPolicies, PolicyInput, PolicyKind, PolicyParseErrorInfo, StatementRef } from '../../src/policy/index.js'
import { arnAccount, identityPolicyDocs, valueOf } from './evidence.js'
import { resourceFamily } from '../required-actions.js'
import { isRegion } from '../../src/validate.js'

export function identityInputs(role: RoleEvidence): PolicyInput[] {
  return identityPolicyDocs(role).map((p) => ({ kind: 'identity' as const, id: p.id, name: p.name, document: p.document }))
}

export function boundaryInput(role: RoleEvidence): PolicyInput | null {
  const b = valueOf(role.permissionsBoundary)
  return b ? { kind: 'boundary', id: b.id, name: b.name, document: b.document } : null
}

/** The levels (root → OUs → account) of an account's organization path as read; null when not read or in no organization. */
function pathLevels(evidence: Evidence, accountId: string): OrgLevel[] | null {
  const acct = valueOf(evidence.organization)?.accounts[accountId]
  const path = acct ? valueOf(acct) : null
  return path ? valueOf(path.path) : null
}

/** SCP or RCP levels (root → OUs → account) of an account; null when the account is in no organization or its path was not read. */
export function orgLevels(evidence: Evidence, accountId: string, kind: 'scps' | 'rcps'): OrgLevelPolicies[] | null {
  const levels = pathLevels(evidence, accountId)
  if (!levels) return null
  return levels.map((level) => ({
    levelId: level.id,
    policies: (valueOf(level[kind]) ?? []).map((p) => ({ kind: kind === 'scps' ? ('scp' as const) : ('rcp' as const), id: p.id, name: p.name, document: p.document })),
  }))
}

/** Ids of the levels on an account's path whose SCPs or RCPs could not be read. */
export function unreadOrgLevels(evidence: Evidence, accountId: string, kind: 'scps' | 'rcps'): Set<string> {
  return new Set((pathLevels(evidence, accountId) ?? []).filter((level) => level[kind].state !== 'read').map((level) => level.id))
}

export function orgId(evidence: Evidence): string | null {
  return valueOf(evidence.organization)?.id ?? null
}

/**
 * The organization an account belongs to, as the org condition keys carry it
 * (aws:PrincipalOrgID for a principal of the account, aws:ResourceOrgID for a
 * resource it owns): the organization's id unless the evidence says the account
 * is not a member (ListParents on it answered ChildNotFoundException). AWS sets neither key
 * for an account outside any organization (IAM User Guide, "AWS global condition
 * context keys").
 */
export function accountOrgId(evidence: Evidence, accountId: string): string | null {
  const org = valueOf(evidence.organization)
  if (!org) return null
  return org.accounts[accountId]?.state === 'absent' ? null : org.id
}

/**
 * aws:PrincipalOrgPaths / aws:ResourceOrgPaths of an account: the path from the
 * organization through the root and every OU to the account's parent, ending in
 * "/" ("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/", IAM User Guide,
 * "AWS global condition context keys"); undefined when the path was not read.
 */
export function accountOrgPaths(evidence: Evidence, accountId: string): string[] | undefined {
  const org = valueOf(evidence.organization)
  const member = org?.accounts[accountId]
  const levels = member?.state === 'read' ? valueOf(member.value.path) : null
  if (!org || !levels) return undefined
  const parents = levels.filter((l) => l.type !== 'ACCOUNT').map((l) => l.id)
  return parents.length > 0 ? [`${org.id}/${parents.join('/')}/`] : undefined
}

export function isManagementAccount(evidence: Evidence, accountId: string): boolean {
  return valueOf(evidence.organization)?.managementAccountId === accountId
}

/** The service endpoint that uses KMS on the job's behalf (kms:ViaService), by resource type. */
export function kmsViaServiceFor(job: JobEvidence): string {
  const svc: Record<string, string> = {
    EBS: 'ec2', EC2: 'ec2', RDS: 'rds', 'RDS-CLUSTER': 'rds', DynamoDB: 'dynamodb', EFS: 'elasticfilesystem',
    S3: 's3', FSx: 'fsx', Redshift: 'redshift',
  }
  const family = resourceFamily(job.resourceType, job.resourceArn)
  return `${(family && svc[family]) ?? 'backup'}.${job.region}.amazonaws.com`
}

export interface CallOptions {
  kmsViaService?: string
  passedToService?: string
  resourceAccount?: string
}

/** A call the given role makes as AWS Backup's session of it (the job role, or a service-linked role). */
/** The region of a regional ARN (arn:partition:service:REGION:account:...), else null. */
function arnRegion(arn: string): string | null {
  const region = arn.startsWith('arn:') ? arn.split(':')[3] : undefined
  return region && isRegion(region) ? region : null
}

export function roleCall(evidence: Evidence, job: JobEvidence, roleArn: string, action: string, resource: string, opts: CallOptions = {}): EvalRequest {
  const accountId = arnAccount(roleArn) ?? job.accountId
  const role = valueOf(evidence.jobRole)
  const isJobRole = role !== null && role.arn === roleArn
  const resourceAccount = opts.resourceAccount ?? arnAccount(resource) ?? job.accountId
  const orgPaths = accountOrgPaths(evidence, accountId)
  const resourceOrgPaths = accountOrgPaths(evidence, resourceAccount)
  const { principal, context } = buildBackupJobContext({
    jobAccountId: accountId,
    // aws:RequestedRegion is the region of the endpoint called: a call on a regional resource (a
    // copy's destination vault in another region, its key) goes to that resource's region.
    region: arnRegion(resource) ?? job.region,
    roleArn,
    // The organization keys of the principal's and the resource's accounts, as AWS sets them for
    // every request of an organization member: data-perimeter policies ("Deny unless
    // aws:ResourceOrgID = ${aws:PrincipalOrgID}", OrgPaths allow-lists) hinge on them.
    orgId: accountOrgId(evidence, accountId),
    ...(orgPaths ? { orgPaths } : {}),
    resourceOrgId: accountOrgId(evidence, resourceAccount),
    ...(resourceOrgPaths ? { resourceOrgPaths } : {}),
    principalTags: isJobRole ? role.tags : {},
    resourceArn: resource === '*' ? undefined : resource,
    resourceAccount,
    kmsViaService: opts.kmsViaService,
    passedToService: opts.passedToService,
    inManagementAccount: isManagementAccount(evidence, accountId),
    currentTime: job.creationDate ? new Date(job.creationDate) : undefined,
  })
  return { principal, action, resource, resourceAccount, context }
}

export interface Votes {
  allows: StatementRef[]
  denies: StatementRef[]
  missingContextKeys: string[]
  parseErrors: PolicyParseErrorInfo[]
}

/** The statements of several policies that apply to a request; malformed policies are reported, never evaluated. */
export function votes(policies: readonly PolicyInput[], request: EvalRequest, levelId?: string): Votes {
  const out: Votes = { allows: [], denies: [], missingContextKeys: [], parseErrors: [] }
  for (const p of policies) {
    const parsed = tryParsePolicy(p)
    if (!parsed.ok) {
      out.parseErrors.push(parsed.error)
      continue
    }
    const m = matchStatements(parsed.policy, request)
    const tag = (r: StatementRef): StatementRef => (levelId !== undefined ? { ...r, levelId } : r)
    out.allows.push(...m.allows.map(tag))
    out.denies.push(...m.denies.map(tag))
    out.missingContextKeys.push(...m.missingContextKeys)
  }
  out.missingContextKeys = [...new Set(out.missingContextKeys)]
  return out
}

export function policyInput(kind: PolicyKind, id: string, document: unknown, name?: string): PolicyInput {
  return name === undefined ? { kind, id, document } : { kind, id, name, document }
}

/** A statement pointer for a finding (root-causes.md: Sid when present, otherwise the zero-based index). */
export function pointer(ref: StatementRef) {
  return { kind: ref.policyKind, id: ref.policyId, statement: ref.statement }
}
