/**
 * Causes that are not permissions, as the status message states them (AWS
 * Backup "Reasons for problematic jobs",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-dashboards.html,
 * and the troubleshooting guide): backup windows, concurrency, quotas,
 * unsupported configurations, resource state, missing resources, restore
 * parameters, AWS-side errors, a Windows VSS step failing on the instance's own
 * profile. Only a STRONG hint of a non-permission kind fails this check — or
 * the job's own state EXPIRED, which AWS Backup sets when a job did not start or
 * finish within its windows (BACKUP_WINDOW_EXPIRED); evidence checks earlier in
 * the pipeline judge what evidence can show.
 */
import { defineCheck } from '../define-check.js'
import { codeInfo } from '../codes.js'

const CODES = [
  'BACKUP_WINDOW_EXPIRED', 'CONCURRENT_OPERATION', 'QUOTA_EXCEEDED', 'UNSUPPORTED_CONFIGURATION',
  'RESOURCE_STATE_INVALID', 'RESOURCE_NOT_FOUND', 'RESTORE_PARAMETERS_INVALID', 'AWS_SERVICE_ERROR',
  'INSTANCE_PROFILE_MISSING_PERMISSION', 'VAULT_NOT_FOUND', 'RECOVERY_POINT_UNAVAILABLE',
  'VAULT_LOCK_RETENTION_CONFLICT', 'KMS_KEY_UNUSABLE',
] as const

export default defineCheck({
  id: 'non-permission-cause',
  title: 'Status message names no non-permission cause',
  severity: 'medium',
  appliesTo: ['backup', 'restore', 'copy'],
  requires: ['job'],
  rootCauses: CODES,
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-dashboards.html',
  messages: {
    none: 'The status message names no non-permission cause.',
    weak: 'The status message may point to {{code}}, but not clearly enough to decide.',
    stated: '{{summary}} The status message says: "{{statusMessage}}"',
    expired: 'The job ended EXPIRED: it did not start or complete within its start/completion window; lengthen the window or move the rule away from the resource\'s own backup/maintenance windows.',
  },
  run({ hint, job }) {
    const code = hint.codes[0]
    if (hint.kind !== 'non-permission' || code === undefined || !(CODES as readonly string[]).includes(code)) {
      if (job.state.toUpperCase() === 'EXPIRED') {
        const info = codeInfo('BACKUP_WINDOW_EXPIRED')
        return {
          status: 'fail', messageId: 'expired', data: { code: 'BACKUP_WINDOW_EXPIRED' },
          cause: { code: 'BACKUP_WINDOW_EXPIRED', entity: 'none', policy: null, action: null, resource: job.resourceArn },
          remediation: { steps: [...info.steps], policySnippet: null },
        }
      }
      return { status: 'pass', messageId: 'none', data: {} }
    }
    if (hint.strength !== 'strong') return { status: 'warn', messageId: 'weak', data: { code } }
    const info = codeInfo(code)
    return {
      status: 'fail', messageId: 'stated', data: { code, ruleId: hint.ruleId, summary: info.summary, statusMessage: job.statusMessage },
      cause: { code, entity: 'none', policy: null, action: hint.action, resource: hint.resource ?? job.resourceArn },
      remediation: { steps: [...info.steps], policySnippet: null },
    }
  },
})
