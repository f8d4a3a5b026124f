import t from 'tap'
import check from '../../../diagnostics/checks/resource-control-policies.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, ORG_ID, RCP_FULL_ACCESS, aLevel, aRole, anEvidence, anOrg, doc, managedPolicy, unreadable, withRole } from '../../helpers/evidence-builders.js'
import type { OrgPolicy } from '../../../src/evidence/types.js'

const rcp = (id: string, ...stmts: Record<string, unknown>[]): OrgPolicy => ({ id, name: id, type: 'RESOURCE_CONTROL_POLICY', awsManaged: false, document: doc(...stmts) })
const DENY_KMS = rcp('p-rcpkms', { Sid: 'DenyKmsOutsideOrg', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-someother' } } })
const EFS = { resourceType: 'EFS', resourceArn: 'arn:aws:elasticfilesystem:us-east-1:111111111111:file-system/fs-0123456789abcdef0' }
const deputy = (org: string) => rcp('p-rcpdeputy', {
  Sid: 'EnforceConfusedDeputyProtection', Effect: 'Deny', Principal: '*', Action: ['sts:*', 's3:*', 'kms:*'], Resource: '*',
  Condition: { StringNotEqualsIfExists: { 'aws:SourceOrgID': org }, Null: { 'aws:SourceAccount': 'false' }, Bool: { 'aws:PrincipalIsAWSService': 'true' } },
})
const levels = (rcps: OrgPolicy[]) => ({ organization: anOrg([ACCT], { levels: { [ACCT]: [aLevel('r-ex12'), aLevel('ou-ex12-workload', undefined, rcps), aLevel(ACCT)] } }) })

const RDS = { resourceType: 'RDS', resourceArn: `arn:aws:rds:us-east-1:${ACCT}:db:orders-db` }
// ABK-011 (AWS Backup troubleshooting guide): RDS refused the source snapshot's key to the job role; that key is not in the evidence.
const RDS_KEY_TEXT = 'The source snapshot KMS key does not exist, is not enabled or you do not have permissions to access it.'

runCheckCases(t, check, [
  {
    name: 'RCP denies KMS, RDS backup refused its source key (key not in the evidence)', evidence: anEvidence(levels([RCP_FULL_ACCESS, DENY_KMS]), { ...RDS, statusMessage: RDS_KEY_TEXT }),
    status: 'fail', messageId: 'denies', code: 'RCP_DENIES', policy: { kind: 'rcp', id: 'p-rcpkms', statement: 'DenyKmsOutsideOrg' },
    action: 'kms:DescribeKey', resource: `arn:aws:kms:us-east-1:${ACCT}:key/*`, verdict: 'RCP_DENIES',
  },
  // Nothing says this RDS backup uses a key (it may be unencrypted): the KMS RCP is not judged.
  { name: 'RCP denies KMS, RDS backup, no key in evidence or message', evidence: anEvidence(levels([RCP_FULL_ACCESS, DENY_KMS]), RDS), status: 'pass', messageId: 'allowed' },
  { name: 'RCPFullAWSAccess only', evidence: anEvidence({}, EFS), status: 'pass', messageId: 'allowed' },
  {
    name: 'RCP denies KMS use of the vault key (EFS backup)', evidence: anEvidence(levels([RCP_FULL_ACCESS, DENY_KMS]), EFS),
    status: 'fail', messageId: 'denies', code: 'RCP_DENIES', entity: 'job-role', policy: { kind: 'rcp', id: 'p-rcpkms', statement: 'DenyKmsOutsideOrg' }, verdict: 'RCP_DENIES',
  },
  {
    name: 'RCP on s3 denies an S3 backup', evidence: withRole(anEvidence(levels([RCP_FULL_ACCESS, rcp('p-rcps3', { Sid: 'NoS3', Effect: 'Deny', Principal: '*', Action: 's3:GetBucketVersioning', Resource: '*' })]), { resourceType: 'S3', resourceArn: 'arn:aws:s3:::b' }),
      aRole({ managed: [managedPolicy('AWSBackupServiceRolePolicyForBackup'), managedPolicy('AWSBackupServiceRolePolicyForS3Backup')] })),
    status: 'fail', code: 'RCP_DENIES', action: 's3:GetBucketVersioning', policy: { statement: 'NoS3' },
  },
  { name: 'an EBS backup does not use the vault key: a KMS RCP does not touch it', evidence: anEvidence(levels([RCP_FULL_ACCESS, DENY_KMS])), status: 'pass', messageId: 'allowed' },
  // AWS's confused-deputy RCP example: service principals may act only for sources of the organization.
  {
    name: 'confused-deputy RCP with another organization denies backup.amazonaws.com assuming the role', evidence: anEvidence(levels([RCP_FULL_ACCESS, deputy('o-exampleorg9')])),
    status: 'fail', messageId: 'denies', code: 'RCP_DENIES', entity: 'job-role', policy: { kind: 'rcp', id: 'p-rcpdeputy', statement: 'EnforceConfusedDeputyProtection' },
    action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCT}:role/service-role/AWSBackupDefaultServiceRole`, verdict: 'RCP_DENIES',
  },
  { name: 'confused-deputy RCP with the job\'s own organization', evidence: anEvidence(levels([RCP_FULL_ACCESS, deputy(ORG_ID)])), status: 'pass', messageId: 'allowed' },
  { name: 'an RCP on backup:* never applies (Backup does not support RCPs)', evidence: anEvidence(levels([RCP_FULL_ACCESS, rcp('p-rcpbackup', { Effect: 'Deny', Principal: '*', Action: 'backup:*', Resource: '*' })])), status: 'pass' },
  { name: 'RCPs unreadable → unknown', evidence: anEvidence({ organization: anOrg([ACCT], { levels: { [ACCT]: [{ ...aLevel('r-ex12'), rcps: unreadable('organizations:ListPoliciesForTarget') }] } }) }), status: 'unknown' },
])
