import t from 'tap'
import {
  AccessDeniedException, AWSOrganizationsNotInUseException, ChildNotFoundException, DescribeAccountCommand, DescribeOrganizationCommand,
  DescribePolicyCommand, ListParentsCommand, ListPoliciesForTargetCommand, PolicyTypeNotEnabledException, TooManyRequestsException,
} from '@aws-sdk/client-organizations'
import { describeOrganization, readAccountOrg } from '../../src/evidence/organizations.js'
import { Flow } from '../../src/evidence/flow.js'
import { awsMocks, testContext, chain, ALLOW_ALL, JOB, DEST, OWN } from './mocks.js'

const m = awsMocks()
const PARENT: Record<string, { Id: string; Type: 'ROOT' | 'ORGANIZATIONAL_UNIT' }> = {
  [JOB]: { Id: 'ou-ab12-prod0000', Type: 'ORGANIZATIONAL_UNIT' },
  'ou-ab12-prod0000': { Id: 'ou-ab12-work0000', Type: 'ORGANIZATIONAL_UNIT' },
  'ou-ab12-work0000': { Id: 'r-ab12', Type: 'ROOT' },
}
const DENY_REGION = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }] }

t.beforeEach(() => {
  m.reset()
  m.org.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-abc1234567', MasterAccountId: OWN, Arn: 'arn' } })
  m.org.on(ListParentsCommand).callsFake((i: { ChildId: string }) => ({ Parents: [PARENT[i.ChildId]] }))
  // SCPs: FullAWSAccess everywhere; a second page on the prod OU carries the region deny.
  m.org.on(ListPoliciesForTargetCommand).callsFake((i: { TargetId: string; Filter: string; NextToken?: string }) => {
    if (i.Filter === 'RESOURCE_CONTROL_POLICY') return { Policies: [] }
    if (i.TargetId === 'ou-ab12-prod0000' && i.NextToken === undefined) return { Policies: [{ Id: 'p-FullAWSAccess' }], NextToken: 'n' }
    if (i.TargetId === 'ou-ab12-prod0000') return { Policies: [{ Id: 'p-regiondeny1' }] }
    return { Policies: [{ Id: 'p-FullAWSAccess' }] }
  })
  m.org.on(DescribePolicyCommand).callsFake((i: { PolicyId: string }) => ({
    Policy: {
      PolicySummary: { Id: i.PolicyId, Name: i.PolicyId, Type: 'SERVICE_CONTROL_POLICY', AwsManaged: i.PolicyId === 'p-FullAWSAccess' },
      Content: JSON.stringify(i.PolicyId === 'p-FullAWSAccess' ? ALLOW_ALL : DENY_REGION),
    },
  }))
})

t.test('path root → OUs → account with SCPs (all pages) and RCPs at each level', async (t) => {
  const c = chain(testContext())
  const a = await readAccountOrg(c, OWN, JOB)
  if (a.state !== 'read' || a.value.path.state !== 'read') return t.fail('read')
  const path = a.value.path.value
  t.same(path.map((l) => [l.id, l.type]), [['r-ab12', 'ROOT'], ['ou-ab12-work0000', 'ORGANIZATIONAL_UNIT'], ['ou-ab12-prod0000', 'ORGANIZATIONAL_UNIT'], [JOB, 'ACCOUNT']])
  const prod = path[2]!
  t.same(prod.scps.state === 'read' && prod.scps.value.map((p) => p.id), ['p-FullAWSAccess', 'p-regiondeny1'], 'both pages')
  t.match(prod.scps, { value: [{ awsManaged: true, document: ALLOW_ALL }, { awsManaged: false, document: DENY_REGION }] })
  t.ok(path.every((l) => l.rcps.state === 'read' && l.rcps.value.length === 0))
  t.equal(m.org.commandCalls(DescribePolicyCommand, { PolicyId: 'p-FullAWSAccess' }).length, 1, 'a policy document is read once')
  // Own account: GetCallerIdentity, 3 dependent ListParents hops, the root level's list (its document was
  // already read for the account level).
  t.equal(c.flow.maxDepth, 5)
})

t.test('a non-member is absent; ListPoliciesForTarget denied is unreadable per level, not absent', async (t) => {
  const ctx = testContext()
  // ListParents on an account outside the organization: ChildNotFoundException (no DescribeAccount needed).
  m.org.on(ListParentsCommand, { ChildId: DEST }).rejects(new ChildNotFoundException({ message: 'nope', $metadata: {} }))
  t.match(await readAccountOrg(chain(ctx), OWN, DEST), { state: 'absent', reason: /not a member/ })
  t.equal(m.org.commandCalls(DescribeAccountCommand).length, 0, 'membership costs no call of its own')

  m.org.on(ListPoliciesForTargetCommand).rejects(new AccessDeniedException({ message: 'denied', $metadata: { httpStatusCode: 403 } }))
  const a = await readAccountOrg(chain(ctx), OWN, JOB)
  if (a.state !== 'read' || a.value.path.state !== 'read') return t.fail('path read')
  for (const l of a.value.path.value) {
    t.match(l.scps, { state: 'unreadable', error: 'AccessDeniedException', call: 'organizations:ListPoliciesForTarget' })
    t.match(l.rcps, { state: 'unreadable', errorClass: 'access-denied' })
  }
})

t.test('a disabled policy type is absent; throttled parents make membership or the path unreadable', async (t) => {
  const ctx = testContext()
  m.org.on(ListPoliciesForTargetCommand, { Filter: 'RESOURCE_CONTROL_POLICY' }).rejects(new PolicyTypeNotEnabledException({ message: 'off', $metadata: {} }))
  const a = await readAccountOrg(chain(ctx), OWN, JOB)
  t.match(a.state === 'read' && a.value.path.state === 'read' && a.value.path.value[0]!.rcps, { state: 'absent' })
  m.org.on(ListParentsCommand).rejects(new TooManyRequestsException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }))
  ctx.clearCache()
  // The account's own ListParents is the membership test: throttled, membership is unknown, not read.
  const b = await readAccountOrg(new Flow(ctx).chain(), OWN, JOB)
  t.match(b, { state: 'unreadable', errorClass: 'throttled', call: 'organizations:ListParents' })
  // A later hop throttled: the account is a member (its parent answered), only the path is unknown.
  m.org.on(ListParentsCommand).callsFake((i: { ChildId: string }) => {
    if (i.ChildId === JOB) return { Parents: [PARENT[JOB]] }
    throw new TooManyRequestsException({ message: 'slow down', $metadata: { httpStatusCode: 429 } })
  })
  ctx.clearCache()
  const c = await readAccountOrg(new Flow(ctx).chain(), OWN, JOB)
  t.match(c, { state: 'read', value: { path: { state: 'unreadable', errorClass: 'throttled', call: 'organizations:ListParents' } } })
})

t.test('a malformed SCP document makes the level unreadable', async (t) => {
  m.org.on(DescribePolicyCommand).resolves({ Policy: { PolicySummary: { Id: 'p-x' }, Content: '{oops' } })
  const a = await readAccountOrg(chain(testContext()), OWN, JOB)
  t.match(a.state === 'read' && a.value.path.state === 'read' && a.value.path.value[3]!.scps, { state: 'unreadable', error: 'MalformedPolicyDocument', errorClass: 'invalid' })
})

t.test('DescribeOrganization: read, not in use (absent), cached', async (t) => {
  const ctx = testContext()
  t.same(await describeOrganization(chain(ctx), JOB), { state: 'read', value: { id: 'o-abc1234567', managementAccountId: OWN } })
  await describeOrganization(chain(ctx), JOB)
  t.equal(m.org.commandCalls(DescribeOrganizationCommand).length, 1)
  m.org.on(DescribeOrganizationCommand).rejects(new AWSOrganizationsNotInUseException({ message: 'not in use', $metadata: {} }))
  t.match(await describeOrganization(chain(ctx), DEST), { state: 'absent' })
})

t.test('the org tree is cached across diagnoses', async (t) => {
  const ctx = testContext()
  await readAccountOrg(chain(ctx), OWN, JOB)
  const n = m.org.calls().length
  await readAccountOrg(chain(ctx), OWN, JOB)
  t.equal(m.org.calls().length, n)
})
