import t from 'tap'
import check from '../../../diagnostics/checks/target-vault-exists.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { DEST, aCopyEvidence, absent, anEvidence, unreadable, vaultArn } from '../../helpers/evidence-builders.js'

runCheckCases(t, check, [
  { name: 'backup vault exists', evidence: anEvidence(), status: 'pass', messageId: 'exists' },
  {
    name: 'backup vault missing', evidence: anEvidence({ sourceVault: absent('ResourceNotFoundException') }, { backupVaultArn: vaultArn('org-policy-vault'), backupVaultName: 'org-policy-vault' }),
    status: 'fail', messageId: 'missing', code: 'VAULT_NOT_FOUND', entity: 'none', resource: vaultArn('org-policy-vault'), verdict: 'VAULT_NOT_FOUND',
  },
  {
    name: 'copy destination vault missing', evidence: aCopyEvidence({ destinationVault: absent('ResourceNotFoundException') }),
    status: 'fail', messageId: 'missing', code: 'VAULT_NOT_FOUND', resource: vaultArn('central-vault', DEST), data: { accountId: DEST },
  },
  { name: 'copy: a missing SOURCE vault is not this check\'s concern', evidence: aCopyEvidence({ sourceVault: unreadable('backup:DescribeBackupVault') }), status: 'pass' },
  { name: 'vault unreadable → unknown', evidence: anEvidence({ sourceVault: unreadable('backup:DescribeBackupVault') }), status: 'unknown' },
])
