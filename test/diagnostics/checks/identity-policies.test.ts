import t from 'tap'
import check from '../../../diagnostics/checks/identity-policies.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, KEY_ID, REGION, VOLUME, aKey, aRole, allow, anEvidence, deny, doc, keyArn, managedPolicy, unreadable, withRole, read } from '../../helpers/evidence-builders.js'
import type { JobEvidence } from '../../../src/evidence/types.js'

const ROLE = `arn:aws:iam::${ACCT}:role/BackupRole-Ebs`
const ebsRole = (...stmts: Record<string, unknown>[]) => withRole(anEvidence(), aRole({ name: 'BackupRole-Ebs', inline: { 'ebs-backup': doc(...stmts) } }))
const ALL_EBS = ['ec2:CreateSnapshot', 'ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:CreateTags']
const S3_JOB = { resourceType: 'S3', resourceArn: 'arn:aws:s3:::prod-invoices' }

const unreadableInline = (() => {
  const e = anEvidence()
  const role = aRole()
  return withRole(e, { ...role, inlinePolicies: unreadable('iam:ListRolePolicies') })
})()

// A guardrail inline policy on a role that otherwise has the backup managed policy: no KMS grants anywhere.
const KMS_GUARD = doc({ Sid: 'NoKmsGrants', ...deny(['kms:CreateGrant', 'kms:Decrypt']) })
const guardedRole = (job: Partial<JobEvidence>, extra: Parameters<typeof anEvidence>[0] = {}) =>
  withRole(anEvidence(extra, job), aRole({ name: 'BackupRole-Guarded', managed: [managedPolicy('AWSBackupServiceRolePolicyForBackup')], inline: { guardrails: KMS_GUARD } }))
const RDS_JOB = { resourceType: 'RDS', resourceArn: `arn:aws:rds:${REGION}:${ACCT}:db:orders-db` }
// ABK-011 (AWS Backup troubleshooting guide): RDS refused the source snapshot's key to the job role.
const RDS_KEY_TEXT = 'The source snapshot KMS key does not exist, is not enabled or you do not have permissions to access it.'
const EFS_JOB = { resourceType: 'EFS', resourceArn: `arn:aws:elasticfilesystem:${REGION}:${ACCT}:file-system/fs-0123456789abcdef0` }
// The vault key's policy names the role itself: a key-policy grant, which an identity Deny still overrides.
const keyNamingRole = aKey({ policy: read(doc({ Sid: 'AllowBackupRole', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:role/BackupRole-Guarded` }, Action: 'kms:*', Resource: '*' })) })

// The guarded role with its managed policy unreadable: the inline Deny was read all the same.
const guardedPartlyRead = (() => {
  const r = aRole({ name: 'BackupRole-Guarded', managed: [managedPolicy('AWSBackupServiceRolePolicyForBackup')], inline: { guardrails: KMS_GUARD } })
  const a = r.attachedPolicies.state === 'read' ? r.attachedPolicies.value : {}
  const [k] = Object.keys(a)
  return withRole(anEvidence({}, { ...RDS_JOB, statusMessage: RDS_KEY_TEXT }), { ...r, attachedPolicies: read({ ...a, [k!]: unreadable('iam:GetPolicyVersion') }) })
})()

runCheckCases(t, check, [
  {
    // "Policy evaluation logic": an explicit deny overrides any allow, so the unread policy cannot change it.
    name: 'a readable explicit deny decides although another policy of the role is unreadable', evidence: guardedPartlyRead,
    status: 'fail', messageId: 'explicit-deny', code: 'IDENTITY_POLICY_EXPLICIT_DENY', policy: { kind: 'identity', id: 'guardrails', statement: 'NoKmsGrants' },
    action: 'kms:CreateGrant', verdict: 'IDENTITY_POLICY_EXPLICIT_DENY',
  },
  {
    name: 'identity deny on KMS, RDS backup refused its source key (key not in the evidence)', evidence: guardedRole({ ...RDS_JOB, statusMessage: RDS_KEY_TEXT }),
    status: 'fail', messageId: 'explicit-deny', code: 'IDENTITY_POLICY_EXPLICIT_DENY', policy: { kind: 'identity', id: 'guardrails', statement: 'NoKmsGrants' },
    action: 'kms:CreateGrant', resource: `arn:aws:kms:${REGION}:${ACCT}:key/*`, verdict: 'IDENTITY_POLICY_EXPLICIT_DENY',
  },
  // Nothing says this RDS backup uses a key: the guardrail is not judged.
  { name: 'identity deny on KMS, RDS backup, no key in evidence or message', evidence: guardedRole(RDS_JOB), status: 'pass', messageId: 'allowed' },
  {
    name: 'identity deny on KMS, the vault key policy names the role', evidence: guardedRole(EFS_JOB, { keys: { [keyArn(KEY_ID)]: read(keyNamingRole) } }),
    status: 'fail', messageId: 'explicit-deny', code: 'IDENTITY_POLICY_EXPLICIT_DENY', policy: { kind: 'identity', id: 'guardrails', statement: 'NoKmsGrants' },
    action: 'kms:CreateGrant', resource: keyArn(KEY_ID), verdict: 'IDENTITY_POLICY_EXPLICIT_DENY',
  },
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
