/**
 * The Evidence model: everything a diagnosis reads, gathered before any check
 * runs. It is plain JSON (no classes, no Dates: ISO strings), so a diagnosis can
 * be replayed from a saved evidence file and test fixtures are plain data.
 *
 * Every piece of evidence is an `Item<T>` in one of three states
 * (STYLE.md convention 2):
 *  - `read`       we read it; `value` holds it;
 *  - `absent`     AWS told us it does not exist (a fact: "no access policy",
 *                 "no such role", "account not in an organization");
 *  - `unreadable` we could not read it (AccessDenied, throttling past retries,
 *                 timeout...): `error` is the SDK error name, `call` the API call.
 * `gaps` in a diagnosis are derived from the unreadable items (see gaps.ts).
 *
 * This file is the interface between evidence collection (src/evidence/*) and
 * the diagnostic pipeline (diagnostics/*). Change it deliberately.
 */

export type Item<T> =
  | { state: 'read'; value: T }
  | { state: 'absent'; reason: string }
  | { state: 'unreadable'; error: string; call: string; message?: string; errorClass?: AwsErrorClass }
  /** Not collected because it did not apply or a prerequisite was missing (e.g. no role ARN on the job). */
  | { state: 'not-collected'; reason: string }

export type AwsErrorClass = 'not-found' | 'access-denied' | 'throttled' | 'timeout' | 'invalid' | 'unknown'

export type JobType = 'backup' | 'restore' | 'copy'

/** A policy document as parsed JSON (object). Kept raw: the evaluator parses and validates it. */
export type PolicyDocument = Record<string, unknown>

/** One job, normalised across DescribeBackupJob / DescribeCopyJob / DescribeRestoreJob. */
export interface JobEvidence {
  id: string
  type: JobType
  accountId: string
  region: string
  /** Backup/copy `State`, restore `Status`, upper case as AWS sends it. */
  state: string
  statusMessage: string | null
  /** Backup `MessageCategory` where present (e.g. "SUCCESS", "AccessDenied"). */
  messageCategory: string | null
  resourceType: string | null
  resourceArn: string | null
  iamRoleArn: string | null
  creationDate: string | null
  completionDate: string | null
  /** Backup: the target vault. Copy: the source vault. Restore: the vault of the recovery point when known. */
  backupVaultArn: string | null
  backupVaultName: string | null
  /** Copy only. */
  destinationBackupVaultArn: string | null
  /** Backup: the created recovery point (may be null). Copy: source RP. Restore: the RP being restored. */
  recoveryPointArn: string | null
  /** Copy only: destination RP if any. */
  destinationRecoveryPointArn: string | null
  /** Restore only: created resource, if any. */
  createdResourceArn: string | null
  /** Retention requested by the job's lifecycle, in days, when known (for vault lock checks). */
  lifecycle: { deleteAfterDays: number | null; moveToColdStorageAfterDays: number | null } | null
  /** The raw SDK output (dates as ISO strings), for the report and for anything not normalised. */
  raw: Record<string, unknown>
}

export interface NamedPolicy {
  /** Inline: the policy name. Managed: the policy ARN. */
  id: string
  name: string
  /** `inline` on the role, `aws-managed` (arn:aws:iam::aws:policy/...), or `customer-managed`. */
  kind: 'inline' | 'aws-managed' | 'customer-managed'
  versionId?: string
  document: PolicyDocument
}

export interface RoleEvidence {
  arn: string
  name: string
  path: string
  accountId: string
  roleId: string | null
  trustPolicy: PolicyDocument
  /** Inline policies; each readable or not independently. Keyed by policy name. */
  inlinePolicies: Item<Record<string, Item<NamedPolicy>>>
  /** Attached managed policies, keyed by policy ARN. */
  attachedPolicies: Item<Record<string, Item<NamedPolicy>>>
  /** Permissions boundary: absent when the role has none. */
  permissionsBoundary: Item<NamedPolicy>
  /** The boundary's ARN as GetRole names it, known even when its document cannot be read. */
  permissionsBoundaryArn?: string
  /** Role tags, if returned by GetRole (for aws:PrincipalTag). */
  tags: Record<string, string>
}

export interface VaultEvidence {
  arn: string
  name: string
  accountId: string
  region: string
  encryptionKeyArn: string | null
  vaultType: string | null
  locked: boolean
  minRetentionDays: number | null
  maxRetentionDays: number | null
  lockDate: string | null
  /** Vault access policy: absent when the vault has none. */
  accessPolicy: Item<PolicyDocument>
}

export interface RecoveryPointEvidence {
  arn: string
  vaultName: string
  accountId: string
  region: string
  resourceArn: string | null
  resourceType: string | null
  status: string | null
  isEncrypted: boolean
  encryptionKeyArn: string | null
  creationDate: string | null
  raw: Record<string, unknown>
}

export interface KeyEvidence {
  arn: string
  keyId: string
  accountId: string
  region: string
  /** `AWS` or `CUSTOMER`. */
  keyManager: string | null
  keyState: string | null
  enabled: boolean | null
  aliases: Item<string[]>
  /** The `default` key policy. */
  policy: Item<PolicyDocument>
}

export interface OrgPolicy {
  id: string
  name: string
  type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY'
  awsManaged: boolean
  document: PolicyDocument
}

/** One level of an account's organization path: the root, an OU, or the account itself. */
export interface OrgLevel {
  id: string
  type: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT'
  scps: Item<OrgPolicy[]>
  rcps: Item<OrgPolicy[]>
}

export interface AccountOrgEvidence {
  accountId: string
  /** Member of the organization (`absent` item at the account map level when not a member). */
  /** Path from the root down to the account itself: [root, ou..., account]. */
  path: Item<OrgLevel[]>
}

export interface OrganizationEvidence {
  id: string
  managementAccountId: string
  /** Every account involved in the job (job account, copy destination...), keyed by account id.
   *  `absent` = AWS says the account is not a member (AccountNotFoundException). */
  accounts: Record<string, Item<AccountOrgEvidence>>
}

export interface DecodedAuthorizationMessage {
  encoded: string
  decoded: Item<Record<string, unknown>>
}

export interface CollectionStats {
  awsCalls: number
  /** Longest chain of dependent AWS calls. */
  criticalPathDepth: number
  wallMs: number
  cacheHits: number
  cacheMisses: number
}

export interface Evidence {
  schemaVersion: 1
  /** The request as validated: job id, type if given, account and region the job lives in. */
  request: { jobId: string; jobType: JobType | null; accountId: string; region: string }
  collectedAt: string
  /** The account of the service's own credentials. */
  serviceAccountId: string | null
  job: Item<JobEvidence>
  /** The role the job names (IamRoleArn). */
  jobRole: Item<RoleEvidence>
  /** When the job names AWSBackupDefaultServiceRole: the same name at the other path
   *  (`/service-role/` vs `/`), read to tell DEFAULT_ROLE_WRONG_PATH from JOB_ROLE_NOT_FOUND. */
  alternateDefaultRole: Item<RoleEvidence>
  /** Roles a restore passes (e.g. the EC2 instance profile's role), keyed by role ARN. */
  passedRoles: Record<string, Item<RoleEvidence>>
  /** Restore metadata of the recovery point (restore jobs). */
  restoreMetadata: Item<Record<string, string>>
  /** The job's vault (backup: target; copy: source; restore: the recovery point's vault). */
  sourceVault: Item<VaultEvidence>
  /** Copy only: destination vault, read in the destination account and region. */
  destinationVault: Item<VaultEvidence>
  /** Restore/copy: the recovery point being restored or copied. */
  recoveryPoint: Item<RecoveryPointEvidence>
  /** Every KMS key involved, keyed by key ARN. */
  keys: Record<string, Item<KeyEvidence>>
  organization: Item<OrganizationEvidence>
  /** AWSServiceRoleForBackup in each account that needs it, keyed by account id. */
  serviceLinkedRoles: Record<string, Item<RoleEvidence>>
  /** DescribeGlobalSettings from the management account. */
  backupSettings: Item<{ isCrossAccountBackupEnabled: boolean | null; raw: Record<string, string> }>
  /** Encoded authorization messages found in the status message, decoded in the job's account. */
  authorizationMessages: DecodedAuthorizationMessage[]
  stats: CollectionStats
}
