/**
 * Every published scenario served through the real clients: each job, role,
 * inline policy, vault, key and recovery point the world holds arrives field
 * for field. (A field the SDK does not model would be dropped silently by the
 * client; this test is what catches a world that relies on one.)
 */
import t from 'tap'
import {
  DescribeBackupJobCommand, DescribeBackupVaultCommand, DescribeCopyJobCommand, DescribeRecoveryPointCommand, DescribeRestoreJobCommand,
  GetBackupVaultAccessPolicyCommand, ListBackupJobsCommand, ListCopyJobsCommand, ListRestoreJobsCommand,
} from '@aws-sdk/client-backup'
import { GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam'
import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms'
import { loadWorld, type World } from '../../src/sandbox/index.js'
import { TIMESTAMP_FIELDS } from '../../src/sandbox/world.js'
import { Model } from '../../src/sandbox/model.js'
import { scenarioFiles, withSandbox } from '../helpers/sandbox.js'
import { clientsAs, plain } from './fixtures/util.js'

/** World job as the SDK returns it: ISO dates normalised to milliseconds. */
function expectedJob(job: Record<string, unknown>, accountId: string): Record<string, unknown> {
  const out: Record<string, unknown> = { AccountId: accountId }
  for (const [k, v] of Object.entries(job)) out[k] = TIMESTAMP_FIELDS.has(k) && typeof v === 'string' ? new Date(v).toISOString() : v
  return out
}

for (const file of scenarioFiles()) {
  t.test(file.slice(file.lastIndexOf('/') + 1), async (t) => {
    const world: World = loadWorld(file)
    const model = new Model(world)
    const sandbox = await withSandbox(t, world)
    for (const account of world.accounts) {
      const regions = new Set<string>([model.region])
      for (const kind of ['backup', 'copy', 'restore'] as const) for (const j of model.jobs(kind)) if (j.accountId === account.id) regions.add(j.region)
      for (const region of regions) {
        const c = await clientsAs(t, sandbox.url, account.id, region, model.readerRoleName)
        for (const ref of model.jobs('backup').filter((j) => j.accountId === account.id && j.region === region)) {
          t.strictSame(plain(await c.backup.send(new DescribeBackupJobCommand({ BackupJobId: ref.job.BackupJobId as string }))), expectedJob(ref.job, account.id))
        }
        for (const ref of model.jobs('copy').filter((j) => j.accountId === account.id && j.region === region)) {
          t.strictSame(plain((await c.backup.send(new DescribeCopyJobCommand({ CopyJobId: ref.job.CopyJobId as string }))).CopyJob), expectedJob(ref.job, account.id))
        }
        for (const ref of model.jobs('restore').filter((j) => j.accountId === account.id && j.region === region)) {
          const got = plain(await c.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: ref.job.RestoreJobId as string }))) as Record<string, unknown>
          t.strictSame({ ...got, BackupVaultArn: undefined }, { ...expectedJob(ref.job, account.id), BackupVaultArn: undefined })
          if (ref.job.BackupVaultArn !== undefined) t.equal(got.BackupVaultArn, ref.job.BackupVaultArn)
        }
        if (region !== model.region) continue
        for (const role of account.iam?.roles ?? []) {
          const r = (await c.iam.send(new GetRoleCommand({ RoleName: role.name }))).Role!
          t.strictSame(JSON.parse(decodeURIComponent(r.AssumeRolePolicyDocument!)), role.trustPolicy)
          t.equal(r.PermissionsBoundary?.PermissionsBoundaryArn, role.permissionsBoundaryArn)
          const attached = (await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.name }))).AttachedPolicies ?? []
          t.strictSame(attached.map((p) => p.PolicyArn), role.attachedPolicyArns ?? [])
          for (const [name, doc] of Object.entries(role.inlinePolicies ?? {})) {
            t.strictSame(JSON.parse(decodeURIComponent((await c.iam.send(new GetRolePolicyCommand({ RoleName: role.name, PolicyName: name }))).PolicyDocument!)), doc)
          }
        }
        for (const v of model.vaults(account.id, region)) {
          const got = await c.backup.send(new DescribeBackupVaultCommand({ BackupVaultName: v.name }))
          t.strictSame([got.EncryptionKeyArn, got.Locked, got.MinRetentionDays, got.MaxRetentionDays], [v.encryptionKeyArn, v.locked ?? false, v.minRetentionDays, v.maxRetentionDays])
          if (v.accessPolicy) t.strictSame(JSON.parse((await c.backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: v.name }))).Policy!), v.accessPolicy)
        }
        for (const k of model.keys(account.id, region)) {
          t.equal((await c.kms.send(new DescribeKeyCommand({ KeyId: k.id }))).KeyMetadata?.KeyState, k.keyState ?? 'Enabled')
          t.strictSame(JSON.parse((await c.kms.send(new GetKeyPolicyCommand({ KeyId: k.id }))).Policy!), k.policy)
        }
        for (const rp of model.recoveryPoints(account.id, region)) {
          const got = await c.backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: rp.vaultName, RecoveryPointArn: rp.arn }))
          t.strictSame([got.RecoveryPointArn, got.ResourceType, got.EncryptionKeyArn, got.Status], [rp.arn, rp.resourceType, rp.encryptionKeyArn, rp.status ?? 'COMPLETED'])
        }
      }
    }
    // From the management account, the org-wide lists hold every member's jobs of the world's region.
    const org = world.organization
    if (org && world.accounts.some((a) => a.id === org.managementAccountId)) {
      const mgmt = await clientsAs(t, sandbox.url, org.managementAccountId, model.region, model.readerRoleName)
      const members = (kind: 'backup' | 'copy' | 'restore') => model.jobs(kind).filter((j) => model.isMember(j.accountId) && j.region === model.region).length
      t.equal((await mgmt.backup.send(new ListBackupJobsCommand({ ByAccountId: '*' }))).BackupJobs?.length ?? 0, members('backup'))
      t.equal((await mgmt.backup.send(new ListCopyJobsCommand({ ByAccountId: '*' }))).CopyJobs?.length ?? 0, members('copy'))
      t.equal((await mgmt.backup.send(new ListRestoreJobsCommand({ ByAccountId: '*' }))).RestoreJobs?.length ?? 0, members('restore'))
    }
  })
}
