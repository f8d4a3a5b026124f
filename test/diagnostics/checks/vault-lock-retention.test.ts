import t from 'tap'
import check from '../../../diagnostics/checks/vault-lock-retention.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { aVault, anEvidence, read } from '../../helpers/evidence-builders.js'

const locked = (lifecycle: { deleteAfterDays: number | null } | null) =>
  anEvidence({ sourceVault: read(aVault({ locked: true, minRetentionDays: 7, maxRetentionDays: 365 })) }, { lifecycle: lifecycle ? { ...lifecycle, moveToColdStorageAfterDays: null } : null })

runCheckCases(t, check, [
  { name: 'within range', evidence: locked({ deleteAfterDays: 35 }), status: 'pass', messageId: 'within' },
  { name: 'too short', evidence: locked({ deleteAfterDays: 1 }), status: 'fail', messageId: 'outside', code: 'VAULT_LOCK_RETENTION_CONFLICT', entity: 'none', verdict: 'VAULT_LOCK_RETENTION_CONFLICT' },
  { name: 'forever with a maximum', evidence: locked({ deleteAfterDays: null }), status: 'fail', code: 'VAULT_LOCK_RETENTION_CONFLICT', data: { retention: 'forever' } },
  { name: 'lifecycle unknown', evidence: locked(null), status: 'skipped' },
  { name: 'no lock', evidence: anEvidence(), status: 'skipped' },
])
