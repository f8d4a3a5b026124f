import t from 'tap'
import check from '../../../diagnostics/checks/permissions-boundary.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, aRole, allow, anEvidence, customerPolicy, deny, doc, managedPolicy, withRole } from '../../helpers/evidence-builders.js'

const RDS_JOB = { resourceType: 'RDS', resourceArn: `arn:aws:rds:us-east-1:${ACCT}:db:orders-db` }
const withBoundary = (d: ReturnType<typeof doc>, job = RDS_JOB) =>
  withRole(anEvidence({}, job), aRole({ name: 'BackupRole-Rds', managed: [managedPolicy('AWSBackupServiceRolePolicyForBackup')], boundary: customerPolicy('workload-boundary', d) }))
const BOUNDARY = `arn:aws:iam::${ACCT}:policy/workload-boundary`

runCheckCases(t, check, [
  { name: 'no boundary', evidence: anEvidence(), status: 'pass', messageId: 'no-boundary' },
  { name: 'boundary allows rds', evidence: withBoundary(doc(allow(['rds:*', 'backup:*']))), status: 'pass', messageId: 'allows' },
  {
    name: 'boundary allows no rds action', evidence: withBoundary(doc(allow(['dynamodb:*', 's3:*', 'backup:*', 'kms:*', 'ec2:Describe*']))),
    status: 'fail', messageId: 'not-allowed', code: 'PERMISSION_BOUNDARY_BLOCKS', entity: 'job-role', policy: { kind: 'boundary', id: BOUNDARY, statement: null },
    action: 'rds:CreateDBSnapshot', verdict: 'PERMISSION_BOUNDARY_BLOCKS',
  },
  {
    name: 'boundary denies explicitly', evidence: withBoundary(doc(allow('*'), { Sid: 'NoSnapshots', ...deny('rds:CreateDBSnapshot') })),
    status: 'fail', messageId: 'explicit-deny', code: 'PERMISSION_BOUNDARY_BLOCKS', policy: { kind: 'boundary', id: BOUNDARY, statement: 'NoSnapshots' },
  },
])
