/**
 * Backup vault access policies let the job role do what the job does on the
 * vault. A copy: the source vault must not deny backup:CopyFromBackupVault and
 * the destination vault must not deny backup:CopyIntoBackupVault — and for a
 * CROSS-ACCOUNT copy the destination vault's policy must explicitly allow it (a
 * vault without a policy lets no other account copy in: "Creating backup copies
 * across AWS accounts", https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html).
 * A backup: the target vault must not deny the job role (backup:TagResource) nor
 * the call that started the job (backup:StartBackupJob; a restore:
 * backup:StartRestoreJob) — the caller is not in the evidence, so a Deny that
 * matches any principal (e.g. `"Principal": "*"`) is what can be seen; entity
 * `caller` then. Fail →
 * VAULT_POLICY_DENIES, policy.id = the vault ARN (statement: the Deny, or null
 * when nothing allows). A decision that hangs on a missing condition key is a `warn`.
 */
import type { Evidence, JobEvidence, VaultEvidence } from '../../src/evidence/types.js'
import { defineCheck } from '../define-check.js'
import { policyInput, roleCall, votes } from '../lib/iam.js'
import { arnAccount, isCrossAccountCopy, valueOf } from '../lib/evidence.js'
import { accountRootArn, jobPartition } from '../lib/partition.js'
import { allowStatement, removeStatement } from '../lib/snippets.js'

/** `entity`: who makes the call — the job role, or (Start*Job) the caller that started the job. */
interface VaultCall { vault: VaultEvidence; action: string; resource: string; mustAllow: boolean; entity: 'job-role' | 'caller' }

function vaultCalls(e: Evidence, job: JobEvidence): VaultCall[] {
  const calls: VaultCall[] = []
  const source = valueOf(e.sourceVault)
  if (job.type === 'copy') {
    if (source) calls.push({ vault: source, action: 'backup:CopyFromBackupVault', resource: job.recoveryPointArn ?? source.arn, mustAllow: false, entity: 'job-role' })
    const dest = valueOf(e.destinationVault)
    if (dest) calls.push({ vault: dest, action: 'backup:CopyIntoBackupVault', resource: dest.arn, mustAllow: isCrossAccountCopy(job), entity: 'job-role' })
  } else if (job.type === 'backup' && source) {
    calls.push({ vault: source, action: 'backup:StartBackupJob', resource: source.arn, mustAllow: false, entity: 'caller' })
    calls.push({ vault: source, action: 'backup:TagResource', resource: source.arn, mustAllow: false, entity: 'job-role' })
  } else if (job.type === 'restore' && source) {
    calls.push({ vault: source, action: 'backup:StartRestoreJob', resource: job.recoveryPointArn ?? source.arn, mustAllow: false, entity: 'caller' })
  }
  return calls
}

export default defineCheck({
  id: 'vault-access-policy',
  title: 'Vault access policies allow the job role',
  severity: 'high',
  appliesTo: ['backup', 'restore', 'copy'],
  requires: (job) => (job.type === 'copy'
    ? ['job', 'jobRole', 'sourceVault.accessPolicy', 'destinationVault.accessPolicy']
    : ['job', 'jobRole', 'sourceVault.accessPolicy']),
  after: ['job-role-exists'],
  skipUnless: (e, job) => (vaultCalls(e, job).length > 0 ? null : 'no vault of the job could be read'),
  rootCauses: ['VAULT_POLICY_DENIES'],
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html',
  messages: {
    allowed: 'The vault access policies allow the job role ({{vaults}}).',
    'explicit-deny': 'Statement {{statement}} of the access policy of {{vaultArn}} denies {{action}} to the job role {{roleArn}}.',
    'explicit-deny-caller': 'Statement {{statement}} of the access policy of {{vaultArn}} denies {{action}}, the call that starts the job, to principals like the job\'s.',
    'no-policy': 'The destination vault {{vaultArn}} has no access policy, so account {{sourceAccount}} may not copy into it; add the statement below.',
    'not-allowed': 'The access policy of the destination vault {{vaultArn}} does not allow {{action}} to account {{sourceAccount}}; add the statement below.',
    'missing-context': 'Whether the access policy of {{vaultArn}} allows {{action}} depends on condition keys the evidence does not carry ({{keys}}).',
  },
  run({ evidence, job }) {
    const roleArn = job.iamRoleArn ?? valueOf(evidence.jobRole)?.arn ?? ''
    const sourceAccount = arnAccount(roleArn) ?? job.accountId
    for (const call of vaultCalls(evidence, job)) {
      const { vault, action } = call
      const policy = vault.accessPolicy.state === 'read' ? policyInput('vault', vault.arn, vault.accessPolicy.value) : null
      const data = { vaultArn: vault.arn, action, roleArn, sourceAccount }
      const cause = { code: 'VAULT_POLICY_DENIES', entity: call.entity, action, resource: vault.arn } as const
      const addStatement = allowStatement('AllowCopyIntoFromSourceAccount', [action], ['*'], { Principal: { AWS: accountRootArn(jobPartition(job), sourceAccount) } })
      if (!policy) {
        if (!call.mustAllow) continue
        return {
          status: 'fail', messageId: 'no-policy', data,
          cause: { ...cause, policy: { kind: 'vault', id: vault.arn, statement: null } },
          remediation: { steps: [`Put an access policy on ${vault.arn} (in account ${vault.accountId}) that allows ${action} from account ${sourceAccount}.`], policySnippet: addStatement },
        }
      }
      const req = roleCall(evidence, job, roleArn, action, call.resource, { resourceAccount: vault.accountId })
      const v = votes([policy], req)
      const deny = v.denies[0]
      if (deny) {
        return {
          status: 'fail', messageId: call.entity === 'caller' ? 'explicit-deny-caller' : 'explicit-deny', data: { ...data, statement: deny.statement },
          cause: { ...cause, policy: { kind: 'vault', id: vault.arn, statement: deny.statement } },
          remediation: { steps: [`Remove or narrow statement ${deny.statement} of the access policy of ${vault.arn}.`], policySnippet: removeStatement(deny, policy.document) },
        }
      }
      if (call.mustAllow && v.allows.length === 0) {
        if (v.missingContextKeys.length > 0) return { status: 'warn', messageId: 'missing-context', data: { ...data, keys: v.missingContextKeys } }
        return {
          status: 'fail', messageId: 'not-allowed', data,
          cause: { ...cause, policy: { kind: 'vault', id: vault.arn, statement: null } },
          remediation: { steps: [`Add the statement below to the access policy of ${vault.arn}.`], policySnippet: addStatement },
        }
      }
    }
    return { status: 'pass', messageId: 'allowed', data: { vaults: [...new Set(vaultCalls(evidence, job).map((c) => c.vault.arn))] } }
  },
})
