/**
 * Reads a job's StatusMessage for HINTS: which action, resource, principal and
 * policy type IAM's access-denied text names, and which root-cause codes known
 * AWS Backup messages point to. The message never decides a verdict on its own
 * when evidence can: verdict.ts uses it to pick among failing findings and to
 * raise or lower confidence.
 *
 * IAM's access-denied grammar ("Troubleshoot access denied error messages",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html):
 *   User: ARN is not authorized to perform: ACTION [on resource: ARN]
 *     because no identity-based policy allows the ACTION action
 *     | because no permissions boundary allows ... | because no session policy allows ...
 *     | because no resource-based policy allows ... | because no VPC endpoint policy allows ...
 *     | because no service control policy allows ... | because no resource control policy allows ...
 *     | with an explicit deny in a(n) identity-based policy | permissions boundary | service control policy
 *       | resource control policy | resource-based policy | session policy | VPC endpoint policy
 * Encoded authorization failure messages are decoded by evidence collection
 * (sts:DecodeAuthorizationMessage) and read here from their `context`.
 *
 * The other patterns come from ../shared/aws-data/failure-messages.jsonl (AWS
 * documentation: "Reasons for problematic jobs" in backup-dashboards.html, the
 * troubleshooting guide, EventBridge example events, and field reports). A message
 * no rule knows is `unrecognised`: the verdict then rests on evidence alone.
 */
import type { JobType } from '../src/evidence/types.js'

export type HintKind = 'none' | 'success' | 'access-denied' | 'non-permission' | 'unrecognised'
export type HintPolicyType = 'identity' | 'boundary' | 'session' | 'resource' | 'vpc-endpoint' | 'scp' | 'rcp'

export interface MessageHint {
  kind: HintKind
  /** Id of the rule that matched, for findings and tests. */
  ruleId: string | null
  /** Candidate codes, most likely first; empty when the message names no specific cause. */
  codes: string[]
  /** `strong`: the text itself states the cause. `weak`: it fits several causes or is not the job role's own failure. */
  strength: 'strong' | 'weak' | 'none'
  action: string | null
  resource: string | null
  principal: string | null
  policyType: HintPolicyType | null
  explicitDeny: boolean | null
  /** The encoded authorization failure message, when the text carries one. */
  encoded: string | null
}

export interface ClassifyInput {
  message: string | null
  jobType: JobType
  resourceType: string | null
  /** Decoded authorization messages (sts:DecodeAuthorizationMessage output) for the encoded text in the message. */
  decoded?: readonly Record<string, unknown>[]
}

const EMPTY: MessageHint = {
  kind: 'none', ruleId: null, codes: [], strength: 'none', action: null, resource: null,
  principal: null, policyType: null, explicitDeny: null, encoded: null,
}

const IAM_DENIED =
  /(?:User|Principal):\s*(\S+?)\s+is not authorized to perform:\s*([\w-]+:[\w*]+)(?:\s+on resource:\s*(.+?))?(?:\s+(?:because|with)\s+(.*?))?\.?\s*$/i

const POLICY_PHRASES: ReadonlyArray<[RegExp, HintPolicyType]> = [
  [/identity-based polic/i, 'identity'],
  [/permissions? boundar/i, 'boundary'],
  [/session polic/i, 'session'],
  [/VPC endpoint polic/i, 'vpc-endpoint'],
  [/service control polic/i, 'scp'],
  [/resource control polic/i, 'rcp'],
  [/resource-based polic/i, 'resource'],
]

const ENCODED = /Encoded authorization failure message:\s*([A-Za-z0-9+/=_-]{8,})/i

interface Rule {
  id: string
  test: RegExp
  kind: Exclude<HintKind, 'none' | 'unrecognised'>
  codes: (input: ClassifyInput) => string[]
  strength?: 'strong' | 'weak'
}

const c = (...codes: string[]) => () => codes

/**
 * Ordered: the first matching rule wins, so specific texts come before the
 * general ones that also match them (quota before concurrency, vault/key "does
 * not exist" before a resource's).
 */
const RULES: readonly Rule[] = [
  { id: 'completed-successfully', kind: 'success', test: /\bcompleted successfully\b|your backup succeeded/i, codes: c('JOB_NOT_FAILED') },
  { id: 'stopped-by-user', kind: 'non-permission', test: /stopped by (?:the )?user|job was (?:stopped|cancell?ed) by/i, codes: c('STOPPED_BY_USER') },
  { id: 'role-cannot-be-assumed', kind: 'access-denied', test: /role .* cannot be assumed by AWS Backup|unable to assume (?:the )?role|not authorized to perform:\s*sts:AssumeRole/i,
    codes: c('TRUST_POLICY_DENIES_BACKUP', 'JOB_ROLE_NOT_FOUND', 'DEFAULT_ROLE_WRONG_PATH') },
  { id: 'role-not-found', kind: 'access-denied', test: /(?:IAM )?role .* (?:does not exist|was not found)|NoSuchEntity|invalid IAM role/i,
    codes: c('JOB_ROLE_NOT_FOUND', 'DEFAULT_ROLE_WRONG_PATH') },
  { id: 'not-same-organization', kind: 'access-denied', test: /must be (?:a )?members? of the same organi[sz]ation|not (?:in|part of) the same organi[sz]ation/i, codes: c('ACCOUNTS_NOT_IN_SAME_ORG') },
  { id: 'cross-account-disabled', kind: 'access-denied', test: /cross[- ]account (?:backup|copy)[^.]*(?:not enabled|disabled)/i, codes: c('CROSS_ACCOUNT_BACKUP_DISABLED') },
  { id: 'aws-managed-key-not-shareable', kind: 'access-denied',
    test: /default key cannot be shared|default CMK|encrypted with (?:the )?default Backup service managed key|AWS managed key[^.]* cannot be (?:shared|copied) to another account/i,
    codes: c('KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT') },
  { id: 'kms-key-does-not-exist', kind: 'non-permission', test: /key ID does not exist|(?:KMS|CMK|customer managed) key[^.,]* (?:does not exist|was not found)(?!,)|KMS key (?:is )?(?:disabled|pending deletion)|key .* is (?:disabled|pending deletion)|KMSInvalidStateException|DisabledException/i,
    codes: c('KMS_KEY_UNUSABLE') },
  { id: 'kms-key-not-accessible', kind: 'access-denied', test: /key ID is not accessible|KMS key does not exist, is not enabled or you do not have permissions|KMS\.?AccessDenied|not authorized to (?:use|access) (?:the )?(?:KMS|customer managed) key/i,
    codes: c('KMS_KEY_POLICY_DENIES', 'KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT', 'KMS_KEY_UNUSABLE') },
  { id: 'vault-does-not-exist', kind: 'non-permission', test: /backup vault .* does not exist|vault .* (?:not found|does not exist)|BackupVault.*NotFound/i, codes: c('VAULT_NOT_FOUND') },
  { id: 'vault-lock-retention', kind: 'non-permission', test: /lifecycle is outside the valid range|retention[^.]*(?:outside|violates)[^.]*(?:vault|lock)|vault lock/i, codes: c('VAULT_LOCK_RETENTION_CONFLICT') },
  { id: 'access-denied-backup-service', kind: 'access-denied', test: /Access Denied trying to call AWS Backup service/i,
    codes: (i) => (i.jobType === 'copy' ? ['VAULT_POLICY_DENIES'] : ['VAULT_POLICY_DENIES', 'IDENTITY_POLICY_MISSING_PERMISSION']) },
  { id: 's3-describe-permission', kind: 'access-denied', test: /does not have permission to describe resource arn:aws[a-z-]*:s3|miss(?:ing)? permission to get bucket versioning/i,
    codes: c('S3_BACKUP_POLICY_NOT_ATTACHED', 'IDENTITY_POLICY_MISSING_PERMISSION') },
  { id: 'vss-insufficient-privileges', kind: 'non-permission', test: /VSS[^.]*(?:insufficient privileges|invalid state or insufficient)/i, codes: c('INSTANCE_PROFILE_MISSING_PERMISSION') },
  { id: 'vss-unsupported', kind: 'non-permission', test: /VSS[^.]*(?:unsupported Windows|not installed|not supported)/i, codes: c('UNSUPPORTED_CONFIGURATION') },
  { id: 'vss-error', kind: 'non-permission', test: /Windows VSS/i, codes: c('AWS_SERVICE_ERROR'), strength: 'weak' },
  { id: 'quota', kind: 'non-permission',
    test: /limit exceeded|maximum concurrent number|maximum allowed in-progress|maximum number of concurrent snapshots|reached your quota|quota (?:of|has been|exceeded)|must not have more than \d+ user tags|LimitExceeded|SnapshotCreationPerVolumeRateExceeded/i,
    codes: c('QUOTA_EXCEEDED') },
  { id: 'concurrent-operation', kind: 'non-permission', test: /running job for the same resource|already in progress|another (?:snapshot|backup)[^.]*in progress|ConcurrentModification|currently being (?:modified|backed up)/i,
    codes: c('CONCURRENT_OPERATION') },
  { id: 'backup-window', kind: 'non-permission', test: /backup window|maintenance window|expired before (?:completion|starting)|did not (?:start|complete) within|start window|completion window/i,
    codes: c('BACKUP_WINDOW_EXPIRED') },
  { id: 'recovery-point-unavailable', kind: 'non-permission', test: /recovery point[^.]*(?:expired|deleted|not (?:found|available|in a valid state)|does not exist)|source recovery point is not available/i,
    codes: c('RECOVERY_POINT_UNAVAILABLE') },
  { id: 'restore-parameters', kind: 'non-permission',
    test: /must be specified|does not permit attaching a new instance profile|restore metadata|invalid (?:restore )?(?:parameter|metadata)|already exists/i,
    codes: c('RESTORE_PARAMETERS_INVALID') },
  { id: 'unsupported', kind: 'non-permission',
    test: /UnsupportedOperation|not supported|cannot be copied to another AWS account|No objects were backed up|already has continuous backup enabled|needs a subscription for the service|versioning (?:is )?not enabled|requires? versioning/i,
    codes: c('UNSUPPORTED_CONFIGURATION') },
  { id: 'resource-state', kind: 'non-permission',
    // RDS relays its InvalidDBInstanceState / InvalidDBClusterStateFault descriptions (RDS API Reference, CreateDBSnapshot and
    // CreateDBClusterSnapshot, Errors): "The DB instance isn't in a valid state.", "The requested operation can't be performed
    // while the cluster is in this state." (the source must be available, or storage-optimization).
    test: /not online|not in (?:a |an )?(?:valid|available|available state)|(?:isn['’]t|is not|not currently) in (?:a valid|the available) state|can['’]t be performed while the (?:DB )?cluster is in this state|invalid(?:DBInstance|DBCluster)?State|IncorrectState|is (?:stopped|modifying|storage-full|in use)|state of the (?:resource|instance)/i,
    codes: c('RESOURCE_STATE_INVALID') },
  { id: 'resource-not-found', kind: 'non-permission', test: /(?:was |were )?not found|does not exist|NotFound|no longer exists/i, codes: c('RESOURCE_NOT_FOUND') },
  { id: 'aws-internal', kind: 'non-permission', test: /token expired|fatal error|contact AWS Support|internal (?:error|failure)|InternalFailure|ServiceUnavailable|service is unavailable|try again/i,
    codes: c('AWS_SERVICE_ERROR') },
  { id: 'not-authorized-generic', kind: 'access-denied',
    test: /not authorized to perform this operation|insufficient privileges|does not have sufficient permissions|Access ?Denied|not authorized|permission/i,
    codes: (i) => genericAccessDeniedCodes(i), strength: 'weak' },
]

/** Generic "not authorized" texts: which causes they most often mean for this job (weak hints only). */
function genericAccessDeniedCodes(i: ClassifyInput): string[] {
  if (i.jobType === 'restore' && /^EC2$/i.test(i.resourceType ?? '')) return ['PASSROLE_NOT_ALLOWED', 'IDENTITY_POLICY_MISSING_PERMISSION']
  if (i.jobType === 'copy') return ['SERVICE_LINKED_ROLE_MISSING', 'VAULT_POLICY_DENIES', 'KMS_KEY_POLICY_DENIES']
  if (/^S3$/i.test(i.resourceType ?? '')) return ['S3_BACKUP_POLICY_NOT_ATTACHED', 'IDENTITY_POLICY_MISSING_PERMISSION']
  return ['IDENTITY_POLICY_MISSING_PERMISSION']
}

/** Codes for IAM's grammar, from the policy type it names and the action's service. */
function codesForDenial(policyType: HintPolicyType | null, explicitDeny: boolean, action: string, input: ClassifyInput): string[] {
  const service = action.split(':')[0]?.toLowerCase() ?? ''
  const act = action.toLowerCase()
  switch (policyType) {
    case 'identity':
      if (explicitDeny) return ['IDENTITY_POLICY_EXPLICIT_DENY']
      if (act === 'iam:passrole') return ['PASSROLE_NOT_ALLOWED', 'IDENTITY_POLICY_MISSING_PERMISSION']
      if (service === 's3') return ['S3_BACKUP_POLICY_NOT_ATTACHED', 'IDENTITY_POLICY_MISSING_PERMISSION']
      return ['IDENTITY_POLICY_MISSING_PERMISSION']
    case 'boundary':
      return ['PERMISSION_BOUNDARY_BLOCKS']
    case 'scp':
      return explicitDeny ? ['SCP_DENIES'] : ['SCP_NOT_ALLOWED']
    case 'rcp':
      return ['RCP_DENIES']
    case 'resource':
      if (act === 'sts:assumerole') return ['TRUST_POLICY_DENIES_BACKUP']
      if (service === 'backup') return ['VAULT_POLICY_DENIES']
      if (service === 'kms') return ['KMS_KEY_POLICY_DENIES']
      return ['RESOURCE_POLICY_DENIES']
    case 'session':
    case 'vpc-endpoint':
      return []
    default:
      // No reason given (older texts, decoded messages): the action tells the most.
      if (act === 'iam:passrole') return ['PASSROLE_NOT_ALLOWED', 'IDENTITY_POLICY_MISSING_PERMISSION']
      if (service === 'kms') return ['KMS_KEY_POLICY_DENIES']
      if (act === 'sts:assumerole') return ['TRUST_POLICY_DENIES_BACKUP']
      if (explicitDeny) return ['IDENTITY_POLICY_EXPLICIT_DENY', 'SCP_DENIES']
      return genericAccessDeniedCodes({ ...input, resourceType: service === 's3' ? 'S3' : input.resourceType })
  }
}

/**
 * Some services quote the resource ARN in IAM's grammar (Amazon S3: `... on resource:
 * "arn:aws:s3:::bucket" because ...`, "Troubleshoot access denied (403 Forbidden)
 * errors in Amazon S3"): the quotes are not part of the ARN.
 */
function unquote(s: string | null): string | null {
  if (s === null) return null
  const m = /^["'“](.*)["'”]$/.exec(s)
  return m ? m[1]!.trim() : s
}

/** A principal that is an assumed-role session is the job role (or the service-linked role) at work; anyone else is a caller. */
function isRoleSession(principal: string | null): boolean {
  return principal === null || /:assumed-role\//.test(principal) || /:role\//.test(principal)
}

function fromDecoded(decoded: readonly Record<string, unknown>[], input: ClassifyInput, encoded: string): MessageHint | null {
  for (const d of decoded) {
    const ctx = d['context']
    if (typeof ctx !== 'object' || ctx === null) continue
    const context = ctx as Record<string, unknown>
    const action = typeof context['action'] === 'string' ? context['action'] : null
    if (action === null) continue
    const resource = typeof context['resource'] === 'string' ? context['resource'] : null
    const p = context['principal']
    const principal = typeof p === 'object' && p !== null && typeof (p as Record<string, unknown>)['arn'] === 'string'
      ? ((p as Record<string, unknown>)['arn'] as string) : null
    const explicitDeny = d['explicitDeny'] === true
    return {
      kind: 'access-denied', ruleId: 'decoded-authorization-message', codes: codesForDenial(null, explicitDeny, action, input),
      strength: 'strong', action, resource, principal, policyType: null, explicitDeny, encoded,
    }
  }
  return null
}

export function classifyMessage(input: ClassifyInput): MessageHint {
  const message = input.message?.trim() ?? ''
  if (message === '') return EMPTY
  const encoded = ENCODED.exec(message)?.[1] ?? null

  if (encoded !== null && input.decoded && input.decoded.length > 0) {
    const hint = fromDecoded(input.decoded, input, encoded)
    if (hint) return hint
  }

  const m = IAM_DENIED.exec(message)
  if (m) {
    const principal = m[1] ?? null
    const action = m[2] ?? ''
    const resource = unquote(m[3]?.trim() ?? null)
    const reason = m[4] ?? ''
    const explicitDeny = /explicit deny/i.test(reason)
    const policyType = POLICY_PHRASES.find(([re]) => re.test(reason))?.[1] ?? null
    const codes = codesForDenial(policyType, explicitDeny, action, input)
    // A denial of someone other than a role session (a user calling the Backup API) is not this job's failure.
    const strong = isRoleSession(principal) && codes.length > 0
    return {
      kind: 'access-denied', ruleId: 'iam-access-denied', codes, strength: strong ? 'strong' : 'weak',
      action, resource, principal, policyType, explicitDeny, encoded,
    }
  }

  for (const rule of RULES) {
    if (!rule.test.test(message)) continue
    const codes = rule.codes(input)
    return {
      ...EMPTY, kind: rule.kind, ruleId: rule.id, codes, strength: rule.strength ?? 'strong', encoded,
      ...extractNamed(message),
    }
  }
  return { ...EMPTY, kind: 'unrecognised', encoded }
}

/** ARNs and actions some non-grammar texts name ("IAM Role ARN is not authorized to call tag:GetResources"). */
function extractNamed(message: string): Pick<MessageHint, 'action' | 'resource'> {
  const action = /\b(?:call|perform)\s+([a-z0-9-]+:[A-Za-z*]+)/.exec(message)?.[1] ?? null
  const resource = /\b(arn:aws[a-z-]*:[^\s,]+?)(?=[\s,]|\.\s|\.$|$)/.exec(message)?.[1] ?? null
  return { action, resource }
}

export const CLASSIFIER_RULE_IDS: readonly string[] = ['iam-access-denied', 'decoded-authorization-message', ...RULES.map((r) => r.id)]
