import t from 'tap'
import check from '../../../diagnostics/checks/same-organization.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, aCopyEvidence, absent, anOrg, read, unreadable } from '../../helpers/evidence-builders.js'

const outside = (() => {
  const org = anOrg([ACCT])
  if (org.state !== 'read') throw new Error('org')
  return aCopyEvidence({ organization: read({ ...org.value, accounts: { ...org.value.accounts, '333333333333': absent('AccountNotFoundException') } }) }, {
    destinationBackupVaultArn: 'arn:aws:backup:us-east-1:333333333333:backup-vault:dr-vault',
  })
})()

runCheckCases(t, check, [
  { name: 'both members', evidence: aCopyEvidence(), status: 'pass', messageId: 'same-org' },
  { name: 'destination outside the org', evidence: outside, status: 'fail', messageId: 'not-member', code: 'ACCOUNTS_NOT_IN_SAME_ORG', entity: 'none', data: { accountId: '333333333333' } },
  { name: 'source not in any org', evidence: aCopyEvidence({ organization: absent('AWSOrganizationsNotInUseException') }), status: 'fail', messageId: 'no-org', code: 'ACCOUNTS_NOT_IN_SAME_ORG' },
  { name: 'membership unreadable → unknown', evidence: aCopyEvidence({ organization: unreadable('organizations:DescribeOrganization') }), status: 'unknown' },
])
