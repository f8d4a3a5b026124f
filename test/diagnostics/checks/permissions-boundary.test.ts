import t from 'tap'
import check from '../../../diagnostics/checks/permissions-boundary.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import type { JobEvidence } from '../../../src/evidence/types.js'
import { ACCT, KEY_ID, REGION, aKey, aRestoreEvidence, aRole, allow, anEvidence, customerPolicy, deny, doc, keyArn, managedPolicy, read, withRole } from '../../helpers/evidence-builders.js'

const RDS_JOB = { resourceType: 'RDS', resourceArn: `arn:aws:rds:us-east-1:${ACCT}:db:orders-db` }
const withBoundary = (d: ReturnType<typeof doc>, job: Partial<JobEvidence> = RDS_JOB) =>
  withRole(anEvidence({}, job), aRole({ name: 'BackupRole-Rds', managed: [managedPolicy('AWSBackupServiceRolePolicyForBackup')], boundary: customerPolicy('workload-boundary', d) }))
const BOUNDARY = `arn:aws:iam::${ACCT}:policy/workload-boundary`

// A boundary written for workloads: every service the job touches except KMS.
const NO_KMS = doc(allow(['rds:*', 'backup:*', 'ec2:*', 'elasticfilesystem:*', 'tag:GetResources', 'iam:PassRole']))
// ABK-011 (AWS Backup troubleshooting guide): RDS refused the source snapshot's key to the job role.
const RDS_KEY_TEXT = 'The source snapshot KMS key does not exist, is not enabled or you do not have permissions to access it.'
// An EFS backup is encrypted with the vault's key; this key policy names the job role itself (no account delegation).
const ROLE_ARN = `arn:aws:iam::${ACCT}:role/BackupRole-Rds`
const keyNamingRole = aKey({ policy: read(doc({ Sid: 'KeyAdmins', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:role/key-admin` }, Action: 'kms:*', Resource: '*' }, { Sid: 'AllowBackupRole', Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: ['kms:DescribeKey', 'kms:CreateGrant', 'kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' })) })
const EFS_JOB = { resourceType: 'EFS', resourceArn: `arn:aws:elasticfilesystem:${REGION}:${ACCT}:file-system/fs-0123456789abcdef0` }
const efsWithBoundary = (d: ReturnType<typeof doc>) =>
  withRole(anEvidence({ keys: { [keyArn(KEY_ID)]: read(keyNamingRole) } }, EFS_JOB), aRole({ name: 'BackupRole-Rds', managed: [managedPolicy('AWSBackupServiceRolePolicyForBackup')], boundary: customerPolicy('workload-boundary', d) }))

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
  {
    name: 'boundary without kms, RDS backup refused its source key (key not in the evidence)', evidence: withBoundary(NO_KMS, { ...RDS_JOB, statusMessage: RDS_KEY_TEXT }),
    status: 'fail', messageId: 'not-allowed', code: 'PERMISSION_BOUNDARY_BLOCKS', policy: { kind: 'boundary', id: BOUNDARY, statement: null },
    action: 'kms:DescribeKey', resource: `arn:aws:kms:${REGION}:${ACCT}:key/*`, verdict: 'PERMISSION_BOUNDARY_BLOCKS',
  },
  // Nothing says this RDS backup uses a key (it may be unencrypted): no KMS call is judged.
  { name: 'boundary without kms, RDS backup, no key in evidence or message', evidence: withBoundary(NO_KMS), status: 'pass', messageId: 'allows' },
  {
    name: 'boundary without kms, the vault key policy names the role: still blocked', evidence: efsWithBoundary(NO_KMS),
    status: 'fail', messageId: 'not-allowed', code: 'PERMISSION_BOUNDARY_BLOCKS', policy: { kind: 'boundary', id: BOUNDARY, statement: null },
    action: 'kms:DescribeKey', resource: keyArn(KEY_ID), verdict: 'PERMISSION_BOUNDARY_BLOCKS',
  },
  { name: 'boundary with kms, the vault key policy names the role', evidence: efsWithBoundary(doc(allow(['backup:*', 'elasticfilesystem:*', 'tag:GetResources', 'kms:*']))), status: 'pass', messageId: 'allows' },
  // An EC2 restore passes the instance profile's role (restoring-ec2.html): the boundary limits iam:PassRole like any action.
  {
    name: 'EC2 restore: identity policies allow iam:PassRole, the boundary does not',
    evidence: withRole(aRestoreEvidence(), aRole({ name: 'ec2-restore', managed: [managedPolicy('AWSBackupServiceRolePolicyForRestores')], boundary: customerPolicy('workload-boundary', doc(allow(['ec2:*', 'ebs:*', 'backup:*', 'kms:*', 'tag:*']))) })),
    status: 'fail', messageId: 'not-allowed', code: 'PERMISSION_BOUNDARY_BLOCKS', entity: 'job-role', policy: { kind: 'boundary', id: BOUNDARY, statement: null },
    action: 'iam:PassRole', resource: `arn:aws:iam::${ACCT}:role/app-instance-role`, verdict: 'PERMISSION_BOUNDARY_BLOCKS',
  },
  {
    name: 'EC2 restore: the boundary allows iam:PassRole',
    evidence: withRole(aRestoreEvidence(), aRole({ name: 'ec2-restore', managed: [managedPolicy('AWSBackupServiceRolePolicyForRestores')], boundary: customerPolicy('workload-boundary', doc(allow(['ec2:*', 'ebs:*', 'backup:*', 'kms:*', 'tag:*', 'iam:PassRole']))) })),
    status: 'pass', messageId: 'allows',
  },
])
