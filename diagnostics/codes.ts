/**
 * The root-cause codes of ../shared/contract/root-causes.md with the entity a
 * verdict names when only the status message supports it, the sentence used
 * then, and generic remediation steps (checks give more precise ones). A
 * meta-test keeps this list equal to the contract's.
 */
import type { Entity } from './types.js'

export interface CodeInfo {
  entity: Entity
  /** Used when the verdict rests on the status message alone. */
  summary: string
  steps: string[]
}

export const ROOT_CAUSE_CODES = {
  JOB_ROLE_NOT_FOUND: { entity: 'job-role', summary: 'The job role does not exist.', steps: ['Create the role the job names, or change the backup plan assignment to an existing role that trusts backup.amazonaws.com.'] },
  DEFAULT_ROLE_WRONG_PATH: { entity: 'job-role', summary: 'The job names AWSBackupDefaultServiceRole at a path where it does not exist.', steps: ['Point the job at the role\'s real ARN (mind the service-role/ path), or let AWS Backup create its default role.'] },
  TRUST_POLICY_DENIES_BACKUP: { entity: 'job-role', summary: 'AWS Backup cannot assume the job role.', steps: ['Allow backup.amazonaws.com to sts:AssumeRole in the job role\'s trust policy.'] },
  IDENTITY_POLICY_MISSING_PERMISSION: { entity: 'job-role', summary: 'No identity-based policy of the job role allows an action the job needs.', steps: ['Attach the AWS Backup managed policy for this job type to the job role, or add the missing action to its policy.'] },
  IDENTITY_POLICY_EXPLICIT_DENY: { entity: 'job-role', summary: 'An identity-based policy of the job role explicitly denies an action the job needs.', steps: ['Remove or narrow the Deny statement in the job role\'s policy.'] },
  S3_BACKUP_POLICY_NOT_ATTACHED: { entity: 'job-role', summary: 'The job role lacks the S3 permissions that AWS Backup needs for S3.', steps: ['Attach AWSBackupServiceRolePolicyForS3Backup (backups) and AWSBackupServiceRolePolicyForS3Restore (restores) to the job role.'] },
  PASSROLE_NOT_ALLOWED: { entity: 'job-role', summary: 'The job role may not pass the role the restore needs (iam:PassRole).', steps: ['Allow iam:PassRole on the instance profile\'s role to the job role, or restore without an instance profile.'] },
  PERMISSION_BOUNDARY_BLOCKS: { entity: 'job-role', summary: 'The job role\'s permissions boundary does not allow an action the job needs.', steps: ['Add the action to the permissions boundary, or remove the boundary from the job role.'] },
  VAULT_POLICY_DENIES: { entity: 'job-role', summary: 'A backup vault access policy denies the job.', steps: ['Allow the job role (or the source account) the action in the vault access policy, and remove any Deny that matches it.'] },
  SCP_DENIES: { entity: 'job-role', summary: 'A service control policy denies an action the job needs.', steps: ['Exempt the job role from the SCP statement (e.g. with an aws:PrincipalArn condition) or narrow the statement.'] },
  SCP_NOT_ALLOWED: { entity: 'job-role', summary: 'No SCP at some level of the organization allows an action the job needs.', steps: ['Add an Allow for the action to the SCPs at the level that lacks one (or attach FullAWSAccess there).'] },
  RCP_DENIES: { entity: 'job-role', summary: 'A resource control policy denies the job role on a resource.', steps: ['Exempt the job role or AWS Backup from the RCP statement.'] },
  KMS_KEY_POLICY_DENIES: { entity: 'job-role', summary: 'The KMS key policy does not let the principal that needs the key use it.', steps: ['Add the principal (or its account) to the key policy for the actions AWS Backup uses.'] },
  KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT: { entity: 'none', summary: 'The recovery point is encrypted with an AWS managed key, which cannot be shared with another account.', steps: ['Back up with a customer managed key (or copy within the account first into a vault encrypted with a customer managed key), then copy across accounts.'] },
  KMS_KEY_UNUSABLE: { entity: 'none', summary: 'The KMS key is disabled, pending deletion, or does not exist.', steps: ['Enable the key (or cancel its deletion), or use another key.'] },
  SERVICE_LINKED_ROLE_MISSING: { entity: 'service-linked-role', summary: 'AWSServiceRoleForBackup does not exist where the job needs it.', steps: ['Create the service-linked role: aws iam create-service-linked-role --aws-service-name backup.amazonaws.com (in the account that lacks it).'] },
  CROSS_ACCOUNT_BACKUP_DISABLED: { entity: 'none', summary: 'Cross-account backup is not enabled for the organization.', steps: ['In the management account, enable cross-account backup (AWS Backup settings, or aws backup update-global-settings --global-settings isCrossAccountBackupEnabled=true).'] },
  ACCOUNTS_NOT_IN_SAME_ORG: { entity: 'none', summary: 'The copy\'s source and destination accounts are not in the same AWS Organization.', steps: ['Copy only between accounts of the same organization, or move the destination account into it.'] },
  RESOURCE_POLICY_DENIES: { entity: 'job-role', summary: 'A resource-based policy on the protected resource denies the job role.', steps: ['Allow the job role in the resource\'s policy (e.g. the S3 bucket policy) or remove the matching Deny.'] },
  INSTANCE_PROFILE_MISSING_PERMISSION: { entity: 'none', summary: 'The EC2 instance\'s own profile role lacks the permissions the Windows VSS / SSM step needs.', steps: ['Attach AmazonSSMManagedInstanceCore and the VSS snapshot permissions to the instance profile role.'] },
  VAULT_NOT_FOUND: { entity: 'none', summary: 'The backup vault the job writes to does not exist.', steps: ['Create the vault in that account and Region, or fix the vault name in the plan or backup policy.'] },
  RECOVERY_POINT_UNAVAILABLE: { entity: 'none', summary: 'The recovery point is expired, deleted, or not in a usable state.', steps: ['Pick a recovery point whose status is COMPLETED.'] },
  RESOURCE_NOT_FOUND: { entity: 'none', summary: 'The resource to back up no longer exists.', steps: ['Remove the resource from the backup selection (or use tag-based selection).'] },
  RESOURCE_STATE_INVALID: { entity: 'none', summary: 'The resource is in a state that does not allow the operation.', steps: ['Bring the resource to an available state and retry.'] },
  CONCURRENT_OPERATION: { entity: 'none', summary: 'Another backup or snapshot of the resource was already running.', steps: ['Stagger the overlapping plans or rules; the next run should succeed.'] },
  QUOTA_EXCEEDED: { entity: 'none', summary: 'A service quota was reached.', steps: ['Wait for running jobs to finish or clean up old snapshots/images, and request a quota increase if it recurs.'] },
  UNSUPPORTED_CONFIGURATION: { entity: 'none', summary: 'The resource, vault or operation is not supported as configured.', steps: ['Change the configuration the message names (see AWS Backup feature availability by resource).'] },
  VAULT_LOCK_RETENTION_CONFLICT: { entity: 'none', summary: 'The job\'s retention is outside the range the vault lock enforces.', steps: ['Set the rule\'s retention within the vault lock\'s minimum and maximum retention.'] },
  BACKUP_WINDOW_EXPIRED: { entity: 'none', summary: 'The job did not start or finish within its window, or collided with an RDS backup or maintenance window.', steps: ['Move the backup rule\'s start time away from the resource\'s own windows, or lengthen the start/completion window.'] },
  RESTORE_PARAMETERS_INVALID: { entity: 'none', summary: 'The restore\'s metadata or target is invalid.', steps: ['Correct the restore metadata the message names and start the restore again.'] },
  AWS_SERVICE_ERROR: { entity: 'none', summary: 'AWS had an internal or transient failure.', steps: ['Retry the job; open an AWS Support case if it keeps failing.'] },
  STOPPED_BY_USER: { entity: 'none', summary: 'Someone stopped the job.', steps: ['Nothing is broken; run the job again if stopping it was not intended.'] },
  JOB_NOT_FAILED: { entity: 'none', summary: 'The job did not fail.', steps: ['Nothing to fix.'] },
  UNDETERMINED: { entity: 'none', summary: 'The evidence does not support a verdict.', steps: ['Grant the service read access to what the gaps list, then diagnose again.'] },
} as const satisfies Record<string, CodeInfo>

export type RootCauseCode = keyof typeof ROOT_CAUSE_CODES

export function codeInfo(code: string): CodeInfo {
  return (ROOT_CAUSE_CODES as Record<string, CodeInfo>)[code] ?? ROOT_CAUSE_CODES.UNDETERMINED
}

/**
 * "The more specific code wins over the general one that also describes the
 * same fact" (root-causes.md): specific → the general codes it refines.
 */
export const SPECIALIZES: Readonly<Record<string, readonly string[]>> = {
  DEFAULT_ROLE_WRONG_PATH: ['JOB_ROLE_NOT_FOUND', 'TRUST_POLICY_DENIES_BACKUP'],
  SERVICE_LINKED_ROLE_MISSING: ['JOB_ROLE_NOT_FOUND'],
  S3_BACKUP_POLICY_NOT_ATTACHED: ['IDENTITY_POLICY_MISSING_PERMISSION'],
  PASSROLE_NOT_ALLOWED: ['IDENTITY_POLICY_MISSING_PERMISSION'],
  KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT: ['KMS_KEY_POLICY_DENIES'],
  JOB_ROLE_NOT_FOUND: ['TRUST_POLICY_DENIES_BACKUP'],
}

/** True when a finding's code and a hinted code describe the same cause (equal, or one refines the other). */
export function codesAgree(findingCode: string, hintCode: string): boolean {
  return findingCode === hintCode
    || (SPECIALIZES[findingCode]?.includes(hintCode) ?? false)
    || (SPECIALIZES[hintCode]?.includes(findingCode) ?? false)
}
