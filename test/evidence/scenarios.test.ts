/**
 * Evidence (not verdicts) for every published scenario, collected through the
 * sandbox with the real SDK clients. For each failed job the world itself is
 * the oracle: what the world holds must be `read`, what it lacks `absent`, and
 * nothing may be `unreadable` unless the world injects a fault.
 */
import t from 'tap'
import type { Test } from 'tap'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { ConfiguredRetryStrategy } from '@smithy/util-retry'
import { withSandbox, scenarioFiles } from '../helpers/sandbox.js'
import { createAwsContext } from '../../src/aws/index.js'
import type { AwsContext } from '../../src/aws/index.js'
import { collectEvidence, evidenceGaps } from '../../src/evidence/index.js'
import type { AccountOrgEvidence, Evidence, Item, JobType } from '../../src/evidence/index.js'

interface W {
  region?: string
  callerAccountId?: string
  organization?: { managementAccountId: string; rootId: string; units?: { id: string; parentId: string }[] }
  accounts: {
    id: string
    parentId?: string
    iam?: { roles?: { name: string; path?: string; inlinePolicies?: Record<string, unknown>; attachedPolicyArns?: string[]; permissionsBoundaryArn?: string }[] }
    kms?: { keys?: { id: string; region?: string; keyManager?: string }[] }
    backup?: {
      vaults?: { name: string; region?: string; accessPolicy?: unknown; encryptionKeyArn?: string }[]
      recoveryPoints?: { arn: string; vaultName: string; encryptionKeyArn?: string; restoreMetadata?: Record<string, string> }[]
      backupJobs?: Record<string, unknown>[]
      copyJobs?: Record<string, unknown>[]
      restoreJobs?: Record<string, unknown>[]
    }
  }[]
  faults?: { service: string; operation: string }[]
  authorizationMessages?: { encoded: string }[]
  expect?: { jobId: string; jobType?: JobType }[]
}

function context(url: string): AwsContext {
  return createAwsContext({
    defaultRegion: 'us-east-1', readerRoleName: 'BackupDoctorReadOnly', endpoint: url,
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' }, retryStrategy: new ConfiguredRetryStrategy(3, 5),
  })
}

function jobsOf(w: W): { id: string; type: JobType; accountId: string; raw: Record<string, unknown> }[] {
  const out: { id: string; type: JobType; accountId: string; raw: Record<string, unknown> }[] = []
  for (const a of w.accounts) {
    for (const j of a.backup?.backupJobs ?? []) out.push({ id: j.BackupJobId as string, type: 'backup', accountId: a.id, raw: j })
    for (const j of a.backup?.copyJobs ?? []) out.push({ id: j.CopyJobId as string, type: 'copy', accountId: a.id, raw: j })
    for (const j of a.backup?.restoreJobs ?? []) out.push({ id: j.RestoreJobId as string, type: 'restore', accountId: a.id, raw: j })
  }
  return out
}

const acct = (w: W, id: string) => w.accounts.find((a) => a.id === id)
const roleIn = (w: W, id: string, name: string) => acct(w, id)?.iam?.roles?.find((r) => r.name === name)
const stateOf = (i: Item<unknown> | undefined) => i?.state

/** Generic completeness: what the world has is read, what it lacks is absent. */
function checkAgainstWorld(t: Test, w: W, job: ReturnType<typeof jobsOf>[number], e: Evidence, faulty: boolean) {
  const region = w.region ?? 'us-east-1'
  t.match(e.job, { state: 'read', value: { id: job.id, type: job.type, accountId: job.accountId } }, 'job read and typed')
  if (e.job.state !== 'read') return
  const j = e.job.value

  // Job role.
  const roleArn = j.iamRoleArn
  if (roleArn !== null) {
    const m = /^arn:aws:iam::(\d{12}):role(\/.*\/|\/)([^/]+)$/.exec(roleArn)!
    const r = roleIn(w, m[1]!, m[3]!)
    const expected = r === undefined ? 'absent' : (r.path ?? '/') === m[2] ? 'read' : 'absent'
    if (!faulty) t.equal(e.jobRole.state, expected, `job role ${expected}`)
    if (e.jobRole.state === 'read') {
      const v = e.jobRole.value
      t.same(Object.keys(v.inlinePolicies.state === 'read' ? v.inlinePolicies.value : {}).sort(), Object.keys(r?.inlinePolicies ?? {}).sort(), 'every inline policy')
      t.same(Object.keys(v.attachedPolicies.state === 'read' ? v.attachedPolicies.value : {}).sort(), [...(r?.attachedPolicyArns ?? [])].sort(), 'every attached policy')
      t.equal(v.permissionsBoundary.state, r?.permissionsBoundaryArn ? 'read' : 'absent', 'boundary')
    }
    if (m[3] === 'AWSBackupDefaultServiceRole') {
      t.equal(e.alternateDefaultRole.state, r !== undefined && (r.path ?? '/') !== m[2] ? 'read' : 'absent', 'alternate default role')
    } else {
      t.equal(e.alternateDefaultRole.state, 'not-collected')
    }
  }

  // Vaults and keys.
  const vaultState = (accountId: string, vregion: string, name: string) =>
    acct(w, accountId)?.backup?.vaults?.some((v) => v.name === name && (v.region ?? region) === vregion) ? 'read' : 'absent'
  const vm = /^arn:aws:backup:([a-z0-9-]+):(\d{12}):backup-vault:(.+)$/.exec(j.backupVaultArn ?? '')
  if (vm) t.equal(e.sourceVault.state, vaultState(vm[2]!, vm[1]!, vm[3]!), 'source vault')
  if (job.type === 'copy') {
    const dm = /^arn:aws:backup:([a-z0-9-]+):(\d{12}):backup-vault:(.+)$/.exec(j.destinationBackupVaultArn ?? '')!
    t.equal(e.destinationVault.state, vaultState(dm[2]!, dm[1]!, dm[3]!), 'destination vault')
    if (e.destinationVault.state === 'read') {
      const wv = acct(w, dm[2]!)!.backup!.vaults!.find((v) => v.name === dm[3])!
      t.equal(e.destinationVault.value.accessPolicy.state, wv.accessPolicy ? 'read' : 'absent', 'destination vault policy')
    }
  } else {
    t.equal(e.destinationVault.state, 'not-collected')
  }
  if (job.type !== 'backup') {
    const rp = w.accounts.flatMap((a) => a.backup?.recoveryPoints ?? []).find((p) => p.arn === j.recoveryPointArn)
    t.equal(e.recoveryPoint.state, rp ? 'read' : 'absent', 'recovery point')
  }
  for (const [arn, k] of Object.entries(e.keys)) {
    const km = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/.exec(arn)!
    const wk = acct(w, km[2]!)?.kms?.keys?.find((x) => x.id === km[3] && (x.region ?? region) === km[1])
    t.equal(k.state, wk ? 'read' : 'absent', `key ${arn}`)
    if (k.state === 'read') t.equal(k.value.keyManager, wk?.keyManager ?? 'CUSTOMER', 'key manager')
  }
  for (const v of [e.sourceVault, e.destinationVault]) {
    if (v.state === 'read' && v.value.encryptionKeyArn) t.ok(v.value.encryptionKeyArn in e.keys, 'vault key collected')
  }
  if (e.recoveryPoint.state === 'read' && e.recoveryPoint.value.encryptionKeyArn) t.ok(e.recoveryPoint.value.encryptionKeyArn in e.keys, 'recovery point key collected')

  // Organization: every involved account, the full path, policies at each level.
  const involved = [job.accountId]
  if (job.type === 'copy') {
    const d = /:(\d{12}):backup-vault:/.exec(j.destinationBackupVaultArn ?? '')?.[1]
    if (d && d !== job.accountId) involved.push(d)
  }
  t.same(Object.keys(e.serviceLinkedRoles).sort(), [...involved].sort(), 'SLR per involved account')
  for (const a of involved) {
    const slr = roleIn(w, a, 'AWSServiceRoleForBackup')
    if (!faulty) t.equal(stateOf(e.serviceLinkedRoles[a]), slr ? 'read' : 'absent', `SLR in ${a}`)
  }
  if (w.organization) {
    t.equal(e.organization.state, 'read', 'organization read')
    if (e.organization.state === 'read') {
      t.equal(e.organization.value.managementAccountId, w.organization.managementAccountId)
      t.same(Object.keys(e.organization.value.accounts).sort(), [...involved].sort())
      for (const a of involved) {
        const member = acct(w, a)?.parentId !== undefined
        const ae: Item<AccountOrgEvidence> = e.organization.value.accounts[a]!
        t.equal(ae.state, member ? 'read' : 'absent', `membership of ${a}`)
        if (ae.state === 'read' && ae.value.path.state === 'read') {
          // Expected path from the world: account → parents → root.
          const ids = [a]
          let p: string = acct(w, a)!.parentId!
          while (p !== w.organization.rootId) {
            ids.push(p)
            p = w.organization.units!.find((u) => u.id === p)!.parentId
          }
          ids.push(w.organization.rootId)
          t.same(ae.value.path.value.map((l) => l.id), ids.reverse(), `path of ${a}`)
          if (!faulty) t.ok(ae.value.path.value.every((l) => l.scps.state === 'read' && l.rcps.state === 'read'), 'policies read at every level')
        }
      }
    }
    if (!faulty) t.equal(e.backupSettings.state, 'read', 'global settings')
  }
  // Authorization messages.
  const known = new Set((w.authorizationMessages ?? []).map((m) => m.encoded))
  for (const m of e.authorizationMessages) t.equal(m.decoded.state, known.has(m.encoded) ? 'read' : 'unreadable', 'decoded message')
  if (!faulty) t.same(evidenceGaps(e), [], 'no gaps without faults')
  t.doesNotThrow(() => JSON.parse(JSON.stringify(e)), 'JSON-serialisable')
}

for (const file of scenarioFiles()) {
  const name = basename(file, '.json')
  t.test(name, async (t) => {
    const w = JSON.parse(readFileSync(file, 'utf8')) as W
    const sb = await withSandbox(t, file)
    const ctx = context(sb.url)
    t.teardown(() => ctx.destroy())
    const faulty = (w.faults ?? []).some((f) => f.service !== 'iam' || name !== 'throttled-iam')
    for (const job of jobsOf(w)) {
      const e = await collectEvidence({ jobId: job.id, accountId: job.accountId }, ctx)
      checkAgainstWorld(t, w, job, e, faulty)
      t.ok(e.stats.awsCalls > 0 || e.stats.cacheHits > 0)
      t.ok(e.stats.criticalPathDepth >= 1)
    }
  })
}

t.test('specific classifications', async (t) => {
  const one = async (t: Test, scenario: string, jobId: string, accountId = '111111111111') => {
    const sb = await withSandbox(t, scenarioFiles().find((f) => basename(f, '.json') === scenario)!)
    const ctx = context(sb.url)
    t.teardown(() => ctx.destroy())
    return { e: await collectEvidence({ jobId, accountId }, ctx), sb }
  }

  t.test('partial-evidence-scps-unreadable: levels unreadable with error and call, not absent', async (t) => {
    const { e } = await one(t, 'partial-evidence-scps-unreadable', 'B6DCBEDF-FBAC-4FCA-9BEC-CDEEAFCAAB18')
    const a = e.organization.state === 'read' ? e.organization.value.accounts['111111111111'] : undefined
    const path = a?.state === 'read' && a.value.path.state === 'read' ? a.value.path.value : []
    t.equal(path.length, 4)
    for (const l of path) {
      t.match(l.scps, { state: 'unreadable', error: 'AccessDeniedException', call: 'organizations:ListPoliciesForTarget', errorClass: 'access-denied' })
      t.match(l.rcps, { state: 'unreadable', error: 'AccessDeniedException' })
    }
    const gaps = evidenceGaps(e)
    t.equal(gaps.length, 8)
    t.ok(gaps.some((g) => g.what === 'SCPs of account 111111111111' && g.reason === 'AccessDeniedException on organizations:ListPoliciesForTarget'))
    t.equal(e.jobRole.state, 'read', 'the rest is still read')
  })

  t.test('throttled-iam: the role is read through the SDK retries', async (t) => {
    const { e, sb } = await one(t, 'throttled-iam', 'C7EDCFEA-ACBD-4ADB-8CFD-DEFFBADBBC19')
    t.equal(e.jobRole.state, 'read')
    t.same(evidenceGaps(e), [])
    t.equal(sb.log.filter((l) => l.service === 'iam' && l.errorCode === 'Throttling').length, 2, 'the sandbox throttled twice; the SDK retried')
  })

  t.test('throttling past retries is reported, not hidden', async (t) => {
    const file = scenarioFiles().find((f) => basename(f, '.json') === 'throttled-iam')!
    const w = JSON.parse(readFileSync(file, 'utf8')) as W & { faults: Record<string, unknown>[] }
    w.faults = [{ service: 'iam', operation: 'GetRole', error: 'Throttling', message: 'Rate exceeded', httpStatus: 400 }]
    const sb = await withSandbox(t, w)
    const ctx = context(sb.url)
    t.teardown(() => ctx.destroy())
    const e = await collectEvidence({ jobId: 'C7EDCFEA-ACBD-4ADB-8CFD-DEFFBADBBC19', accountId: '111111111111' }, ctx)
    t.match(e.jobRole, { state: 'unreadable', error: 'Throttling', call: 'iam:GetRole', errorClass: 'throttled' })
    t.ok(evidenceGaps(e).some((g) => g.reason === 'Throttling on iam:GetRole'))
  })

  t.test('the job describe throttled past the SDK retries is AWS_THROTTLED, after 3 attempts', async (t) => {
    const file = scenarioFiles().find((f) => basename(f, '.json') === 'backup-vault-missing')!
    const w = JSON.parse(readFileSync(file, 'utf8')) as W & { faults: Record<string, unknown>[] }
    w.faults = [{ service: 'backup', operation: 'DescribeBackupJob', error: 'ThrottlingException', message: 'Rate exceeded', httpStatus: 429 }]
    const sb = await withSandbox(t, w)
    const ctx = context(sb.url)
    t.teardown(() => ctx.destroy())
    const err = await collectEvidence({ jobId: 'A5CBADCE-EAFB-4EBF-8ADB-BCDDFEBF9A17', accountId: '111111111111', jobType: 'backup' }, ctx).catch((e: unknown) => e)
    t.match(err, { code: 'AWS_THROTTLED', status: 503 })
    t.equal(sb.log.filter((l) => l.operation === 'DescribeBackupJob').length, 3, 'the SDK made its three attempts')
  })

  t.test('backup-vault-missing: vault absent', async (t) => {
    const { e } = await one(t, 'backup-vault-missing', 'A5CBADCE-EAFB-4EBF-8ADB-BCDDFEBF9A17')
    t.equal(e.sourceVault.state, 'absent')
  })

  t.test('backup-default-role-wrong-path: job role absent, the other path read', async (t) => {
    const { e } = await one(t, 'backup-default-role-wrong-path', '1C3E5A7B-9D2F-4B6A-8C0E-2A4B6C8D0E03')
    t.equal(e.jobRole.state, 'absent')
    t.match(e.alternateDefaultRole, { state: 'read', value: { path: '/', name: 'AWSBackupDefaultServiceRole' } })
  })

  t.test('copy-destination-outside-org: destination account not a member', async (t) => {
    const { e } = await one(t, 'copy-destination-outside-org', '9EBA3C5D-7F8A-4DAE-9FCA-4B6C8DAE2F10')
    t.match(e.organization, { state: 'read', value: { accounts: { '111111111111': { state: 'read' }, '333333333333': { state: 'absent' } } } })
  })

  t.test('copy-destination-slr-missing and vault without policy', async (t) => {
    const { e } = await one(t, 'copy-destination-slr-missing', 'AFCB4D6E-8A9B-4EBF-8ADB-5C7D9EBF3A11')
    t.equal(stateOf(e.serviceLinkedRoles['222222222222']), 'absent')
    t.equal(stateOf(e.serviceLinkedRoles['111111111111']), 'read')
    const { e: e2 } = await one(t, 'copy-destination-vault-no-policy', '6B8D0F2A-4C5D-4A7B-8C9D-1E3F5A7B9C07')
    t.match(e2.destinationVault, { state: 'read', value: { accountId: '222222222222', accessPolicy: { state: 'absent' } } })
  })

  t.test('copy-aws-managed-key-cross-account: the recovery point key is AWS managed', async (t) => {
    const { e } = await one(t, 'copy-aws-managed-key-cross-account', '7C9E1A3B-5D6E-4B8C-9DAE-2F4A6B8C0D08')
    const rpKey = e.recoveryPoint.state === 'read' ? e.recoveryPoint.value.encryptionKeyArn : null
    t.equal(rpKey, 'arn:aws:kms:us-east-1:111111111111:key/3c4d5e6f-3333-4c4c-8d8d-0e0e0e0e0e03')
    t.match(e.keys[rpKey!], { state: 'read', value: { keyManager: 'AWS' } })
  })

  t.test('restore-ec2-passrole: metadata, decoded message and the passed role', async (t) => {
    const { e } = await one(t, 'restore-ec2-passrole', 'B0DC5E7F-9BAC-4FCA-9BEC-6D8EAFCA4B12')
    t.match(e.restoreMetadata, { state: 'read', value: { IamInstanceProfileName: 'app-instance-role' } })
    t.match(e.authorizationMessages, [{ decoded: { state: 'read', value: { context: { action: 'iam:PassRole' } } } }])
    t.match(e.passedRoles['arn:aws:iam::111111111111:role/app-instance-role'], { state: 'read', value: { name: 'app-instance-role' } })
    t.equal(Object.keys(e.passedRoles).length, 1, 'named twice, read once')
  })

  t.test('without accountId, from the management account, the job is found organization-wide', async (t) => {
    const sb = await withSandbox(t, scenarioFiles().find((f) => basename(f, '.json') === 'backup-vault-missing')!)
    const ctx = context(sb.url)
    t.teardown(() => ctx.destroy())
    const e = await collectEvidence({ jobId: 'A5CBADCE-EAFB-4EBF-8ADB-BCDDFEBF9A17' }, ctx)
    t.match(e, { serviceAccountId: '100000000001', request: { accountId: '111111111111' }, job: { state: 'read', value: { accountId: '111111111111' } } })
    const missing = await collectEvidence({ jobId: '00000000-0000-4000-8000-000000000000' }, ctx).catch((x: unknown) => x)
    t.match(missing, { code: 'JOB_NOT_FOUND' })
  })
})
