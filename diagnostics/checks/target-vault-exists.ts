/**
 * The vault the job writes to exists: a backup's target vault, a copy's
 * destination vault (read in the destination account and Region). AWS Backup
 * does not validate vault names of organization backup policies, so a missing
 * vault surfaces only when a job fails ("Backup job failed because backup vault
 * ... does not exist", https://repost.aws/knowledge-center/backup-policy-no-jobs-created).
 * Fail: DescribeBackupVault answered ResourceNotFound → VAULT_NOT_FOUND.
 */
import type { Evidence, JobEvidence } from '../../src/evidence/types.js'
import { defineCheck } from '../define-check.js'

const targetOf = (e: Evidence, job: JobEvidence) =>
  job.type === 'copy'
    ? { item: e.destinationVault, arn: job.destinationBackupVaultArn }
    : { item: e.sourceVault, arn: job.backupVaultArn }

export default defineCheck({
  id: 'target-vault-exists',
  title: 'Target backup vault exists',
  severity: 'critical',
  appliesTo: ['backup', 'copy'],
  requires: (job) => (job.type === 'copy' ? ['job', 'destinationVault'] : ['job', 'sourceVault']),
  rootCauses: ['VAULT_NOT_FOUND'],
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/vaults.html',
  messages: {
    exists: 'The target vault {{vaultArn}} exists.',
    'not-collected': 'The target vault was not read: {{reason}}.',
    missing: 'The target vault {{vaultArn}} does not exist in account {{accountId}}; create it or fix the vault name in the plan or backup policy.',
  },
  run({ evidence, job }) {
    const { item, arn } = targetOf(evidence, job)
    const vaultArn = arn ?? job.backupVaultName ?? 'the target vault'
    if (item.state === 'read') return { status: 'pass', messageId: 'exists', data: { vaultArn: item.value.arn } }
    if (item.state === 'absent') {
      const accountId = arn?.split(':')[4] ?? job.accountId
      return {
        status: 'fail', messageId: 'missing', data: { vaultArn, accountId },
        cause: { code: 'VAULT_NOT_FOUND', entity: 'none', policy: null, action: null, resource: arn },
      }
    }
    return { status: 'warn', messageId: 'not-collected', data: { reason: item.state === 'not-collected' ? item.reason : item.error } }
  },
})
