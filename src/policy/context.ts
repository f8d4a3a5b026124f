/**
 * Request contexts for the calls AWS Backup makes with a job's IAM role, and for
 * the trust check (can backup.amazonaws.com assume the role?).
 *
 * Why this matters: a negated operator on a missing key matches (IAM User Guide,
 * Condition operators), so a vault policy "Deny unless aws:PrincipalOrgID = o-x"
 * denies a request whose context simply lacks the key. The builder therefore sets
 * every global key AWS sets for such a call (IAM User Guide, "AWS global condition
 * context keys"); docs/evaluator.md lists them and where that is uncertain.
 *
 * The job role is used as an assumed-role session
 * arn:aws:sts::ACCT:assumed-role/ROLE/SESSION; AWS Backup names the session
 * "AWSBackup-<role name>"-like (the exact name varies — policies should never
 * depend on it). aws:PrincipalArn is the ROLE ARN for a role session.
 */
import type { Principal, RequestContext } from './types.js'

export interface BackupJobContextInput {
  /** The account the job (and its role) runs in. */
  jobAccountId: string
  region: string
  /** arn:aws:iam::ACCT:role/[path/]NAME */
  roleArn: string
  /** Session name; default "AWSBackup-<role name>". */
  sessionName?: string
  /** The organization id of the job account, when known (never guessed). */
  orgId?: string | null
  /** aws:PrincipalOrgPaths, e.g. ["o-x/r-ab12/ou-ab12-11111111/"], when known. */
  orgPaths?: string[]
  /** Tags on the job role (aws:PrincipalTag/<key>). */
  principalTags?: Record<string, string>
  /** The resource the call targets; used only for aws:ResourceAccount when resourceAccount is absent. */
  resourceArn?: string
  /** Owner of the target resource; default: account parsed from resourceArn, else the job account. */
  resourceAccount?: string
  /** Organization of the target resource's account (aws:ResourceOrgID), when known. */
  resourceOrgId?: string | null
  /** aws:ResourceOrgPaths of the target resource's account, e.g. ["o-x/r-ab12/ou-ab12-11111111/"], when known. */
  resourceOrgPaths?: string[]
  /** Tags on the target resource (aws:ResourceTag/<key>). */
  resourceTags?: Record<string, string>
  /**
   * For KMS calls that another service makes on the role session's behalf
   * (EBS/RDS/... using the key during a snapshot or copy): that service's
   * endpoint name, e.g. "ec2.us-east-1.amazonaws.com" (kms:ViaService).
   */
  kmsViaService?: string
  /** kms:GrantIsForAWSResource for CreateGrant calls made through an integrated service. Default: true when kmsViaService is set. */
  kmsGrantIsForAWSResource?: boolean
  /** kms:EncryptionContextKeys of the KMS request, when known. */
  encryptionContextKeys?: string[]
  /** For iam:PassRole: the service the role is passed to (iam:PassedToService), e.g. "ec2.amazonaws.com". */
  passedToService?: string
  /** aws:CalledVia chain when known (forward access sessions only). */
  calledVia?: string[]
  /** aws:CurrentTime / aws:EpochTime; default now. */
  currentTime?: Date
  /** The role is a service-linked role (AWSServiceRoleForBackup): SCPs/RCPs do not apply. */
  isServiceLinkedRole?: boolean
  /** The job account is the organization's management account: SCPs do not apply. */
  inManagementAccount?: boolean
}

const ROLE_ARN_RE = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/

export function roleNameOf(roleArn: string): string {
  const m = ROLE_ARN_RE.exec(roleArn)
  return m === null ? roleArn.slice(roleArn.lastIndexOf('/') + 1) : (m[3] as string)
}

function accountOfArn(arn: string | undefined): string | null {
  if (arn === undefined) return null
  const parts = arn.split(':')
  return parts.length >= 6 && /^\d{12}$/.test(parts[4] ?? '') ? (parts[4] as string) : null
}

/** The job role's session as a principal. */
export function backupRoleSession(roleArn: string, jobAccountId: string, sessionName?: string, extra?: Pick<Principal, 'isServiceLinkedRole' | 'inManagementAccount'>): Principal {
  const m = ROLE_ARN_RE.exec(roleArn)
  const partition = m?.[1] ?? 'aws'
  const account = m?.[2] ?? jobAccountId
  const name = roleNameOf(roleArn)
  const session = sessionName ?? `AWSBackup-${name}`
  const p: Principal = {
    type: 'assumed-role',
    arn: `arn:${partition}:sts::${account}:assumed-role/${name}/${session}`,
    roleArn,
    accountId: account,
  }
  if (extra?.isServiceLinkedRole !== undefined) p.isServiceLinkedRole = extra.isServiceLinkedRole
  else if (/:role\/aws-service-role\//.test(roleArn)) p.isServiceLinkedRole = true
  if (extra?.inManagementAccount !== undefined) p.inManagementAccount = extra.inManagementAccount
  return p
}

export function buildBackupJobContext(input: BackupJobContextInput): { principal: Principal; context: RequestContext } {
  const extra: Pick<Principal, 'isServiceLinkedRole' | 'inManagementAccount'> = {}
  if (input.isServiceLinkedRole !== undefined) extra.isServiceLinkedRole = input.isServiceLinkedRole
  if (input.inManagementAccount !== undefined) extra.inManagementAccount = input.inManagementAccount
  const principal = backupRoleSession(input.roleArn, input.jobAccountId, input.sessionName, extra)
  const now = input.currentTime ?? new Date()
  const resourceAccount = input.resourceAccount ?? accountOfArn(input.resourceArn) ?? input.jobAccountId
  const ctx: RequestContext = {
    'aws:PrincipalArn': input.roleArn,
    'aws:PrincipalAccount': principal.accountId ?? input.jobAccountId,
    'aws:PrincipalType': 'AssumedRole',
    'aws:PrincipalIsAWSService': false,
    'aws:RequestedRegion': input.region,
    'aws:ResourceAccount': resourceAccount,
    'aws:SecureTransport': true,
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    // A role session: aws:username is not set; aws:userid is ROLEID:session (role id unknown here).
    // AWS Backup calls other services directly with the role session (not a forward access
    // session), so aws:ViaAWSService is false — except for the KMS calls an integrated
    // service (EBS, RDS, ...) makes on the session's behalf.
    'aws:ViaAWSService': input.kmsViaService !== undefined,
  }
  if (input.orgId != null) ctx['aws:PrincipalOrgID'] = input.orgId
  if (input.orgPaths !== undefined) ctx['aws:PrincipalOrgPaths'] = input.orgPaths
  if (input.resourceOrgId != null) ctx['aws:ResourceOrgID'] = input.resourceOrgId
  if (input.resourceOrgPaths !== undefined) ctx['aws:ResourceOrgPaths'] = input.resourceOrgPaths
  for (const [k, v] of Object.entries(input.principalTags ?? {})) ctx[`aws:PrincipalTag/${k}`] = v
  for (const [k, v] of Object.entries(input.resourceTags ?? {})) ctx[`aws:ResourceTag/${k}`] = v
  if (input.calledVia !== undefined && input.calledVia.length > 0) {
    ctx['aws:CalledVia'] = input.calledVia
    ctx['aws:CalledViaFirst'] = input.calledVia[0] as string
    ctx['aws:CalledViaLast'] = input.calledVia[input.calledVia.length - 1] as string
  }
  // KMS keys (AWS KMS Developer Guide, "Condition keys for AWS KMS").
  ctx['kms:CallerAccount'] = principal.accountId ?? input.jobAccountId
  if (input.kmsViaService !== undefined) {
    ctx['kms:ViaService'] = input.kmsViaService
    ctx['kms:GrantIsForAWSResource'] = input.kmsGrantIsForAWSResource ?? true
  } else if (input.kmsGrantIsForAWSResource !== undefined) ctx['kms:GrantIsForAWSResource'] = input.kmsGrantIsForAWSResource
  if (input.encryptionContextKeys !== undefined) ctx['kms:EncryptionContextKeys'] = input.encryptionContextKeys
  if (input.passedToService !== undefined) ctx['iam:PassedToService'] = input.passedToService
  return { principal, context: ctx }
}

export interface TrustRequestInput {
  roleArn: string
  jobAccountId: string
  region: string
  /** The ARN of the Backup resource on whose behalf the role is assumed (aws:SourceArn), when known. */
  sourceArn?: string
  /** The account on whose behalf AWS Backup acts; default the job account. */
  sourceAccount?: string
  /** The organization of the source account (aws:SourceOrgID), when known. */
  sourceOrgId?: string | null
  currentTime?: Date
}

/**
 * The request backup.amazonaws.com makes to assume the job role: principal the
 * service, action sts:AssumeRole, resource the role. AWS services set
 * aws:SourceAccount (and aws:SourceArn when a resource is involved) for the
 * confused-deputy protection (IAM User Guide, "The confused deputy problem").
 */
export function buildTrustRequest(input: TrustRequestInput): {
  principal: Principal
  action: string
  resource: string
  resourceAccount: string
  context: RequestContext
} {
  const now = input.currentTime ?? new Date()
  const ctx: RequestContext = {
    'aws:SourceAccount': input.sourceAccount ?? input.jobAccountId,
    'aws:PrincipalServiceName': 'backup.amazonaws.com',
    'aws:PrincipalIsAWSService': true,
    'aws:RequestedRegion': input.region,
    'aws:ResourceAccount': accountOfArn(input.roleArn) ?? input.jobAccountId,
    'aws:SecureTransport': true,
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
  }
  if (input.sourceArn !== undefined) ctx['aws:SourceArn'] = input.sourceArn
  if (input.sourceOrgId != null) ctx['aws:SourceOrgID'] = input.sourceOrgId
  return {
    principal: { type: 'service', arn: 'backup.amazonaws.com', accountId: null },
    action: 'sts:AssumeRole',
    resource: input.roleArn,
    resourceAccount: accountOfArn(input.roleArn) ?? input.jobAccountId,
    context: ctx,
  }
}
