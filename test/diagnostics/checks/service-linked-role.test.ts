import t from 'tap'
import check from '../../../diagnostics/checks/service-linked-role.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, DEST, aCopyEvidence, absent, anEvidence, read, slr, unreadable } from '../../helpers/evidence-builders.js'

runCheckCases(t, check, [
  { name: 'destination SLR exists', evidence: aCopyEvidence(), status: 'pass', messageId: 'exists' },
  {
    name: 'destination SLR missing', evidence: aCopyEvidence({ serviceLinkedRoles: { [ACCT]: read(slr(ACCT)), [DEST]: absent() } }),
    status: 'fail', messageId: 'missing', code: 'SERVICE_LINKED_ROLE_MISSING', entity: 'service-linked-role',
    resource: `arn:aws:iam::${DEST}:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup`, data: { accountId: DEST }, verdict: 'SERVICE_LINKED_ROLE_MISSING',
  },
  { name: 'EFS backup without SLR', evidence: anEvidence({ serviceLinkedRoles: { [ACCT]: absent() } }, { resourceType: 'EFS', resourceArn: `arn:aws:elasticfilesystem:us-east-1:${ACCT}:file-system/fs-1` }), status: 'fail', code: 'SERVICE_LINKED_ROLE_MISSING', data: { accountId: ACCT } },
  { name: 'EBS backup does not need it', evidence: anEvidence({ serviceLinkedRoles: { [ACCT]: absent() } }), status: 'skipped' },
  { name: 'unreadable → unknown', evidence: aCopyEvidence({ serviceLinkedRoles: { [DEST]: unreadable('iam:GetRole') } }), status: 'unknown' },
])
