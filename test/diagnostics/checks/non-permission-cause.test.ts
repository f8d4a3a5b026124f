import t from 'tap'
import check from '../../../diagnostics/checks/non-permission-cause.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { anEvidence } from '../../helpers/evidence-builders.js'

const msg = (statusMessage: string, extra = {}) => anEvidence({}, { statusMessage, ...extra })

runCheckCases(t, check, [
  { name: 'no message', evidence: anEvidence(), status: 'pass', messageId: 'none' },
  { name: 'RDS backup window', evidence: msg('Backup job could not start because it is either inside or too close to the automated backup window configured in RDS instance.', { resourceType: 'RDS', resourceArn: 'arn:aws:rds:us-east-1:111111111111:db:orders' }), status: 'fail', messageId: 'stated', code: 'BACKUP_WINDOW_EXPIRED', entity: 'none', verdict: 'BACKUP_WINDOW_EXPIRED' },
  { name: 'concurrency', evidence: msg('Backup job failed because there was a running job for the same resource.'), status: 'fail', code: 'CONCURRENT_OPERATION', verdict: 'CONCURRENT_OPERATION' },
  { name: 'quota', evidence: msg('Subscriber limit exceeded: You have reached the maximum concurrent number of backups, which is 300.'), status: 'fail', code: 'QUOTA_EXCEEDED', verdict: 'QUOTA_EXCEEDED' },
  { name: 'unsupported', evidence: msg('Images from AWS Marketplace cannot be copied to another AWS account.'), status: 'fail', code: 'UNSUPPORTED_CONFIGURATION' },
  { name: 'resource state', evidence: msg('This operation is not valid for the specified hypervisor because it is not online'), status: 'fail', code: 'RESOURCE_STATE_INVALID' },
  { name: 'resource gone', evidence: msg('The specified volume was not found.'), status: 'fail', code: 'RESOURCE_NOT_FOUND', verdict: 'RESOURCE_NOT_FOUND' },
  { name: 'restore parameters', evidence: msg('DBInstanceIdentifier must be specified'), status: 'fail', code: 'RESTORE_PARAMETERS_INVALID' },
  { name: 'AWS side', evidence: msg('Copy job encountered a fatal error. Please contact AWS Support for further assistance.'), status: 'fail', code: 'AWS_SERVICE_ERROR', verdict: 'AWS_SERVICE_ERROR' },
  { name: 'VSS on the instance profile', evidence: msg('Windows VSS Backup attempt failed because either Instance or SSM Agent has invalid state or insufficient privileges.', { resourceType: 'EC2' }), status: 'fail', code: 'INSTANCE_PROFILE_MISSING_PERMISSION', entity: 'none', verdict: 'INSTANCE_PROFILE_MISSING_PERMISSION' },
  { name: 'vault named missing by the message', evidence: msg('Backup job failed because backup vault arn:aws:backup:us-east-1:111111111111:backup-vault:x does not exist.'), status: 'fail', code: 'VAULT_NOT_FOUND' },
  { name: 'retention outside the lock', evidence: msg('Backup job failed because the lifecycle is outside the valid range for backup vault.'), status: 'fail', code: 'VAULT_LOCK_RETENTION_CONFLICT' },
  { name: 'key gone', evidence: msg('Given key ID does not exist'), status: 'fail', code: 'KMS_KEY_UNUSABLE' },
  { name: 'EXPIRED state without a message', evidence: anEvidence({}, { state: 'EXPIRED' }), status: 'fail', messageId: 'expired', code: 'BACKUP_WINDOW_EXPIRED', verdict: 'BACKUP_WINDOW_EXPIRED' },
  { name: 'a weak VSS error is only a warning', evidence: msg('Windows VSS Backup Job Error encountered, trying for regular backup'), status: 'warn', messageId: 'weak' },
  { name: 'access denial is not this check\'s', evidence: msg('Access Denied trying to call AWS Backup service'), status: 'pass' },
])
