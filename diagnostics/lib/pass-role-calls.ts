/**
 * The iam:PassRole calls a restore makes with the job role: an EC2 restore that keeps its
 * backed-up instance profile passes the profile's role to EC2 ("Restoring an Amazon EC2
 * instance", https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html;
 * seeds/001: "For EC2 instance restores, you must also include ... iam:PassRole"). The roles:
 * those evidence collection read for the restore, else the role named like the restore
 * metadata's IamInstanceProfileName, plus a role a decoded authorization message names.
 *
 * iam:PassRole is an action of the job role like any other: the identity side is judged by
 * pass-role, but SCPs and the permissions boundary limit it too (IAM User Guide, "Policy
 * evaluation logic"), so service-control-policies and permissions-boundary judge these calls.
 */
import type { Evidence, JobEvidence } from '../../src/evidence/types.js'
import type { MessageHint } from '../message-classifier.js'
import { valueOf } from './evidence.js'
import { jobPartition } from './partition.js'

export interface PassRoleCall {
  action: 'iam:PassRole'
  /** The passed role's ARN. */
  resource: string
  passedToService: string
}

/** ARNs of the roles the restore passes (empty for other jobs and for restores that pass none); the profile's role in the job's partition. */
export function rolesToPass(e: Evidence, job: JobEvidence, hint: MessageHint): string[] {
  if (job.type !== 'restore') return []
  const out = new Set<string>()
  for (const [arn, item] of Object.entries(e.passedRoles)) out.add(item.state === 'read' ? item.value.arn : arn)
  const profile = valueOf(e.restoreMetadata)?.['IamInstanceProfileName']
  if (profile && out.size === 0) out.add(`arn:${jobPartition(job)}:iam::${job.accountId}:role/${profile}`)
  if (hint.action?.toLowerCase() === 'iam:passrole' && hint.resource?.includes(':role/')) out.add(hint.resource)
  return [...out]
}

/** The job role's iam:PassRole calls (to EC2, which launches the instance with the profile). */
export function passRoleCalls(e: Evidence, job: JobEvidence, hint: MessageHint): PassRoleCall[] {
  return rolesToPass(e, job, hint).map((resource) => ({ action: 'iam:PassRole', resource, passedToService: 'ec2.amazonaws.com' }))
}
