import t from 'tap'
import check from '../../../diagnostics/checks/service-control-policies.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, DEST, FULL_ACCESS, KEY_ID, REGION, aCopyEvidence, aLevel, aRestoreEvidence, absent, anEvidence, anOrg, doc, keyArn, read, unreadable } from '../../helpers/evidence-builders.js'
import type { OrgPolicy } from '../../../src/evidence/types.js'

const scp = (id: string, ...stmts: Record<string, unknown>[]): OrgPolicy => ({ id, name: id, type: 'SERVICE_CONTROL_POLICY', awsManaged: false, document: doc(...stmts) })
const REGION_LOCK = scp('p-regionlock1', { Sid: 'DenyOutsideEU', Effect: 'Deny', NotAction: ['iam:*', 'organizations:*', 'sts:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } } })
const withLevels = (levels: ReturnType<typeof aLevel>[]) => anEvidence({ organization: anOrg([ACCT], { levels: { [ACCT]: levels } }) })
// A data-perimeter SCP: no copy into a vault of an account outside the organization (aws:ResourceOrgID is the org of the resource's owner).
const PERIMETER = scp('p-perimeter01', { Sid: 'DenyCopyOutsideOrg', Effect: 'Deny', Action: 'backup:CopyIntoBackupVault', Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } } })
const perimeterCopy = (destMember: boolean) => {
  const org = anOrg([ACCT, DEST], { levels: { [ACCT]: [aLevel('r-ex12', [FULL_ACCESS, PERIMETER]), aLevel('ou-ex12-workload'), aLevel(ACCT)] } })
  if (!destMember && org.state === 'read') org.value.accounts[DEST] = absent('AccountNotFoundException')
  return aCopyEvidence({ organization: org })
}

// An SCP that keeps KMS key use to security roles: the job role's KMS calls (through a service or not) are refused.
const KMS_GUARD = scp('p-kmsguard01', { Sid: 'DenyKmsUseOutsideSecurity', Effect: 'Deny', Action: ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey'], Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/security-*' } } })
const kmsGuarded = { organization: anOrg([ACCT, DEST], { levels: { [ACCT]: [aLevel('r-ex12'), aLevel('ou-ex12-workload', [FULL_ACCESS, KMS_GUARD]), aLevel(ACCT)] } }) }
const RDS = `arn:aws:rds:${REGION}:${ACCT}:db:orders-db`
// ABK-011 (AWS Backup troubleshooting guide): RDS refuses the source snapshot's key to the job role.
const RDS_KEY_TEXT = 'The source snapshot KMS key does not exist, is not enabled or you do not have permissions to access it.'

runCheckCases(t, check, [
  { name: 'FullAWSAccess everywhere', evidence: anEvidence(), status: 'pass', messageId: 'allowed' },
  {
    name: 'region lock on the OU', evidence: withLevels([aLevel('r-ex12'), aLevel('ou-ex12-produnit', [FULL_ACCESS, REGION_LOCK]), aLevel(ACCT)]),
    status: 'fail', messageId: 'denies', code: 'SCP_DENIES', entity: 'job-role', policy: { kind: 'scp', id: 'p-regionlock1', statement: 'DenyOutsideEU' },
    action: 'ec2:CreateSnapshot', data: { levelId: 'ou-ex12-produnit' }, verdict: 'SCP_DENIES',
  },
  {
    name: 'allow-list on the account level misses ec2', evidence: withLevels([aLevel('r-ex12'), aLevel('ou-ex12-produnit'), aLevel(ACCT, [scp('p-allowlist', { Effect: 'Allow', Action: ['s3:*', 'backup:*'], Resource: '*' })])]),
    status: 'fail', messageId: 'not-allowed', code: 'SCP_NOT_ALLOWED', policy: { kind: 'scp', id: 'p-allowlist', statement: null }, data: { levelId: ACCT },
  },
  { name: 'data-perimeter SCP: the copy target is in the organization', evidence: perimeterCopy(true), status: 'pass', messageId: 'allowed' },
  {
    name: 'data-perimeter SCP: the copy target account is not a member', evidence: perimeterCopy(false),
    status: 'fail', messageId: 'denies', code: 'SCP_DENIES', policy: { kind: 'scp', id: 'p-perimeter01', statement: 'DenyCopyOutsideOrg' }, action: 'backup:CopyIntoBackupVault',
  },
  {
    name: 'KMS guard SCP, RDS backup refused its source key (the key is not in the evidence)', evidence: anEvidence(kmsGuarded, { resourceType: 'RDS', resourceArn: RDS, statusMessage: RDS_KEY_TEXT }),
    status: 'fail', messageId: 'denies', code: 'SCP_DENIES', entity: 'job-role', policy: { kind: 'scp', id: 'p-kmsguard01', statement: 'DenyKmsUseOutsideSecurity' },
    action: 'kms:DescribeKey', resource: `arn:aws:kms:${REGION}:${ACCT}:key/*`, verdict: 'SCP_DENIES',
  },
  // Nothing says this RDS backup uses a KMS key (it may be unencrypted): the guard is not judged.
  { name: 'KMS guard SCP, RDS backup with no key in evidence or message', evidence: anEvidence(kmsGuarded, { resourceType: 'RDS', resourceArn: RDS }), status: 'pass', messageId: 'allowed' },
  {
    name: 'KMS guard SCP, copy of a recovery point encrypted with a customer managed key', evidence: aCopyEvidence(kmsGuarded),
    status: 'fail', messageId: 'denies', code: 'SCP_DENIES', policy: { kind: 'scp', id: 'p-kmsguard01', statement: 'DenyKmsUseOutsideSecurity' },
    action: 'kms:DescribeKey', resource: keyArn(KEY_ID), verdict: 'SCP_DENIES',
  },
  {
    name: 'IAM text names kms:Decrypt denied by an SCP',
    evidence: anEvidence(kmsGuarded, {
      resourceType: 'RDS', resourceArn: RDS,
      statusMessage: `User: arn:aws:sts::${ACCT}:assumed-role/AWSBackupDefaultServiceRole/AWSBackup-AWSBackupDefaultServiceRole is not authorized to perform: kms:Decrypt on resource: ${keyArn('9f8e7d6c-5555-4a4a-8b8b-0c0c0c0c0c09')} with an explicit deny in a service control policy`,
    }),
    status: 'fail', messageId: 'denies', code: 'SCP_DENIES', action: 'kms:Decrypt', resource: keyArn('9f8e7d6c-5555-4a4a-8b8b-0c0c0c0c0c09'), verdict: 'SCP_DENIES',
  },
  // AWS Backup's grants are made through the integrated service (kms:GrantIsForAWSResource true): a guard on other grants does not apply.
  {
    name: 'SCP denying grants not for AWS resources, copy with a customer managed key',
    evidence: aCopyEvidence({ organization: anOrg([ACCT, DEST], { levels: { [ACCT]: [aLevel('r-ex12', [FULL_ACCESS, scp('p-grantguard', { Sid: 'DenyGrantsForPeople', Effect: 'Deny', Action: 'kms:CreateGrant', Resource: '*', Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false' } } })]), aLevel('ou-ex12-workload'), aLevel(ACCT)] } }) }),
    status: 'pass', messageId: 'allowed',
  },
  {
    // An explicit deny at a readable level overrides whatever the unread level attaches.
    name: 'a region lock read at the root decides although the OU\'s SCPs are unreadable',
    evidence: anEvidence({ organization: anOrg([ACCT], { levels: { [ACCT]: [aLevel('r-ex12', [FULL_ACCESS, REGION_LOCK]), { ...aLevel('ou-ex12-produnit'), scps: unreadable('organizations:ListPoliciesForTarget', 'ThrottlingException') }, aLevel(ACCT)] } }) }),
    status: 'fail', messageId: 'denies', code: 'SCP_DENIES', policy: { kind: 'scp', id: 'p-regionlock1', statement: 'DenyOutsideEU' }, verdict: 'SCP_DENIES',
  },
  { name: 'SCPs unreadable → unknown', evidence: withLevels([aLevel('r-ex12'), { ...aLevel('ou-ex12-produnit'), scps: unreadable('organizations:ListPoliciesForTarget', 'AccessDeniedException') }, aLevel(ACCT)]), status: 'unknown', data: { call: 'organizations:ListPoliciesForTarget' } },
  { name: 'not in an organization', evidence: anEvidence({ organization: absent('AWSOrganizationsNotInUseException') }), status: 'skipped' },
  { name: 'management account is exempt', evidence: anEvidence({ organization: read({ id: 'o-exampleorg1', managementAccountId: ACCT, accounts: {} }) }), status: 'skipped' },
  // An EC2 restore passes the instance profile's role (restoring-ec2.html); an SCP guardrail on iam:PassRole refuses it
  // whatever the job role's identity policies allow (the default role's restore policy allows it).
  {
    name: 'EC2 restore: an SCP denies passing roles outside /workload/',
    evidence: aRestoreEvidence({ organization: anOrg([ACCT], { levels: { [ACCT]: [aLevel('r-ex12'), aLevel('ou-ex12-produnit', [FULL_ACCESS, scp('p-passguard', { Sid: 'DenyPassOutsideWorkload', Effect: 'Deny', Action: 'iam:PassRole', NotResource: 'arn:aws:iam::*:role/workload/*' })]), aLevel(ACCT)] } }) }),
    status: 'fail', messageId: 'denies', code: 'SCP_DENIES', entity: 'job-role', policy: { kind: 'scp', id: 'p-passguard', statement: 'DenyPassOutsideWorkload' },
    action: 'iam:PassRole', resource: `arn:aws:iam::${ACCT}:role/app-instance-role`, verdict: 'SCP_DENIES',
  },
  {
    name: 'EC2 restore: an SCP denies passing roles to services other than EC2',
    evidence: aRestoreEvidence({ organization: anOrg([ACCT], { levels: { [ACCT]: [aLevel('r-ex12', [FULL_ACCESS, scp('p-passguard2', { Sid: 'PassOnlyToEc2', Effect: 'Deny', Action: 'iam:PassRole', Resource: '*', Condition: { StringNotEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } })]), aLevel('ou-ex12-produnit'), aLevel(ACCT)] } }) }),
    status: 'pass', messageId: 'allowed',
  },
])
