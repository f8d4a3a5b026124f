import t from 'tap'
import check from '../../../diagnostics/checks/resource-policy.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, aRole, anEvidence, managedPolicy, withRole } from '../../helpers/evidence-builders.js'

const s3 = withRole(anEvidence({}, {
  resourceType: 'S3', resourceArn: 'arn:aws:s3:::prod-invoices',
  statusMessage: `User: arn:aws:sts::${ACCT}:assumed-role/AWSBackupDefaultServiceRole/AWSBackup-x is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::prod-invoices/a.txt with an explicit deny in a resource-based policy`,
}), aRole({ managed: [managedPolicy('AWSBackupServiceRolePolicyForBackup'), managedPolicy('AWSBackupServiceRolePolicyForS3Backup')] }))

runCheckCases(t, check, [
  { name: 'no resource-policy denial named', evidence: anEvidence(), status: 'pass', messageId: 'not-named' },
  {
    name: 'bucket policy denies the job role', evidence: s3, status: 'fail', messageId: 'denied', code: 'RESOURCE_POLICY_DENIES', entity: 'job-role',
    policy: { kind: 'resource', id: 'arn:aws:s3:::prod-invoices/a.txt' }, action: 's3:GetObject', verdict: 'RESOURCE_POLICY_DENIES',
  },
])
