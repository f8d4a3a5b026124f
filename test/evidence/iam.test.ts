import t from 'tap'
import {
  GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand, NoSuchEntityException,
} from '@aws-sdk/client-iam'
import { AccessDeniedException } from '@aws-sdk/client-organizations'
import { readRole, decodePolicyDocument } from '../../src/evidence/iam.js'
import { Flow } from '../../src/evidence/flow.js'
import { AwsCallError } from '../../src/aws/index.js'
import { awsMocks, testContext, chain, enc, TRUST, ALLOW_ALL, JOB, DEST, OWN } from './mocks.js'

const m = awsMocks()
const MANAGED = 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup'
const CUSTOMER = `arn:aws:iam::${JOB}:policy/extra`
const BOUNDARY = `arn:aws:iam::${JOB}:policy/boundary`
const throttling = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } })

function role(name = 'BackupRole', path = '/', extra: Record<string, unknown> = {}) {
  return {
    Role: {
      RoleName: name, Path: path, Arn: `arn:aws:iam::${JOB}:role${path}${name}`, RoleId: 'AROA1', CreateDate: new Date(),
      AssumeRolePolicyDocument: enc(TRUST), Tags: [{ Key: 'team', Value: 'ops' }], ...extra,
    },
  }
}

function standardRole() {
  m.iam.on(GetRoleCommand).resolves(role('BackupRole', '/', { PermissionsBoundary: { PermissionsBoundaryArn: BOUNDARY, PermissionsBoundaryType: 'Policy' } }))
  // Two pages of inline policy names, two pages of attached policies.
  m.iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['b'], IsTruncated: false })
  m.iam.on(ListRolePoliciesCommand, { Marker: undefined }).resolves({ PolicyNames: ['a'], IsTruncated: true, Marker: 'm1' })
  m.iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: CUSTOMER, PolicyName: 'extra' }], IsTruncated: false })
  m.iam.on(ListAttachedRolePoliciesCommand, { Marker: undefined }).resolves({ AttachedPolicies: [{ PolicyArn: MANAGED, PolicyName: 'AWSBackupServiceRolePolicyForBackup' }], IsTruncated: true, Marker: 'p1' })
  m.iam.on(GetRolePolicyCommand).callsFake((i: { PolicyName: string }) => ({ RoleName: 'BackupRole', PolicyName: i.PolicyName, PolicyDocument: enc({ ...ALLOW_ALL, Id: i.PolicyName }) }))
  m.iam.on(GetPolicyCommand).callsFake((i: { PolicyArn: string }) => ({ Policy: { Arn: i.PolicyArn, PolicyName: i.PolicyArn.split('/').pop(), DefaultVersionId: 'v3' } }))
  m.iam.on(GetPolicyVersionCommand).callsFake((i: { PolicyArn: string }) => ({ PolicyVersion: { VersionId: 'v3', IsDefaultVersion: true, Document: enc({ ...ALLOW_ALL, Id: i.PolicyArn }) } }))
}

t.beforeEach(() => { m.reset(); standardRole() })

t.test('reads a role with every page of policies, URL-decoded', async (t) => {
  const ctx = testContext()
  const c = chain(ctx)
  const r = await readRole(c, JOB, 'BackupRole')
  t.equal(r.state, 'read')
  if (r.state !== 'read') return
  const v = r.value
  t.same(v.trustPolicy, TRUST)
  t.same(v.tags, { team: 'ops' })
  t.equal(v.path, '/')
  t.same(v.inlinePolicies.state === 'read' && Object.keys(v.inlinePolicies.value).sort(), ['a', 'b'], 'both pages of inline policies')
  t.same(v.attachedPolicies.state === 'read' && Object.keys(v.attachedPolicies.value).sort(), [CUSTOMER, MANAGED].sort(), 'both pages of attached policies')
  const managed = v.attachedPolicies.state === 'read' ? v.attachedPolicies.value[MANAGED] : undefined
  t.match(managed, { state: 'read', value: { kind: 'aws-managed', versionId: 'v3', document: { Id: MANAGED } } })
  t.match(v.attachedPolicies.state === 'read' && v.attachedPolicies.value[CUSTOMER], { state: 'read', value: { kind: 'customer-managed' } })
  t.match(v.permissionsBoundary, { state: 'read', value: { id: BOUNDARY, document: { Id: BOUNDARY } } })
  t.equal(m.iam.commandCalls(GetPolicyVersionCommand, { PolicyArn: MANAGED, VersionId: 'v3' }).length, 1, 'reads the DefaultVersionId version')
  // GetCallerIdentity → AssumeRole → ListAttached page 1 → page 2 → GetPolicy → GetPolicyVersion.
  t.equal(c.flow.maxDepth, 6)
})

t.test('a missing role is absent; AccessDenied is unreadable with the call', async (t) => {
  m.iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: 'The role with name X cannot be found.', $metadata: { httpStatusCode: 404 } }))
  m.iam.on(ListRolePoliciesCommand).rejects(new NoSuchEntityException({ message: 'x', $metadata: {} }))
  m.iam.on(ListAttachedRolePoliciesCommand).rejects(new NoSuchEntityException({ message: 'x', $metadata: {} }))
  const ctx = testContext()
  const r = await readRole(chain(ctx), JOB, 'Gone')
  t.equal(r.state, 'absent')

  m.iam.on(GetRoleCommand).rejects(new AccessDeniedException({ message: 'denied', $metadata: { httpStatusCode: 403 } }))
  const d = await readRole(chain(ctx), JOB, 'Denied')
  t.match(d, { state: 'unreadable', error: 'AccessDeniedException', call: 'iam:GetRole', errorClass: 'access-denied' })
})

t.test('each policy is readable or not on its own; malformed JSON and throttling are reported', async (t) => {
  m.iam.on(GetRolePolicyCommand, { PolicyName: 'a' }).resolves({ RoleName: 'BackupRole', PolicyName: 'a', PolicyDocument: encodeURIComponent('{"Statement": [') })
  m.iam.on(GetPolicyCommand, { PolicyArn: CUSTOMER }).rejects(throttling())
  const ctx = testContext()
  const r = await readRole(chain(ctx), JOB, 'BackupRole')
  if (r.state !== 'read') return t.fail('role read')
  const inline = r.value.inlinePolicies
  if (inline.state !== 'read') return t.fail('inline list read')
  t.match(inline.value.a, { state: 'unreadable', error: 'MalformedPolicyDocument', call: 'iam:GetRolePolicy', errorClass: 'invalid' })
  t.match(inline.value.b, { state: 'read' })
  const attached = r.value.attachedPolicies
  if (attached.state !== 'read') return t.fail('attached list read')
  t.match(attached.value[CUSTOMER], { state: 'unreadable', error: 'Throttling', errorClass: 'throttled', call: 'iam:GetPolicy' })
  t.match(attached.value[MANAGED], { state: 'read' })

  m.iam.on(ListAttachedRolePoliciesCommand).rejects(throttling())
  const r2 = await readRole(chain(ctx), JOB, 'Other')
  t.match(r2.state === 'read' && r2.value.attachedPolicies, { state: 'unreadable', call: 'iam:ListAttachedRolePolicies', errorClass: 'throttled' })
})

t.test('a role is cached per account; partial results are not; AWS managed documents are shared', async (t) => {
  const ctx = testContext()
  await readRole(chain(ctx), JOB, 'BackupRole')
  const before = m.iam.calls().length
  const again = await readRole(new Flow(ctx).chain(), JOB, 'BackupRole')
  t.equal(again.state, 'read')
  t.equal(m.iam.calls().length, before, 'second diagnosis reads nothing from IAM')
  await readRole(chain(ctx), DEST, 'BackupRole')
  t.ok(m.iam.calls().length > before, 'another account is read again')
  t.equal(m.iam.commandCalls(GetPolicyVersionCommand, { PolicyArn: MANAGED }).length, 1, 'AWS managed version document read once for both accounts')
  t.equal(m.iam.commandCalls(GetPolicyCommand, { PolicyArn: MANAGED }).length, 2, 'default version asked per account')

  m.iam.on(GetRolePolicyCommand).rejects(throttling())
  await readRole(chain(ctx), OWN, 'Partial')
  const n = m.iam.commandCalls(GetRoleCommand).length
  await readRole(chain(ctx), OWN, 'Partial')
  t.equal(m.iam.commandCalls(GetRoleCommand).length, n + 1, 'a role with an unreadable part is read again')
})

t.test('concurrent reads of one role are one read (single-flight)', async (t) => {
  const ctx = testContext()
  const rs = await Promise.all(Array.from({ length: 5 }, () => readRole(new Flow(ctx).chain(), JOB, 'BackupRole')))
  t.ok(rs.every((r) => r.state === 'read'))
  t.equal(m.iam.commandCalls(GetRoleCommand).length, 1)
})

t.test('decodePolicyDocument', async (t) => {
  const meta = { service: 'iam', operation: 'GetRole' }
  t.same(decodePolicyDocument(enc(TRUST), meta), TRUST)
  t.same(decodePolicyDocument(JSON.stringify(TRUST), meta), TRUST, 'plain JSON accepted')
  for (const bad of ['%E0%A4%A', encodeURIComponent('[1]'), encodeURIComponent('nope'), '']) {
    t.throws(() => decodePolicyDocument(bad, meta), AwsCallError)
  }
})
