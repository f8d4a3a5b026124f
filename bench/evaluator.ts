/**
 * Policy evaluations per second for a typical AWS Backup diagnosis request set:
 * the job role with AWSBackupServiceRolePolicyForBackup + an inline policy + a
 * permissions boundary, three SCP levels, a vault access policy and a KMS key
 * policy; the calls a backup job makes (EBS, RDS, DynamoDB, KMS, Backup).
 * Side by side with @cloud-copilot/iam-simulate (AGPL; bench/test only) on the
 * same inputs. Prints figures, asserts nothing.
 *
 *   npm run build && node dist/bench/evaluator.js
 */
import { readFileSync } from 'node:fs'
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate'
import { buildBackupJobContext, evaluate } from '../src/policy/index.js'
import type { EvalRequest, PolicyInput, PolicySet, RequestContext } from '../src/policy/types.js'

const ACCT = '111111111111'
const REGION = 'eu-west-1'
const ROLE = `arn:aws:iam::${ACCT}:role/service-role/AWSBackupDefaultServiceRole`
const VAULT = `arn:aws:backup:${REGION}:${ACCT}:backup-vault:Default`
const KEY = `arn:aws:kms:${REGION}:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`

function managedPolicy(): unknown {
  const url = new URL('../../../shared/aws-data/managed-policies/AWSBackupServiceRolePolicyForBackup.json', import.meta.url)
  try {
    return JSON.parse(readFileSync(url, 'utf8'))
  } catch {
    console.error(`cannot read ${url.pathname}; run from the repository with ../shared present`)
    process.exit(2)
  }
}

const v = '2012-10-17'
const identity: PolicyInput[] = [
  { kind: 'identity', id: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup', document: managedPolicy() },
  {
    kind: 'identity', id: 'inline-extra', document: {
      Version: v,
      Statement: [
        { Sid: 'KmsForBackup', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey', 'kms:CreateGrant'], Resource: `arn:aws:kms:*:${ACCT}:key/*`, Condition: { StringLike: { 'kms:ViaService': ['ec2.*.amazonaws.com', 'rds.*.amazonaws.com'] } } },
        { Sid: 'NoIam', Effect: 'Deny', Action: 'iam:*', NotResource: `arn:aws:iam::${ACCT}:role/restore/*` },
      ],
    },
  },
]
const boundary: PolicyInput = {
  kind: 'boundary', id: `arn:aws:iam::${ACCT}:policy/BackupBoundary`, document: {
    Version: v,
    Statement: [
      { Sid: 'Services', Effect: 'Allow', Action: ['ec2:*', 'ebs:*', 'rds:*', 'dynamodb:*', 'backup:*', 'kms:*', 'tag:GetResources', 'elasticfilesystem:*', 's3:*', 'iam:PassRole'], Resource: '*' },
      { Sid: 'HomeRegions', Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } } },
    ],
  },
}
const full = { Version: v, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }
const scps: PolicySet['scps'] = [
  { levelId: 'r-ex12', policies: [{ kind: 'scp', id: 'p-FullAWSAccess', document: full }] },
  {
    levelId: 'ou-ex12-prod', policies: [
      { kind: 'scp', id: 'p-FullAWSAccess', document: full },
      { kind: 'scp', id: 'p-regionlock', document: { Version: v, Statement: [{ Sid: 'DenyOutsideEU', Effect: 'Deny', NotAction: ['iam:*', 'organizations:*', 'sts:*', 'support:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] }, ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/OrgAdmin' } } }] } },
    ],
  },
  {
    levelId: ACCT, policies: [
      { kind: 'scp', id: 'p-FullAWSAccess', document: full },
      { kind: 'scp', id: 'p-protect-backups', document: { Version: v, Statement: [{ Sid: 'ProtectVaults', Effect: 'Deny', Action: ['backup:DeleteBackupVault*', 'backup:DeleteRecoveryPoint', 'backup:PutBackupVaultAccessPolicy'], Resource: '*', Condition: { StringNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/BackupAdmin' } } }] } },
    ],
  },
]
const vaultPolicy: PolicyInput = {
  kind: 'vault', id: VAULT, document: {
    Version: v,
    Statement: [
      { Sid: 'DenyDeletes', Effect: 'Deny', Principal: '*', Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'], Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/BackupAdmin` } } },
      { Sid: 'OrgCopiesIn', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'backup:CopyIntoBackupVault', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } } },
    ],
  },
}
const keyPolicy: PolicyInput = {
  kind: 'kms-key', id: KEY, document: {
    Version: v,
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'AllowBackupRoleViaServices', Effect: 'Allow', Principal: { AWS: ROLE }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': ACCT } } },
      { Sid: 'AllowGrants', Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
    ],
  },
}

interface Job {
  action: string
  resource: string
  policy: PolicyInput | null
  via?: string
}
const jobs: Job[] = [
  { action: 'ec2:CreateSnapshot', resource: `arn:aws:ec2:${REGION}:${ACCT}:volume/vol-0abc`, policy: null },
  { action: 'ec2:CreateSnapshot', resource: `arn:aws:ec2:${REGION}::snapshot/*`, policy: null },
  { action: 'ec2:CreateTags', resource: `arn:aws:ec2:${REGION}::snapshot/snap-1`, policy: null },
  { action: 'ec2:DescribeSnapshots', resource: '*', policy: null },
  { action: 'ec2:DescribeVolumes', resource: '*', policy: null },
  { action: 'rds:CreateDBSnapshot', resource: `arn:aws:rds:${REGION}:${ACCT}:db:orders`, policy: null },
  { action: 'rds:AddTagsToResource', resource: `arn:aws:rds:${REGION}:${ACCT}:snapshot:awsbackup-job-1`, policy: null },
  { action: 'dynamodb:CreateBackup', resource: `arn:aws:dynamodb:${REGION}:${ACCT}:table/orders`, policy: null },
  { action: 'dynamodb:ListTagsOfResource', resource: `arn:aws:dynamodb:${REGION}:${ACCT}:table/orders`, policy: null },
  { action: 'tag:GetResources', resource: '*', policy: null },
  { action: 'backup:DescribeBackupVault', resource: VAULT, policy: vaultPolicy },
  { action: 'backup:CopyIntoBackupVault', resource: VAULT, policy: vaultPolicy },
  { action: 'backup:DeleteRecoveryPoint', resource: VAULT, policy: vaultPolicy },
  { action: 'kms:Decrypt', resource: KEY, policy: keyPolicy, via: `ec2.${REGION}.amazonaws.com` },
  { action: 'kms:GenerateDataKeyWithoutPlaintext', resource: KEY, policy: keyPolicy, via: `ec2.${REGION}.amazonaws.com` },
  { action: 'kms:CreateGrant', resource: KEY, policy: keyPolicy, via: `rds.${REGION}.amazonaws.com` },
  { action: 'kms:DescribeKey', resource: KEY, policy: keyPolicy },
  { action: 'iam:PassRole', resource: `arn:aws:iam::${ACCT}:role/restore/ec2-profile`, policy: null },
]

interface Prepared {
  request: EvalRequest
  set: PolicySet
  sim: Record<string, unknown>
}

function stringContext(ctx: RequestContext): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, val] of Object.entries(ctx)) out[k] = Array.isArray(val) ? val.map(String) : String(val)
  return out
}

const prepared: Prepared[] = jobs.map((j) => {
  const input = { jobAccountId: ACCT, region: REGION, roleArn: ROLE, orgId: 'o-exampleorg1', currentTime: new Date('2026-11-24T08:00:00Z'), ...(j.via !== undefined ? { kmsViaService: j.via } : {}), ...(j.action === 'iam:PassRole' ? { passedToService: 'ec2.amazonaws.com' } : {}) }
  const { principal, context } = buildBackupJobContext(input)
  const request: EvalRequest = { principal, action: j.action, resource: j.resource, resourceAccount: ACCT, context }
  const set: PolicySet = { identity, boundary, scps, resourcePolicy: j.policy }
  const sim = {
    request: { principal: principal.arn, action: j.action, resource: { resource: j.resource, accountId: ACCT }, contextVariables: stringContext(context) },
    identityPolicies: identity.map((p) => ({ name: p.id, policy: p.document })),
    permissionBoundaryPolicies: [{ name: boundary.id, policy: boundary.document }],
    serviceControlPolicies: (scps ?? []).map((l) => ({ orgIdentifier: l.levelId, policies: l.policies.map((p) => ({ name: p.id, policy: p.document })) })),
    resourceControlPolicies: [],
    ...(j.policy !== null ? { resourcePolicy: j.policy.document } : {}),
  }
  return { request, set, sim }
})

function mapTheirs(r: string): string {
  return r === 'Allowed' ? 'allowed' : r === 'ExplicitlyDenied' ? 'explicit-deny' : r === 'ImplicitlyDenied' ? 'implicit-deny' : r
}

async function rate(label: string, perCall: number, fn: () => unknown | Promise<unknown>, ms: number): Promise<number> {
  // warm up (parse caches, JIT)
  for (let i = 0; i < 3; i++) await fn()
  let n = 0
  const start = performance.now()
  while (performance.now() - start < ms) {
    await fn()
    n += perCall
  }
  const perSec = n / ((performance.now() - start) / 1000)
  console.log(`${label.padEnd(44)} ${Math.round(perSec).toLocaleString('en-US').padStart(12)} evaluations/s`)
  return perSec
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 3)
  console.log(`request set: ${prepared.length} requests (job role session, 2 identity policies incl. AWSBackupServiceRolePolicyForBackup, boundary, 3 SCP levels, vault policy, KMS key policy)`)

  // Same inputs, same answers? (printed, not asserted)
  const theirsAnswers = await Promise.all(prepared.map(async (p) => {
    const r = await runSimulation(p.sim as never, {})
    return r.resultType === 'error' ? `error: ${r.errors.message}` : mapTheirs(r.overallResult)
  }))
  let agree = 0
  prepared.forEach((p, i) => {
    const ours = evaluate(p.request, p.set).decision
    if (ours === theirsAnswers[i]) agree++
    else console.log(`  differs: ${p.request.action} on ${p.request.resource}: ours ${ours}, iam-simulate ${theirsAnswers[i]}`)
  })
  console.log(`decisions agree on ${agree}/${prepared.length} requests`)
  const tally: Record<string, number> = {}
  for (const p of prepared) {
    const d = evaluate(p.request, p.set).decision
    tally[d] = (tally[d] ?? 0) + 1
  }
  console.log(`our decisions: ${Object.entries(tally).map(([k, n]) => `${k} ${n}`).join(', ')}`)

  const ours = await rate('ours: evaluate()', prepared.length, () => { for (const p of prepared) evaluate(p.request, p.set) }, seconds * 1000)
  const safe = await rate('iam-simulate: runSimulation()', prepared.length, async () => { for (const p of prepared) await runSimulation(p.sim as never, {}) }, seconds * 1000)
  console.log(`ratio ours / iam-simulate runSimulation(), all ${prepared.length} requests: ${(ours / safe).toFixed(1)}x`)

  // iam-simulate's fastest entry point, runUnsafeSimulation (no validation), fails on
  // resource policies in this version, so compare it on the requests without one.
  const plain = prepared.filter((p) => p.sim.resourcePolicy === undefined)
  const oursPlain = await rate(`ours: evaluate(), ${plain.length} requests w/o resource policy`, plain.length, () => { for (const p of plain) evaluate(p.request, p.set) }, seconds * 1000)
  let unsafeOk = true
  for (const p of plain) {
    try {
      if (mapTheirs(String(runUnsafeSimulation(p.sim as never, {}))) !== evaluate(p.request, p.set).decision) unsafeOk = false
    } catch {
      unsafeOk = false
    }
  }
  if (!unsafeOk) {
    console.log('iam-simulate: runUnsafeSimulation() not usable on these inputs (skipped)')
    return
  }
  const unsafe = await rate(`iam-simulate: runUnsafeSimulation(), same ${plain.length}`, plain.length, () => { for (const p of plain) runUnsafeSimulation(p.sim as never, {}) }, seconds * 1000)
  console.log(`ratio ours / iam-simulate runUnsafeSimulation(), same ${plain.length} requests: ${(oursPlain / unsafe).toFixed(1)}x`)
}

await main()
