import t from 'tap'
import check from '../../../diagnostics/checks/service-control-policies.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, DEST, FULL_ACCESS, aCopyEvidence, aLevel, absent, anEvidence, anOrg, doc, read, unreadable } from '../../helpers/evidence-builders.js'
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
  { name: 'SCPs unreadable → unknown', evidence: withLevels([aLevel('r-ex12'), { ...aLevel('ou-ex12-produnit'), scps: unreadable('organizations:ListPoliciesForTarget', 'AccessDeniedException') }, aLevel(ACCT)]), status: 'unknown', data: { call: 'organizations:ListPoliciesForTarget' } },
  { name: 'not in an organization', evidence: anEvidence({ organization: absent('AWSOrganizationsNotInUseException') }), status: 'skipped' },
  { name: 'management account is exempt', evidence: anEvidence({ organization: read({ id: 'o-exampleorg1', managementAccountId: ACCT, accounts: {} }) }), status: 'skipped' },
])
