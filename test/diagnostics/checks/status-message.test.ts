import t from 'tap'
import check from '../../../diagnostics/checks/status-message.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { anEvidence } from '../../helpers/evidence-builders.js'

const denied = 'User: arn:aws:sts::111111111111:assumed-role/AWSBackupDefaultServiceRole/AWSBackup-x is not authorized to perform: ec2:CreateSnapshot on resource: arn:aws:ec2:us-east-1:111111111111:volume/vol-0a1b2c3d4e5f67890 with an explicit deny in a service control policy'

runCheckCases(t, check, [
  { name: 'no message', evidence: anEvidence(), status: 'pass', messageId: 'no-message' },
  { name: 'IAM grammar', evidence: anEvidence({}, { statusMessage: denied }), status: 'pass', messageId: 'access-denied', data: { codes: ['SCP_DENIES'], action: 'ec2:CreateSnapshot', policyType: 'scp', explicitDeny: true } },
  { name: 'generic denial', evidence: anEvidence({}, { statusMessage: 'Insufficient privileges to perform this action' }), status: 'pass', messageId: 'access-denied-generic', data: { strength: 'weak' } },
  { name: 'non-permission', evidence: anEvidence({}, { statusMessage: 'Backup job failed because there was a running job for the same resource.' }), status: 'pass', messageId: 'non-permission', data: { codes: ['CONCURRENT_OPERATION'] } },
  { name: 'unrecognised', evidence: anEvidence({}, { statusMessage: 'Something odd' }), status: 'warn', messageId: 'unrecognised' },
])
