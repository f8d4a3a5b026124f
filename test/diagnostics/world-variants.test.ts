/**
 * Worlds like the published ones but with another cause, built by editing a
 * published world: the pipeline must diagnose them from evidence collected
 * through the sandbox (no special cases). Status messages are deliberately
 * generic or unrecognised where the evidence alone must decide.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { ConfiguredRetryStrategy } from '@smithy/util-retry'
import { withSandbox, scenarioFile } from '../helpers/sandbox.js'
import { createAwsContext } from '../../src/aws/index.js'
import { collectEvidence } from '../../src/evidence/index.js'
import { diagnose } from '../../diagnostics/index.js'
import type { Diagnosis } from '../../diagnostics/types.js'

type World = any

const load = (name: string): World => JSON.parse(readFileSync(scenarioFile(name), 'utf8'))
const acct = (w: World, id: string) => w.accounts.find((a: any) => a.id === id)
const job = (w: World) => {
  for (const a of w.accounts) for (const k of ['backupJobs', 'copyJobs', 'restoreJobs']) for (const j of a.backup?.[k] ?? []) return { j, accountId: a.id as string }
  throw new Error('no job')
}

async function diagnoseWorld(tt: any, w: World): Promise<Diagnosis> {
  delete w.expect
  const sb = await withSandbox(tt, w)
  const ctx = createAwsContext({
    defaultRegion: 'us-east-1', readerRoleName: 'BackupDoctorReadOnly', endpoint: sb.url,
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' }, retryStrategy: new ConfiguredRetryStrategy(3, 5),
  })
  tt.teardown(() => ctx.destroy())
  const { j, accountId } = job(w)
  const jobId = j.BackupJobId ?? j.CopyJobId ?? j.RestoreJobId
  return diagnose(await collectEvidence({ jobId, accountId }, ctx))
}

const SHARED_KEY_STATEMENT = {
  Sid: 'AllowCentralBackupAccount', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' },
  Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'], Resource: '*',
}

t.test('cross-account backup disabled in the organization', async (t) => {
  const w = load('copy-cmk-not-shared')
  acct(w, '111111111111').kms.keys[0].policy.Statement.push(SHARED_KEY_STATEMENT)
  w.organization.backupSettings.isCrossAccountBackupEnabled = false
  job(w).j.StatusMessage = 'Copy job failed.'
  const d = await diagnoseWorld(t, w)
  t.match(d.rootCause, { code: 'CROSS_ACCOUNT_BACKUP_DISABLED', entity: 'none' })
})

t.test('source key disabled (and not shared): the unusable key is the cause', async (t) => {
  const w = load('copy-cmk-not-shared')
  acct(w, '111111111111').kms.keys[0].keyState = 'Disabled'
  const d = await diagnoseWorld(t, w)
  t.match(d.rootCause, { code: 'KMS_KEY_UNUSABLE', policy: { kind: 'kms-key' } })
})

t.test('identity policy with an explicit deny', async (t) => {
  const w = load('backup-ebs-identity-missing-action')
  const role = acct(w, '111111111111').iam.roles[0]
  role.inlinePolicies['ebs-backup'].Statement[0].Action.push('ec2:CreateSnapshot')
  role.inlinePolicies['guardrail'] = { Version: '2012-10-17', Statement: [{ Sid: 'NoSnapshotsOnFridays', Effect: 'Deny', Action: 'ec2:CreateSnapshot', Resource: '*' }] }
  job(w).j.StatusMessage = 'User: arn:aws:sts::111111111111:assumed-role/BackupRole-Ebs/AWSBackup-BackupRole-Ebs is not authorized to perform: ec2:CreateSnapshot on resource: arn:aws:ec2:us-east-1:111111111111:volume/vol-0a1b2c3d4e5f67890 with an explicit deny in an identity-based policy'
  const d = await diagnoseWorld(t, w)
  t.match(d.rootCause, { code: 'IDENTITY_POLICY_EXPLICIT_DENY', entity: 'job-role', policy: { kind: 'identity', id: 'guardrail', statement: 'NoSnapshotsOnFridays' } })
  t.equal(d.confidence, 'high')
})

t.test('SCP allow-list on the OU misses ec2', async (t) => {
  const w = load('backup-scp-region-deny')
  const lock = w.organization.policies.find((p: any) => p.id === 'p-regionlock1')
  lock.content = { Version: '2012-10-17', Statement: [{ Sid: 'AllowListed', Effect: 'Allow', Action: ['s3:*', 'backup:*', 'kms:*'], Resource: '*' }] }
  const full = w.organization.policies.find((p: any) => p.id === 'p-FullAWSAccess')
  full.targets = full.targets.filter((x: string) => x !== 'ou-ex12-produnit')
  job(w).j.StatusMessage = 'Insufficient privileges to perform this action'
  const d = await diagnoseWorld(t, w)
  t.match(d.rootCause, { code: 'SCP_NOT_ALLOWED', entity: 'job-role', policy: { kind: 'scp', id: 'p-regionlock1', statement: null } })
})

t.test('RCP denies use of the source key', async (t) => {
  const w = load('copy-cmk-not-shared')
  acct(w, '111111111111').kms.keys[0].policy.Statement.push(SHARED_KEY_STATEMENT)
  w.organization.policies.push({
    id: 'p-rcpnokms', name: 'NoKmsGrants', type: 'RESOURCE_CONTROL_POLICY', targets: ['r-ex12'],
    content: { Version: '2012-10-17', Statement: [{ Sid: 'DenyGrants', Effect: 'Deny', Principal: '*', Action: 'kms:CreateGrant', Resource: '*' }] },
  })
  job(w).j.StatusMessage = 'Copy job failed.'
  const d = await diagnoseWorld(t, w)
  t.match(d.rootCause, { code: 'RCP_DENIES', policy: { kind: 'rcp', id: 'p-rcpnokms', statement: 'DenyGrants' } })
})

t.test('restore of an expired recovery point', async (t) => {
  const w = load('restore-ec2-passrole')
  const a = acct(w, '111111111111')
  a.iam.roles[0].inlinePolicies['restore-ec2'].Statement[0].Action.push('iam:PassRole')
  a.backup.recoveryPoints[0].status = 'EXPIRED'
  job(w).j.StatusMessage = 'Restore failed.'
  delete w.authorizationMessages
  const d = await diagnoseWorld(t, w)
  t.match(d.rootCause, { code: 'RECOVERY_POINT_UNAVAILABLE', entity: 'none' })
})

t.test('healthy world, unknown message: no confident wrong verdict', async (t) => {
  const w = load('copy-cmk-not-shared')
  acct(w, '111111111111').kms.keys[0].policy.Statement.push(SHARED_KEY_STATEMENT)
  job(w).j.StatusMessage = 'Something nobody has seen before.'
  const d = await diagnoseWorld(t, w)
  t.equal(d.rootCause.code, 'UNDETERMINED')
  t.not(d.confidence, 'high')
})
