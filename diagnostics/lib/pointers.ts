/**
 * Where a cause most likely sits when only the status message names it (the
 * evidence that would show it could not be read): the policy document and the
 * entity the code implies, located in the evidence by what IS known (the job's
 * role ARN, its vaults, the recovery point's key). Used by the verdict for
 * message-only verdicts; never decides a code.
 */
import type { Evidence, JobEvidence } from '../../src/evidence/types.js'
import type { MessageHint } from '../message-classifier.js'
import type { Entity, PolicyPointer } from '../types.js'
import { isCrossAccountCopy, keyUses, valueOf } from './evidence.js'

export interface Located { policy: PolicyPointer | null; entity?: Entity }

export function locateCause(evidence: Evidence, job: JobEvidence | null, hint: MessageHint, code: string): Located {
  if (!job) return { policy: null }
  const roleArn = job.iamRoleArn
  const pointer = (kind: PolicyPointer['kind'], id: string | null | undefined): Located => ({ policy: id ? { kind, id, statement: null } : null })
  switch (code) {
    case 'IDENTITY_POLICY_MISSING_PERMISSION':
    case 'IDENTITY_POLICY_EXPLICIT_DENY':
    case 'S3_BACKUP_POLICY_NOT_ATTACHED':
    case 'PASSROLE_NOT_ALLOWED':
      return pointer('identity', roleArn)
    case 'TRUST_POLICY_DENIES_BACKUP':
      return pointer('trust', roleArn)
    case 'PERMISSION_BOUNDARY_BLOCKS': {
      const role = valueOf(evidence.jobRole)
      const boundary = role ? valueOf(role.permissionsBoundary) : null
      // GetRole names the boundary even when its document is unreadable (root-causes.md: policy.id is the policy ARN).
      return pointer('boundary', boundary?.id ?? role?.permissionsBoundaryArn ?? roleArn)
    }
    case 'VAULT_POLICY_DENIES':
      return pointer('vault', job.type === 'copy' ? job.destinationBackupVaultArn : job.backupVaultArn)
    case 'KMS_KEY_POLICY_DENIES':
    case 'KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT':
    case 'KMS_KEY_UNUSABLE': {
      const uses = keyUses(evidence, job)
      const unread = uses.find((u) => u.key?.state === 'unreadable' || (u.key?.state === 'read' && u.key.value.policy.state === 'unreadable'))
      const use = unread ?? uses.find((u) => u.role === 'recovery-point') ?? uses[0]
      const located = pointer('kms-key', use?.keyArn)
      if (code === 'KMS_KEY_POLICY_DENIES') located.entity = isCrossAccountCopy(job) ? 'service-linked-role' : 'job-role'
      return located
    }
    case 'RESOURCE_POLICY_DENIES':
      return pointer('resource', hint.resource ?? job.resourceArn)
    default:
      return { policy: null }
  }
}
