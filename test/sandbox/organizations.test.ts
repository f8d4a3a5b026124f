import t from 'tap'
import {
  AccessDeniedException, AccountNotFoundException, AWSOrganizationsNotInUseException, ChildNotFoundException, DescribeAccountCommand,
  DescribeOrganizationCommand, DescribePolicyCommand, InvalidInputException, ListParentsCommand, ListPoliciesForTargetCommand,
  PolicyNotFoundException, TargetNotFoundException, paginateListPoliciesForTarget,
} from '@aws-sdk/client-organizations'
import { CENTRAL, MGMT, OUTSIDE, PROD, fullWorld } from './fixtures/full-world.js'
import { clientsAs, plain, setup } from './fixtures/util.js'

const world = fullWorld()
const org = world.organization!

t.test('DescribeOrganization answers every member, not outsiders', async (t) => {
  const { sandbox, clients } = await setup(t)
  const expected = {
    Id: org.id,
    Arn: `arn:aws:organizations::${MGMT}:organization/${org.id}`,
    FeatureSet: 'ALL',
    MasterAccountArn: `arn:aws:organizations::${MGMT}:account/${org.id}/${MGMT}`,
    MasterAccountId: MGMT,
    AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }, { Type: 'RESOURCE_CONTROL_POLICY', Status: 'ENABLED' }],
  }
  t.strictSame(plain((await clients.organizations.send(new DescribeOrganizationCommand({}))).Organization), expected)
  const member = await clientsAs(t, sandbox.url, PROD)
  t.strictSame(plain((await member.organizations.send(new DescribeOrganizationCommand({}))).Organization), expected)
  const outsider = await clientsAs(t, sandbox.url, OUTSIDE)
  const err = await outsider.organizations.send(new DescribeOrganizationCommand({})).catch((e: unknown) => e)
  t.ok(err instanceof AWSOrganizationsNotInUseException)
  t.equal((err as AWSOrganizationsNotInUseException).$metadata.httpStatusCode, 404)
})

t.test('the other reads answer the management account only (AccessDeniedException, 403)', async (t) => {
  const { sandbox } = await setup(t)
  const member = await clientsAs(t, sandbox.url, PROD)
  for (const cmd of [
    new DescribeAccountCommand({ AccountId: PROD }),
    new ListParentsCommand({ ChildId: PROD }),
    new ListPoliciesForTargetCommand({ TargetId: PROD, Filter: 'SERVICE_CONTROL_POLICY' }),
    new DescribePolicyCommand({ PolicyId: 'p-FullAWSAccess' }),
  ]) {
    const err = await member.organizations.send(cmd as any).catch((e: unknown) => e)
    t.ok(err instanceof AccessDeniedException, cmd.constructor.name)
    t.equal((err as Error).message, "You don't have permissions to access this resource.")
    t.equal((err as AccessDeniedException).$metadata.httpStatusCode, 403)
  }
})

t.test('DescribeAccount', async (t) => {
  const { clients } = await setup(t)
  t.strictSame(plain((await clients.organizations.send(new DescribeAccountCommand({ AccountId: PROD }))).Account), {
    Id: PROD, Arn: `arn:aws:organizations::${MGMT}:account/${org.id}/${PROD}`, Name: 'prod', Status: 'ACTIVE', State: 'ACTIVE',
  })
  await t.rejects(clients.organizations.send(new DescribeAccountCommand({ AccountId: OUTSIDE })), AccountNotFoundException)
  await t.rejects(clients.organizations.send(new DescribeAccountCommand({ AccountId: '999999999999' })), AccountNotFoundException)
  await t.rejects(clients.organizations.send(new DescribeAccountCommand({ AccountId: 'abc' })), InvalidInputException)
})

t.test('ListParents walks accounts and units up to the root', async (t) => {
  const { clients } = await setup(t)
  const parent = async (id: string) => plain((await clients.organizations.send(new ListParentsCommand({ ChildId: id }))).Parents)
  t.strictSame(await parent(PROD), [{ Id: 'ou-fw01-produnit', Type: 'ORGANIZATIONAL_UNIT' }])
  t.strictSame(await parent('ou-fw01-produnit'), [{ Id: 'ou-fw01-workload', Type: 'ORGANIZATIONAL_UNIT' }])
  t.strictSame(await parent('ou-fw01-workload'), [{ Id: 'r-fw01', Type: 'ROOT' }])
  t.strictSame(await parent(MGMT), [{ Id: 'r-fw01', Type: 'ROOT' }])
  t.strictSame(await parent(CENTRAL), [{ Id: 'ou-fw01-backupou', Type: 'ORGANIZATIONAL_UNIT' }])
  await t.rejects(clients.organizations.send(new ListParentsCommand({ ChildId: OUTSIDE })), ChildNotFoundException)
  await t.rejects(clients.organizations.send(new ListParentsCommand({ ChildId: 'ou-none-nonexistent' })), ChildNotFoundException)
})

t.test('ListPoliciesForTarget filters by type and target, paginates; DescribePolicy returns the content', async (t) => {
  const { clients } = await setup(t)
  const ids = async (target: string, filter: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY' | 'TAG_POLICY') =>
    (await clients.organizations.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: filter }))).Policies?.map((p) => p.Id)
  t.strictSame(await ids(PROD, 'SERVICE_CONTROL_POLICY'), ['p-FullAWSAccess', 'p-prodextra1'])
  t.strictSame(await ids('ou-fw01-workload', 'SERVICE_CONTROL_POLICY'), ['p-FullAWSAccess', 'p-regionlock1'])
  t.strictSame(await ids('r-fw01', 'RESOURCE_CONTROL_POLICY'), ['p-rcpdenyext1'])
  t.strictSame(await ids('r-fw01', 'TAG_POLICY'), [])
  const summary = (await clients.organizations.send(new ListPoliciesForTargetCommand({ TargetId: 'ou-fw01-workload', Filter: 'SERVICE_CONTROL_POLICY' }))).Policies!
  t.strictSame(plain(summary), [
    { Id: 'p-FullAWSAccess', Arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess', Name: 'FullAWSAccess', Description: 'Allows access to every operation', Type: 'SERVICE_CONTROL_POLICY', AwsManaged: true },
    { Id: 'p-regionlock1', Arn: `arn:aws:organizations::${MGMT}:policy/${org.id}/service_control_policy/p-regionlock1`, Name: 'RegionLock', Description: 'Deny outside us-east-1', Type: 'SERVICE_CONTROL_POLICY', AwsManaged: false },
  ])
  const pages: string[][] = []
  for await (const page of paginateListPoliciesForTarget({ client: clients.organizations, pageSize: 1 }, { TargetId: PROD, Filter: 'SERVICE_CONTROL_POLICY' })) pages.push(page.Policies!.map((p) => p.Id!))
  t.strictSame(pages, [['p-FullAWSAccess'], ['p-prodextra1']])
  await t.rejects(clients.organizations.send(new ListPoliciesForTargetCommand({ TargetId: OUTSIDE, Filter: 'SERVICE_CONTROL_POLICY' })), TargetNotFoundException)
  await t.rejects(clients.organizations.send(new ListPoliciesForTargetCommand({ TargetId: PROD, Filter: 'NOPE' as any })), InvalidInputException)
  await t.rejects(clients.organizations.send(new ListPoliciesForTargetCommand({ TargetId: PROD, Filter: 'SERVICE_CONTROL_POLICY', NextToken: 'x' })), InvalidInputException)

  for (const p of org.policies!) {
    const got = (await clients.organizations.send(new DescribePolicyCommand({ PolicyId: p.id }))).Policy!
    t.strictSame(JSON.parse(got.Content!), p.content, p.id)
    t.strictSame([got.PolicySummary?.Id, got.PolicySummary?.Name, got.PolicySummary?.Type, got.PolicySummary?.AwsManaged], [p.id, p.name, p.type, p.awsManaged ?? false])
  }
  await t.rejects(clients.organizations.send(new DescribePolicyCommand({ PolicyId: 'p-nonexistent1' })), PolicyNotFoundException)
})

t.test('a world without an organization: AWSOrganizationsNotInUseException everywhere', async (t) => {
  const w = fullWorld()
  delete w.organization
  for (const a of w.accounts) delete a.parentId
  const { clients } = await setup(t, w)
  await t.rejects(clients.organizations.send(new DescribeOrganizationCommand({})), AWSOrganizationsNotInUseException)
  await t.rejects(clients.organizations.send(new ListParentsCommand({ ChildId: MGMT })), AWSOrganizationsNotInUseException)
})
