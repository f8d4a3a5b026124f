import t from 'tap'
import check from '../../../diagnostics/checks/cross-account-backup-setting.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { aCopyEvidence, anEvidence, read, unreadable } from '../../helpers/evidence-builders.js'

runCheckCases(t, check, [
  { name: 'enabled', evidence: aCopyEvidence(), status: 'pass', messageId: 'enabled' },
  { name: 'disabled', evidence: aCopyEvidence({ backupSettings: read({ isCrossAccountBackupEnabled: false, raw: {} }) }), status: 'fail', messageId: 'disabled', code: 'CROSS_ACCOUNT_BACKUP_DISABLED', entity: 'none', verdict: 'CROSS_ACCOUNT_BACKUP_DISABLED' },
  { name: 'not reported', evidence: aCopyEvidence({ backupSettings: read({ isCrossAccountBackupEnabled: null, raw: {} }) }), status: 'warn', messageId: 'not-reported' },
  { name: 'unreadable → unknown', evidence: aCopyEvidence({ backupSettings: unreadable('backup:DescribeGlobalSettings') }), status: 'unknown' },
  { name: 'not a copy', evidence: anEvidence(), status: 'skipped' },
])
