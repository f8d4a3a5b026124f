/**
 * Cross-account backup is enabled for the organization: the management
 * account's AWS Backup setting `isCrossAccountBackupEnabled`
 * (DescribeGlobalSettings, https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html#prereq-cab).
 * Fail: the setting reads false → CROSS_ACCOUNT_BACKUP_DISABLED. A setting that
 * is not reported is a `warn`.
 */
import { defineCheck } from '../define-check.js'
import { skipUnlessCrossAccountCopy } from '../lib/evidence.js'

export default defineCheck({
  id: 'cross-account-backup-setting',
  title: 'Cross-account backup is enabled in the organization',
  severity: 'high',
  appliesTo: ['copy'],
  requires: ['job', 'backupSettings'],
  skipUnless: skipUnlessCrossAccountCopy,
  rootCauses: ['CROSS_ACCOUNT_BACKUP_DISABLED'],
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html',
  messages: {
    enabled: 'Cross-account backup is enabled in the management account.',
    disabled: 'Cross-account backup is disabled in the organization\'s management account; enable it in AWS Backup settings there.',
    'not-reported': 'The management account\'s cross-account backup setting was not reported ({{reason}}).',
  },
  run({ evidence }) {
    const s = evidence.backupSettings
    if (s.state !== 'read' || s.value.isCrossAccountBackupEnabled === null) {
      return { status: 'warn', messageId: 'not-reported', data: { reason: s.state === 'read' ? 'no value' : s.state === 'unreadable' ? s.error : s.reason } }
    }
    if (s.value.isCrossAccountBackupEnabled) return { status: 'pass', messageId: 'enabled', data: {} }
    return {
      status: 'fail', messageId: 'disabled', data: {},
      cause: { code: 'CROSS_ACCOUNT_BACKUP_DISABLED', entity: 'none', policy: null, action: null, resource: null },
      remediation: {
        steps: ['In the management account: aws backup update-global-settings --global-settings isCrossAccountBackupEnabled=true (or AWS Backup console → Settings → Cross-account backup → Turn on).'],
        policySnippet: null,
      },
    }
  },
})
