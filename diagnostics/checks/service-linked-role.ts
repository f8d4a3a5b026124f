/**
 * AWSServiceRoleForBackup exists where the job needs it. AWS Backup uses its
 * service-linked role for copy operations (in the DESTINATION account of a
 * cross-account copy, seeds/002: "the service-linked role must exist in the
 * destination account. If it doesn't, your copy job might fail") and for Amazon
 * EFS backups ("Using service-linked roles for AWS Backup",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/using-service-linked-roles.html).
 * Fail: GetRole answered NoSuchEntity → SERVICE_LINKED_ROLE_MISSING.
 */
import type { JobEvidence } from '../../src/evidence/types.js'
import { defineCheck } from '../define-check.js'
import { copyDestinationAccount, resourceFamilyOf, slrArn } from '../lib/evidence.js'
import { jobPartition } from '../lib/partition.js'

function accountsNeedingSlr(job: JobEvidence): string[] {
  if (job.type === 'copy') return [copyDestinationAccount(job) ?? job.accountId]
  if (job.type === 'backup' && resourceFamilyOf(job) === 'EFS') return [job.accountId]
  return []
}

export default defineCheck({
  id: 'service-linked-role',
  title: 'AWSServiceRoleForBackup exists where the job needs it',
  severity: 'high',
  appliesTo: ['backup', 'copy'],
  requires: ['job', 'serviceLinkedRoles'],
  skipUnless: (_e, job) => (accountsNeedingSlr(job).length > 0 ? null : 'this job does not use the service-linked role'),
  rootCauses: ['SERVICE_LINKED_ROLE_MISSING'],
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/using-service-linked-roles.html',
  messages: {
    exists: 'AWSServiceRoleForBackup exists in {{accounts}}.',
    'not-collected': 'AWSServiceRoleForBackup in {{accountId}} was not read.',
    missing: 'AWSServiceRoleForBackup does not exist in account {{accountId}}, which the {{jobType}} needs; create it with `aws iam create-service-linked-role --aws-service-name backup.amazonaws.com` there.',
  },
  run({ evidence, job }) {
    const accounts = accountsNeedingSlr(job)
    for (const accountId of accounts) {
      const item = evidence.serviceLinkedRoles[accountId]
      if (!item || item.state === 'not-collected') return { status: 'warn', messageId: 'not-collected', data: { accountId } }
      if (item.state === 'absent') {
        return {
          status: 'fail', messageId: 'missing', data: { accountId, jobType: job.type },
          cause: { code: 'SERVICE_LINKED_ROLE_MISSING', entity: 'service-linked-role', policy: null, action: null, resource: slrArn(jobPartition(job), accountId) },
          remediation: {
            steps: [`In account ${accountId}: aws iam create-service-linked-role --aws-service-name backup.amazonaws.com (or open the AWS Backup console there once, which creates it).`],
            policySnippet: null,
          },
        }
      }
    }
    return { status: 'pass', messageId: 'exists', data: { accounts } }
  },
})
