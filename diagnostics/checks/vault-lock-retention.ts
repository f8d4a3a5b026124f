/**
 * The job's retention fits the target vault's lock: with AWS Backup Vault Lock a
 * vault refuses recovery points whose retention is below MinRetentionDays or
 * above MaxRetentionDays (or kept forever while a maximum is set)
 * ("AWS Backup Vault Lock", https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html).
 * Fail → VAULT_LOCK_RETENTION_CONFLICT. Skipped when the vault has no lock range
 * or the job's lifecycle is not known.
 */
import type { Evidence, JobEvidence } from '../../src/evidence/types.js'
import { defineCheck } from '../define-check.js'
import { valueOf } from '../lib/evidence.js'

const targetVault = (e: Evidence, job: JobEvidence) => valueOf(job.type === 'copy' ? e.destinationVault : e.sourceVault)

export default defineCheck({
  id: 'vault-lock-retention',
  title: 'Job retention is within the vault lock range',
  severity: 'medium',
  appliesTo: ['backup', 'copy'],
  requires: (job) => (job.type === 'copy' ? ['job', 'destinationVault'] : ['job', 'sourceVault']),
  skipUnless: (e, job) => {
    const v = targetVault(e, job)
    if (!v || (v.minRetentionDays === null && v.maxRetentionDays === null)) return 'the target vault has no lock retention range'
    return job.lifecycle ? null : 'the job\'s retention is not known'
  },
  rootCauses: ['VAULT_LOCK_RETENTION_CONFLICT'],
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html',
  messages: {
    within: 'The job keeps its recovery point {{retention}} days, within the vault lock range {{min}}–{{max}}.',
    outside: 'The job keeps its recovery point {{retention}}, outside the range {{min}}–{{max}} days that vault {{vaultArn}} enforces; change the rule\'s retention.',
  },
  run({ evidence, job }) {
    const v = targetVault(evidence, job)!
    const days = job.lifecycle?.deleteAfterDays ?? null
    const min = v.minRetentionDays
    const max = v.maxRetentionDays
    const tooShort = min !== null && days !== null && days < min
    const tooLong = max !== null && (days === null || days > max)
    const data = { retention: days === null ? 'forever' : `${days} days`, min: min ?? 0, max: max ?? '∞', vaultArn: v.arn }
    if (!tooShort && !tooLong) return { status: 'pass', messageId: 'within', data: { ...data, retention: days ?? 'forever' } }
    return {
      status: 'fail', messageId: 'outside', data,
      cause: { code: 'VAULT_LOCK_RETENTION_CONFLICT', entity: 'none', policy: null, action: null, resource: v.arn },
    }
  },
})
