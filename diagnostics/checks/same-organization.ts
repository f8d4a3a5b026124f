/**
 * Both accounts of a cross-account copy are members of the same AWS
 * Organization: cross-account copies work only within one organization
 * ("Creating backup copies across AWS accounts",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html).
 * Membership is read from the management account (DescribeAccount answers
 * AccountNotFound for a non-member → `absent`). Fail → ACCOUNTS_NOT_IN_SAME_ORG.
 */
import { defineCheck } from '../define-check.js'
import { copyDestinationAccount, skipUnlessCrossAccountCopy } from '../lib/evidence.js'

export default defineCheck({
  id: 'same-organization',
  title: 'Source and destination accounts are in the same organization',
  severity: 'high',
  appliesTo: ['copy'],
  requires: ['job', 'organization', 'organization.accounts'],
  skipUnless: skipUnlessCrossAccountCopy,
  rootCauses: ['ACCOUNTS_NOT_IN_SAME_ORG'],
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html',
  messages: {
    'same-org': 'Accounts {{accounts}} are members of organization {{orgId}}.',
    'no-org': 'Account {{accountId}} is not a member of any organization, so it cannot copy to account {{otherAccount}}.',
    'not-member': 'Account {{accountId}} is not a member of organization {{orgId}}; cross-account copies work only between accounts of one organization.',
    'not-collected': 'Organization membership of {{accountId}} was not read.',
  },
  run({ evidence, job }) {
    const dest = copyDestinationAccount(job) ?? job.accountId
    const cause = { code: 'ACCOUNTS_NOT_IN_SAME_ORG', entity: 'none', policy: null, action: 'backup:CopyIntoBackupVault', resource: job.destinationBackupVaultArn } as const
    const org = evidence.organization
    if (org.state !== 'read') {
      return { status: 'fail', messageId: 'no-org', data: { accountId: job.accountId, otherAccount: dest }, cause }
    }
    for (const accountId of [job.accountId, dest]) {
      const m = org.value.accounts[accountId]
      if (!m || m.state === 'not-collected') return { status: 'warn', messageId: 'not-collected', data: { accountId } }
      if (m.state === 'absent') return { status: 'fail', messageId: 'not-member', data: { accountId, orgId: org.value.id }, cause }
    }
    return { status: 'pass', messageId: 'same-org', data: { accounts: [job.accountId, dest], orgId: org.value.id } }
  },
})
