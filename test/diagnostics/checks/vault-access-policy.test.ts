import t from 'tap'
import check from '../../../diagnostics/checks/vault-access-policy.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, DEST, ORG_ID, aCopyEvidence, aRestoreEvidence, aVault, absent, anEvidence, doc, read, unreadable, vaultArn } from '../../helpers/evidence-builders.js'
import type { Evidence } from '../../../src/evidence/types.js'

const DEST_VAULT = vaultArn('central-vault', DEST)
const destPolicy = (policy: Evidence['destinationVault'] extends infer _ ? ReturnType<typeof read> | ReturnType<typeof absent> : never) =>
  aCopyEvidence({ destinationVault: read(aVault({ name: 'central-vault', account: DEST, accountId: DEST, accessPolicy: policy as never })) })
const copyIn = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'backup:CopyIntoBackupVault', Resource: '*', ...extra })

runCheckCases(t, check, [
  { name: 'org-wide copy-in policy', evidence: aCopyEvidence(), status: 'pass', messageId: 'allowed' },
  { name: 'source account allowed by account root', evidence: destPolicy(read(doc(copyIn()))), status: 'pass' },
  {
    name: 'cross-account copy into a vault without a policy', evidence: destPolicy(absent('no access policy')),
    status: 'fail', messageId: 'no-policy', code: 'VAULT_POLICY_DENIES', entity: 'job-role', policy: { kind: 'vault', id: DEST_VAULT, statement: null },
    action: 'backup:CopyIntoBackupVault', resource: DEST_VAULT, verdict: 'VAULT_POLICY_DENIES',
  },
  {
    name: 'policy allows only another account', evidence: destPolicy(read(doc(copyIn({ Principal: { AWS: 'arn:aws:iam::333333333333:root' } })))),
    status: 'fail', messageId: 'not-allowed', code: 'VAULT_POLICY_DENIES', policy: { kind: 'vault', id: DEST_VAULT, statement: null },
  },
  {
    name: 'explicit deny outside the org', evidence: destPolicy(read(doc(copyIn(), { Sid: 'DenyOutsideOrg', Effect: 'Deny', Principal: '*', Action: 'backup:CopyIntoBackupVault', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-otherorg' } } }))),
    status: 'fail', messageId: 'explicit-deny', code: 'VAULT_POLICY_DENIES', policy: { kind: 'vault', id: DEST_VAULT, statement: 'DenyOutsideOrg' },
  },
  {
    name: 'deny on the source vault for CopyFromBackupVault', evidence: aCopyEvidence({
      sourceVault: read(aVault({ accessPolicy: read(doc({ Sid: 'NoCopyOut', Effect: 'Deny', Principal: '*', Action: 'backup:CopyFromBackupVault', Resource: '*' })) })),
    }),
    status: 'fail', messageId: 'explicit-deny', code: 'VAULT_POLICY_DENIES', policy: { kind: 'vault', id: vaultArn('prod-vault'), statement: 'NoCopyOut' }, action: 'backup:CopyFromBackupVault',
  },
  {
    name: 'org id unknown: PrincipalOrgID condition cannot be decided', evidence: aCopyEvidence({ organization: unreadable('organizations:DescribeOrganization') }),
    status: 'warn', messageId: 'missing-context', data: { keys: ['aws:PrincipalOrgID'] },
  },
  {
    name: 'backup vault denying the job role', evidence: anEvidence({ sourceVault: read(aVault({ accessPolicy: read(doc({ Sid: 'LockDown', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'backup:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': ORG_ID } } })) })) }),
    status: 'pass',
  },
  {
    name: 'backup vault denies starting backups to everyone', evidence: anEvidence({ sourceVault: read(aVault({ accessPolicy: read(doc({ Sid: 'NoNewBackups', Effect: 'Deny', Principal: '*', Action: 'backup:StartBackupJob', Resource: '*' })) })) }),
    status: 'fail', messageId: 'explicit-deny-caller', code: 'VAULT_POLICY_DENIES', entity: 'caller', policy: { kind: 'vault', id: vaultArn('prod-vault'), statement: 'NoNewBackups' },
  },
  {
    name: 'restore: vault denies StartRestoreJob', evidence: aRestoreEvidence({ sourceVault: read(aVault({ accessPolicy: read(doc({ Sid: 'NoRestores', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'backup:StartRestoreJob', Resource: '*' })) })) }),
    status: 'fail', code: 'VAULT_POLICY_DENIES', entity: 'caller', action: 'backup:StartRestoreJob',
  },
  // aws:PrincipalOrgPaths is the source account's path root → OUs (anOrg: r-ex12 → ou-ex12-workload): ABK-022.
  {
    name: 'destination vault allows the source OU by aws:PrincipalOrgPaths',
    evidence: destPolicy(read(doc(copyIn({ Principal: '*', Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG_ID}/r-ex12/ou-ex12-workload/*` } } })))),
    status: 'pass', messageId: 'allowed',
  },
  {
    name: 'destination vault allows only another OU by aws:PrincipalOrgPaths',
    evidence: destPolicy(read(doc(copyIn({ Principal: '*', Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG_ID}/r-ex12/ou-ex12-backupou/*` } } })))),
    status: 'fail', messageId: 'not-allowed', code: 'VAULT_POLICY_DENIES', policy: { kind: 'vault', id: DEST_VAULT, statement: null }, verdict: 'VAULT_POLICY_DENIES',
  },
  { name: 'vault policy unreadable → unknown', evidence: aCopyEvidence({ destinationVault: read(aVault({ name: 'central-vault', account: DEST, accountId: DEST, accessPolicy: unreadable('backup:GetBackupVaultAccessPolicy') })) }), status: 'unknown' },
])
