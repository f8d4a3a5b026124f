// Differential test: our evaluator vs @cloud-copilot/iam-simulate (AGPL, used here
// only as a black-box oracle) on fast-check generated requests and policies.
// Disagreements are classified; every class is written up, with the AWS
// documentation that decides it, in docs/evaluator-differential.md.
import t from 'tap'
import fc from 'fast-check'
import { runSimulation } from '@cloud-copilot/iam-simulate'
import { evaluate, rcpAppliesTo } from '../../src/policy/index.js'
import type { EvalRequest, PolicyInput, PolicySet, Principal, RequestContext } from '../../src/policy/types.js'

const ACCT = '111111111111'
const OTHER = '222222222222'
const RUNS = Number(process.env.DIFF_RUNS ?? 2000)

// --- generators ---------------------------------------------------------------
const roles = ['BackupRole', 'OtherRole']
const principalArb = fc.record({
  kind: fc.constantFrom('session', 'session', 'session', 'session', 'user', 'service'),
  role: fc.constantFrom(...roles),
  account: fc.constantFrom(ACCT, ACCT, ACCT, OTHER),
})
type PrincipalPick = { kind: string; role: string; account: string }

const requests = [
  { action: 'ec2:CreateSnapshot', resource: (a: string) => `arn:aws:ec2:us-east-1:${a}:volume/vol-1`, kind: 'resource' as const },
  { action: 'backup:StartBackupJob', resource: (a: string) => `arn:aws:backup:us-east-1:${a}:backup-vault:Default`, kind: 'vault' as const },
  { action: 'backup:CopyIntoBackupVault', resource: (a: string) => `arn:aws:backup:us-east-1:${a}:backup-vault:Dest`, kind: 'vault' as const },
  { action: 'kms:Decrypt', resource: (a: string) => `arn:aws:kms:us-east-1:${a}:key/k-1`, kind: 'kms-key' as const },
  { action: 'kms:CreateGrant', resource: (a: string) => `arn:aws:kms:us-east-1:${a}:key/k-1`, kind: 'kms-key' as const },
  { action: 's3:GetObject', resource: (_a: string) => `arn:aws:s3:::bucket-1/team/file.txt`, kind: 'resource' as const },
]

const actionPatterns = ['*', 'sts:AssumeRole', 'sts:*', 'ec2:*', 'ec2:Create*', 'EC2:createsnapshot', 'backup:*', 'backup:Start*', 'backup:CopyIntoBackupVault', 'kms:*', 'kms:Decrypt', 'kms:Create?rant', 's3:GetObject', 's3:Get*', 'iam:PassRole']
const resourcePatterns = [
  '*',
  'arn:aws:ec2:*:*:volume/*',
  `arn:aws:ec2:us-east-1:${ACCT}:volume/vol-1`,
  'arn:aws:backup:*:*:backup-vault:*',
  `arn:aws:backup:us-east-1:${OTHER}:backup-vault:*`,
  `arn:aws:kms:*:${ACCT}:key/*`,
  'arn:aws:kms:*:*:key/*',
  'arn:aws:s3:::bucket-1/*',
  'arn:aws:s3:::bucket-1/${aws:PrincipalTag/team}/*',
  'arn:aws:s3:::bucket-1/TEAM/*',
]

const ctxPools: Record<string, Array<string | string[]>> = {
  'aws:RequestedRegion': ['us-east-1', 'eu-west-1'],
  'aws:PrincipalOrgID': ['o-aaa', 'o-bbb'],
  'aws:PrincipalTag/team': ['team', 'ops'],
  'aws:SourceIp': ['203.0.113.10', '198.51.100.7', '2001:db8::1'],
  'aws:SecureTransport': ['true', 'false'],
  'aws:MultiFactorAuthAge': ['30', '7200'],
  'aws:CurrentTime': ['2026-01-15T00:00:00Z', '2027-06-01T00:00:00Z'],
  'aws:TagKeys': [['env'], ['env', 'team'], ['owner'], []],
  'aws:PrincipalArn': [`arn:aws:iam::${ACCT}:role/BackupRole`, `arn:aws:iam::${ACCT}:role/OtherRole`],
  'aws:SourceAccount': [ACCT, OTHER],
  'aws:SourceArn': [`arn:aws:backup:us-east-1:${ACCT}:backup-vault:Default`, `arn:aws:backup:us-east-1:${OTHER}:backup-vault:Default`],
}
const ctxKeys = Object.keys(ctxPools)

const conditionPool: Array<Record<string, Record<string, unknown>>> = [
  { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
  { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } },
  { StringEqualsIgnoreCase: { 'aws:RequestedRegion': 'US-EAST-1' } },
  { StringNotEqualsIgnoreCase: { 'aws:PrincipalOrgID': 'O-AAA' } },
  { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Backup*' } },
  { StringNotLike: { 'aws:PrincipalArn': '*Other*' } },
  { StringEquals: { 'aws:PrincipalOrgID': 'o-aaa' } },
  { StringNotEquals: { 'aws:PrincipalOrgID': 'o-aaa' } },
  { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-aaa' } },
  { StringEquals: { 'aws:PrincipalTag/TEAM': 'team' } },
  { StringEquals: { 'aws:PrincipalOrgID': '${aws:PrincipalTag/team}' } },
  { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/*` } },
  { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/Backup*` } },
  { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/OtherRole` } },
  { ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/OtherRole` } },
  { Bool: { 'aws:SecureTransport': 'false' } },
  { StringEquals: { 'aws:SourceAccount': ACCT } },
  { ArnLike: { 'aws:SourceArn': `arn:aws:backup:*:${ACCT}:*` } },
  { BoolIfExists: { 'aws:SecureTransport': 'false' } },
  { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
  { NumericGreaterThanEquals: { 'aws:MultiFactorAuthAge': 3600 } },
  { NumericNotEquals: { 'aws:MultiFactorAuthAge': '30' } },
  { DateLessThan: { 'aws:CurrentTime': '2026-12-31T00:00:00Z' } },
  { DateGreaterThan: { 'aws:CurrentTime': '2026-12-31T00:00:00Z' } },
  { DateNotEquals: { 'aws:CurrentTime': '2026-01-15T00:00:00Z' } },
  { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } },
  { Null: { 'aws:PrincipalOrgID': 'true' } },
  { Null: { 'aws:PrincipalOrgID': 'false' } },
  { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env', 'owner'] } },
  { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } },
  { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'env' } },
  { 'ForAllValues:StringLike': { 'aws:TagKeys': ['e*', 't?am'] } },
  { StringEquals: { 'aws:RequestedRegion': 'us-east-1' }, Bool: { 'aws:SecureTransport': 'true' } },
  { StringEquals: { 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalOrgID': 'o-aaa' } },
]

const principalPool = [
  '*',
  { AWS: '*' },
  { AWS: ACCT },
  { AWS: `arn:aws:iam::${ACCT}:root` },
  { AWS: `arn:aws:iam::${OTHER}:root` },
  { AWS: `arn:aws:iam::${ACCT}:role/BackupRole` },
  { AWS: `arn:aws:iam::${OTHER}:role/BackupRole` },
  { AWS: `arn:aws:sts::${ACCT}:assumed-role/BackupRole/s1` },
  { AWS: [`arn:aws:iam::${ACCT}:role/OtherRole`, `arn:aws:iam::${OTHER}:root`] },
  { AWS: `arn:aws:iam::${ACCT}:user/alice` },
  { Service: 'backup.amazonaws.com' },
  { Service: ['ec2.amazonaws.com', 'backup.amazonaws.com'] },
  { Service: 'ec2.amazonaws.com' },
]

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 2 })

function statementArb(withPrincipal: boolean): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Allow', 'Deny'),
      notAction: fc.integer({ min: 0, max: 9 }).map((n) => n < 3),
      actions: fc.subarray(actionPatterns, { minLength: 1, maxLength: 3 }),
      notResource: fc.boolean(),
      resources: fc.subarray(resourcePatterns, { minLength: 1, maxLength: 2 }),
      condition: maybe(fc.constantFrom(...conditionPool)),
      principal: fc.constantFrom(...principalPool),
      notPrincipal: fc.integer({ min: 0, max: 9 }),
      sid: fc.boolean(),
    })
    .map((s) => {
      const st: Record<string, unknown> = { Effect: s.effect }
      if (s.sid) st.Sid = 'S' + Math.abs(s.actions.join().length)
      st[s.notAction ? 'NotAction' : 'Action'] = s.actions
      st[s.notResource && s.resources[0] !== '*' && s.effect === 'Deny' ? 'NotResource' : 'Resource'] = s.resources
      if (withPrincipal) {
        if (s.effect === 'Deny' && s.notPrincipal === 0 && s.principal !== '*') st.NotPrincipal = s.principal
        else st.Principal = s.principal
      }
      if (s.condition !== undefined) st.Condition = s.condition
      return st
    })
}

const rcpStatementArb = fc
  .record({
    actions: fc.subarray(actionPatterns.filter((a) => a !== '*'), { minLength: 1, maxLength: 3 }),
    resources: fc.subarray(resourcePatterns, { minLength: 1, maxLength: 2 }),
    condition: maybe(fc.constantFrom(...conditionPool)),
  })
  .map((r) => {
    const st: Record<string, unknown> = { Effect: 'Deny', Principal: '*', Action: r.actions, Resource: r.resources }
    if (r.condition !== undefined) st.Condition = r.condition
    return st
  })

const doc = (statements: unknown[]): Record<string, unknown> => ({ Version: '2012-10-17', Statement: statements })
const broadAllow = (withPrincipal: boolean): Record<string, unknown> =>
  withPrincipal ? { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' } : { Effect: 'Allow', Action: '*', Resource: '*' }
/** Random statements, often after a broad Allow (FullAWSAccess-like), so that allows are common enough to test. */
const policyArb = (withPrincipal: boolean, broadChance = 0): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .tuple(fc.array(statementArb(withPrincipal), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 99 }))
    .map(([sts, roll]) => doc(roll < broadChance ? [broadAllow(withPrincipal), ...sts] : sts))

const caseArb = fc.record({
  principal: principalArb,
  request: fc.constantFrom(...requests),
  resourceAccount: fc.constantFrom(ACCT, ACCT, OTHER),
  context: fc.subarray(ctxKeys).chain((keys) =>
    fc.tuple(...keys.map((k) => fc.constantFrom(...(ctxPools[k] as Array<string | string[]>)))).map((vals) => {
      const ctx: Record<string, string | string[]> = {}
      keys.forEach((k, i) => (ctx[k] = vals[i] as string | string[]))
      return ctx
    }),
  ),
  identity: fc.array(policyArb(false, 40), { minLength: 0, maxLength: 2 }),
  boundary: maybe(policyArb(false, 60)),
  scps: maybe(fc.array(policyArb(false, 85), { minLength: 1, maxLength: 3 })),
  resourcePolicy: maybe(policyArb(true, 30)),
  // RCP grammar: Deny only (RCPFullAWSAccess is added by both sides), Principal "*", no NotAction, no bare "*" action.
  rcps: maybe(fc.array(fc.array(rcpStatementArb, { minLength: 1, maxLength: 2 }).map(doc), { minLength: 1, maxLength: 2 })),
})
type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never

// --- running both engines -------------------------------------------------------
const TRUST_REQUEST = { action: 'sts:AssumeRole', resource: (a: string) => `arn:aws:iam::${a}:role/BackupRole`, kind: 'trust' as const }

/** Service principals only ever assume roles here (the trust check). */
function requestOf(c: Case): typeof requests[number] | typeof TRUST_REQUEST {
  return c.principal.kind === 'service' ? TRUST_REQUEST : c.request
}

function principalOf(p: PrincipalPick): { ours: Principal; theirs: string } {
  if (p.kind === 'service') return { ours: { type: 'service', arn: 'backup.amazonaws.com', accountId: null }, theirs: 'backup.amazonaws.com' }
  if (p.kind === 'user') {
    const arn = `arn:aws:iam::${p.account}:user/alice`
    return { ours: { type: 'user', arn, accountId: p.account }, theirs: arn }
  }
  const arn = `arn:aws:sts::${p.account}:assumed-role/${p.role}/s1`
  return { ours: { type: 'assumed-role', arn, roleArn: `arn:aws:iam::${p.account}:role/${p.role}`, accountId: p.account }, theirs: arn }
}

function ours(c: Case): string {
  return oursFull(c).decision
}

function oursFull(c: Case): ReturnType<typeof evaluate> {
  const { ours: principal } = principalOf(c.principal)
  const r = requestOf(c)
  const resource = r.resource(c.resourceAccount)
  const resourceAccount = resource.startsWith('arn:aws:s3:::') ? c.resourceAccount : (resource.split(':')[4] as string)
  const req: EvalRequest = { principal, action: r.action, resource, resourceAccount, context: c.context as RequestContext }
  const set: PolicySet = { identity: c.identity.map((d, i): PolicyInput => ({ kind: 'identity', id: `id-${i}`, document: d })) }
  if (c.boundary !== undefined) set.boundary = { kind: 'boundary', id: 'pb', document: c.boundary }
  if (c.scps !== undefined) set.scps = c.scps.map((d, i) => ({ levelId: `level-${i}`, policies: [{ kind: 'scp', id: `p-${i}`, document: d }] }))
  if (c.resourcePolicy !== undefined) set.resourcePolicy = { kind: r.kind, id: 'rp', document: c.resourcePolicy }
  else set.resourcePolicyKind = r.kind
  // iam-simulate always adds RCPFullAWSAccess; the caller of evaluate() passes it explicitly.
  if (c.rcps !== undefined) {
    set.rcps = c.rcps.map((d, i) => ({ levelId: `rcp-level-${i}`, policies: [{ kind: 'rcp', id: 'RCPFullAWSAccess', document: doc([broadAllow(true)]) }, { kind: 'rcp', id: `r-${i}`, document: d }] }))
  }
  return evaluate(req, set)
}

async function theirs(c: Case): Promise<string> {
  const { theirs: principal } = principalOf(c.principal)
  const r = requestOf(c)
  const resource = r.resource(c.resourceAccount)
  const accountId = resource.startsWith('arn:aws:s3:::') ? c.resourceAccount : (resource.split(':')[4] as string)
  const sim = {
    request: { principal, action: r.action, resource: { resource, accountId }, contextVariables: c.context },
    identityPolicies: c.identity.map((policy, i) => ({ name: `id-${i}`, policy })),
    serviceControlPolicies: (c.scps ?? []).map((policy, i) => ({ orgIdentifier: `level-${i}`, policies: [{ name: `p-${i}`, policy }] })),
    resourceControlPolicies: (c.rcps ?? []).map((policy, i) => ({ orgIdentifier: `rcp-level-${i}`, policies: [{ name: `r-${i}`, policy }] })),
    resourcePolicy: c.resourcePolicy,
    permissionBoundaryPolicies: c.boundary === undefined ? undefined : [{ name: 'pb', policy: c.boundary }],
  }
  const res = await runSimulation(sim as never, {})
  if (res.resultType === 'error') return `error:${JSON.stringify(res.errors).slice(0, 400)}`
  const o: string = res.overallResult
  return o === 'Allowed' ? 'allowed' : o === 'ExplicitlyDenied' ? 'explicit-deny' : o === 'ImplicitlyDenied' ? 'implicit-deny' : `other:${o}`
}

// --- disagreement classes (docs/evaluator-differential.md) ------------------------
type Statement = Record<string, unknown>
type Doc = { Statement: Statement[] }

function mapStatements(c: Case, keep: (st: Statement) => boolean): Case {
  const f = (d: Record<string, unknown>): Record<string, unknown> => ({ ...d, Statement: (d as Doc).Statement.filter(keep) })
  return {
    ...c,
    identity: c.identity.map(f),
    boundary: c.boundary === undefined ? undefined : f(c.boundary),
    scps: c.scps?.map(f),
    rcps: c.rcps?.map(f),
    resourcePolicy: c.resourcePolicy === undefined ? undefined : f(c.resourcePolicy),
  }
}

/** A statement that uses a policy variable whose key the request does not carry. */
const usesUnresolvedVariable = (c: Case) => (st: Statement): boolean =>
  JSON.stringify(st).includes('${aws:PrincipalTag/team}') && c.context['aws:PrincipalTag/team'] === undefined

/**
 * A Deny/NotPrincipal statement that lists only part of the principal's chain
 * (account, role, session): the account root without the role, or the role
 * without its account.
 */
const notPrincipalPartialChain = (c: Case) => (st: Statement): boolean => {
  const np = st.NotPrincipal as { AWS?: string | string[] } | undefined
  if (np === undefined || typeof np !== 'object') return false
  const list = ([] as string[]).concat(np.AWS ?? [])
  const { ours: p } = principalOf(c.principal)
  const rootListed = list.includes(`arn:aws:iam::${p.accountId}:root`) || list.includes(p.accountId as string)
  const selfListed = list.includes(p.roleArn ?? p.arn) || list.includes(p.arn)
  return rootListed !== selfListed
}

const byStatement = (pred: (c: Case) => (st: Statement) => boolean) => (c: Case): Case => {
  const p = pred(c)
  return mapStatements(c, (st) => !p(st))
}

/** RCPs on an action of a service that does not support RCPs (or kms:RetireGrant): iam-simulate applies them. */
const rcpOnUnsupportedService = (c: Case): Case => (rcpAppliesTo(requestOf(c).action) ? c : { ...c, rcps: undefined })

/** A service principal with principal-side policies (identity, boundary, SCPs): iam-simulate applies them. */
const principalSidePoliciesOnService = (c: Case): Case =>
  c.principal.kind === 'service' ? { ...c, identity: [], boundary: undefined, scps: undefined } : c

const CLASSES: Array<{ id: string; reduce: (c: Case) => Case }> = [
  { id: 'scp-on-service-principal', reduce: (c) => (c.principal.kind === 'service' ? { ...c, scps: undefined } : c) },
  { id: 'principal-side-policies-on-service-principal', reduce: principalSidePoliciesOnService },
  { id: 'unresolved-policy-variable', reduce: byStatement(usesUnresolvedVariable) },
  { id: 'notprincipal-partial-chain', reduce: byStatement(notPrincipalPartialChain) },
  { id: 'rcp-unsupported-service', reduce: rcpOnUnsupportedService },
]

/**
 * Names the documented disagreement class a case falls into, or null: a class
 * explains the disagreement when removing the statements it is about makes both
 * engines agree.
 */
async function classify(c: Case): Promise<string | null> {
  for (const cls of CLASSES) {
    const reduced = cls.reduce(c)
    if (JSON.stringify(reduced) === JSON.stringify(c)) continue
    if (ours(reduced) === (await theirs(reduced))) return cls.id
  }
  return null
}

t.test(`differential vs iam-simulate on ${RUNS} generated requests`, async (t) => {
  const cases = fc.sample(caseArb, { numRuns: RUNS, seed: Number(process.env.DIFF_SEED ?? 20261124) })
  let agree = 0
  const decisions: Record<string, number> = {}
  let oursMs = 0
  let theirsMs = 0
  const classes = new Map<string, number>()
  const unexplained: Array<{ c: Case; ours: string; theirs: string }> = []
  for (const c of cases) {
    const t0 = performance.now()
    const a = ours(c)
    const t1 = performance.now()
    const b = await theirs(c)
    oursMs += t1 - t0
    theirsMs += performance.now() - t1
    if (a === b) {
      agree++
      decisions[a] = (decisions[a] ?? 0) + 1
      continue
    }
    const cls = await classify(c)
    if (cls === null) unexplained.push({ c, ours: a, theirs: b })
    else classes.set(cls, (classes.get(cls) ?? 0) + 1)
  }
  const rate = (100 * agree) / cases.length
  t.comment(`agreement ${agree}/${cases.length} = ${rate.toFixed(2)}% (ours ${oursMs.toFixed(0)} ms, iam-simulate ${theirsMs.toFixed(0)} ms)`)
  t.comment(`agreed decisions: ${JSON.stringify(decisions)}`)
  // The generator must exercise every outcome, or agreement would mean little.
  t.ok((decisions.allowed ?? 0) > cases.length * 0.05, 'enough allowed cases')
  t.ok((decisions['explicit-deny'] ?? 0) > cases.length * 0.05, 'enough explicit denies')
  for (const [k, v] of classes) t.comment(`documented disagreement class ${k}: ${v}`)
  if (unexplained.length > 0) {
    const show = unexplained.slice(0, Number(process.env.DIFF_SHOW ?? 1))
    t.comment(`unexplained: ${unexplained.length}; first:\n${show.map((u) => `ours=${u.ours} theirs=${u.theirs} (${oursFull(u.c).explanation})\n${JSON.stringify(u.c)}`).join('\n')}`)
  }
  t.equal(unexplained.length, 0, 'every disagreement falls into a documented class')
})
