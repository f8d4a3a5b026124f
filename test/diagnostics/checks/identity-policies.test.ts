import t from 'tap'
import check from '../../../diagnostics/checks/identity-policies.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, VOLUME, aRole, allow, anEvidence, deny, doc, managedPolicy, unreadable, withRole, read } from '../../helpers/evidence-builders.js'

const ROLE = `arn:aws:iam::${ACCT}:role/BackupRole-Ebs`
const ebsRole = (...stmts: Record<string, unknown>[]) => withRole(anEvidence(), aRole({ name: 'BackupRole-Ebs', inline: { 'ebs-backup': doc(...stmts) } }))
const ALL_EBS = ['ec2:CreateSnapshot', 'ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:CreateTags']
const S3_JOB = { resourceType: 'S3', resourceArn: 'arn:aws:s3:::prod-invoices' }

const unreadableInline = (() => {
  const e = anEvidence()
  const role = aRole()
  return withRole(e, { ...role, inlinePolicies: unreadable('iam:ListRolePolicies') })
})()

runCheckCases(t, check, [
  { name: 'default role allows an EBS backup', evidence: anEvidence(), status: 'pass', messageId: 'allowed', data: { count: 4 } },
  { name: 'inline policy with every action', evidence: ebsRole(allow(ALL_EBS)), status: 'pass', messageId: 'allowed' },
  {
    name: 'missing ec2:CreateSnapshot', evidence: ebsRole(allow(['ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:CreateTags'])),
    status: 'fail', messageId: 'missing', code: 'IDENTITY_POLICY_MISSING_PERMISSION', entity: 'job-role',
    policy: { kind: 'identity', id: ROLE, statement: null }, action: 'ec2:CreateSnapshot', resource: VOLUME,
    data: { missing: ['ec2:CreateSnapshot'] }, verdict: 'IDENTITY_POLICY_MISSING_PERMISSION',
  },
  {
    name: 'explicit deny', evidence: ebsRole(allow(ALL_EBS), { Sid: 'NoSnapshots', ...deny('ec2:CreateSnapshot') }),
    status: 'fail', messageId: 'explicit-deny', code: 'IDENTITY_POLICY_EXPLICIT_DENY', policy: { kind: 'identity', id: 'ebs-backup', statement: 'NoSnapshots' }, action: 'ec2:CreateSnapshot',
  },
  {
    name: 'S3 with the default role → S3 policy not attached', evidence: anEvidence({}, S3_JOB),
    status: 'fail', messageId: 's3-policy-not-attached', code: 'S3_BACKUP_POLICY_NOT_ATTACHED', policy: { kind: 'identity' },
    data: { managedPolicy: 'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup' }, verdict: 'S3_BACKUP_POLICY_NOT_ATTACHED',
  },
  {
    name: 'S3 with the S3 backup policy attached', evidence: withRole(anEvidence({}, S3_JOB), aRole({ managed: [managedPolicy('AWSBackupServiceRolePolicyForBackup'), managedPolicy('AWSBackupServiceRolePolicyForS3Backup')] })),
    status: 'pass', messageId: 'allowed',
  },
  {
    name: 'S3 policy attached but an action denied', evidence: withRole(anEvidence({}, S3_JOB), aRole({
      managed: [managedPolicy('AWSBackupServiceRolePolicyForS3Backup')], inline: { guard: doc({ Sid: 'NoVersioning', ...deny('s3:GetBucketVersioning') }) },
    })),
    status: 'fail', messageId: 'explicit-deny', code: 'IDENTITY_POLICY_EXPLICIT_DENY', policy: { statement: 'NoVersioning' },
  },
  {
    name: 'the message names an action outside the table', evidence: withRole(anEvidence({}, {
      statusMessage: `User: arn:aws:sts::${ACCT}:assumed-role/BackupRole-Ebs/AWSBackup-BackupRole-Ebs is not authorized to perform: ec2:DescribeTags on resource: * because no identity-based policy allows the ec2:DescribeTags action`,
    }), aRole({ name: 'BackupRole-Ebs', inline: { p: doc(allow(ALL_EBS)) } })),
    status: 'fail', messageId: 'missing', code: 'IDENTITY_POLICY_MISSING_PERMISSION', action: 'ec2:DescribeTags',
  },
  {
    name: 'DynamoDB role without ListTagsOfResource', evidence: withRole(anEvidence({}, { resourceType: 'DynamoDB', resourceArn: `arn:aws:dynamodb:us-east-1:${ACCT}:table/cache` }),
      aRole({ name: 'DynamoDB-BackupRole', inline: { ddb: doc(allow(['dynamodb:DescribeTable', 'dynamodb:CreateBackup', 'dynamodb:StartAwsBackupJob', 'backup:*'])) } })),
    status: 'fail', messageId: 'missing', code: 'IDENTITY_POLICY_MISSING_PERMISSION', action: 'dynamodb:ListTagsOfResource',
  },
  {
    name: 'advanced DynamoDB backup: StartAwsBackupJob stands in for CreateBackup', evidence: withRole(anEvidence({}, { resourceType: 'DynamoDB', resourceArn: `arn:aws:dynamodb:us-east-1:${ACCT}:table/cache` }),
      aRole({ name: 'Ddb', inline: { ddb: doc(allow(['dynamodb:DescribeTable', 'dynamodb:StartAwsBackupJob', 'dynamodb:ListTagsOfResource'])) } })),
    status: 'pass', messageId: 'allowed',
  },
  { name: 'policies unreadable → unknown', evidence: unreadableInline, status: 'unknown', messageId: 'evidence-unreadable', data: { call: 'iam:ListRolePolicies' } },
  {
    name: 'one managed policy unreadable → unknown',
    evidence: (() => { const r = aRole(); const a = r.attachedPolicies.state === 'read' ? r.attachedPolicies.value : {}; const [k] = Object.keys(a); return withRole(anEvidence(), { ...r, attachedPolicies: read({ ...a, [k!]: unreadable('iam:GetPolicyVersion') }) }) })(),
    status: 'unknown',
  },
  { name: 'unknown resource type with no message', evidence: anEvidence({}, { resourceType: 'Mystery' }), status: 'warn', messageId: 'no-actions' },
])
