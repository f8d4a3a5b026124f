import t from 'tap'
import {
  GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand, NoSuchEntityException, paginateListAttachedRolePolicies,
} from '@aws-sdk/client-iam'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CENTRAL, PROD, fullWorld } from './fixtures/full-world.js'
import { clientsAs, plain, setup } from './fixtures/util.js'
import { REPO_ROOT } from '../helpers/sandbox.js'

const world = fullWorld()
const prod = world.accounts.find((a) => a.id === PROD)!
const role = prod.iam!.roles![0]!

t.test('GetRole: every field, trust policy URL-encoded as IAM sends it', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  const out = await c.iam.send(new GetRoleCommand({ RoleName: 'AWSBackupDefaultServiceRole' }))
  const r = out.Role!
  t.match(r.RoleId, /^AROA[A-Z2-7]{17}$/)
  t.ok(r.CreateDate instanceof Date)
  t.not(r.AssumeRolePolicyDocument, JSON.stringify(role.trustPolicy), 'not plain JSON on the wire')
  t.strictSame(JSON.parse(decodeURIComponent(r.AssumeRolePolicyDocument!)), role.trustPolicy)
  t.strictSame(plain({ ...r, AssumeRolePolicyDocument: undefined, RoleId: undefined }), {
    Path: '/service-role/',
    RoleName: 'AWSBackupDefaultServiceRole',
    Arn: `arn:aws:iam::${PROD}:role/service-role/AWSBackupDefaultServiceRole`,
    CreateDate: '2024-01-15T10:00:00.000Z',
    Description: 'Default role of AWS Backup',
    MaxSessionDuration: 3600,
    PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: `arn:aws:iam::${PROD}:policy/Boundary` },
  })
  // Derived values are deterministic: a second sandbox over the same world answers the same.
  const again = await setup(t)
  const c2 = await clientsAs(t, again.sandbox.url, PROD)
  t.equal((await c2.iam.send(new GetRoleCommand({ RoleName: 'awsbackupdefaultservicerole' }))).Role?.RoleId, r.RoleId, 'same id; names are case-insensitive')
  const plainRole = (await c.iam.send(new GetRoleCommand({ RoleName: 'PlainRole' }))).Role!
  t.equal(plainRole.Path, '/')
  t.equal(plainRole.PermissionsBoundary, undefined)
  t.not(plainRole.RoleId, r.RoleId)
})

t.test('GetRole errors: NoSuchEntity (404) in the calling account, validation for bad names', async (t) => {
  const { sandbox, clients } = await setup(t)
  const err = await clients.iam.send(new GetRoleCommand({ RoleName: 'AWSBackupDefaultServiceRole' })).catch((e: unknown) => e)
  t.ok(err instanceof NoSuchEntityException, 'the management account does not hold the prod role')
  t.equal((err as NoSuchEntityException).$metadata.httpStatusCode, 404)
  const central = await clientsAs(t, sandbox.url, CENTRAL)
  t.equal((await central.iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForBackup' }))).Role?.Path, '/aws-service-role/backup.amazonaws.com/')
  await t.rejects(clients.iam.send(new GetRoleCommand({ RoleName: 'bad name!' })), { name: 'ValidationError' })
})

t.test('ListAttachedRolePolicies and ListRolePolicies paginate with Marker/IsTruncated/MaxItems', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  const all = await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.name }))
  t.strictSame(plain(all.AttachedPolicies), role.attachedPolicyArns!.map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn })))
  t.equal(all.IsTruncated, false)
  const seen: string[] = []
  let marker: string | undefined
  let pages = 0
  do {
    const page = await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.name, MaxItems: 1, Marker: marker }))
    pages++
    seen.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn!))
    t.equal(page.IsTruncated, page.Marker !== undefined)
    marker = page.Marker
  } while (marker)
  t.equal(pages, 3)
  t.strictSame(seen, role.attachedPolicyArns)
  const viaPaginator: string[] = []
  for await (const page of paginateListAttachedRolePolicies({ client: c.iam, pageSize: 2 }, { RoleName: role.name })) viaPaginator.push(...page.AttachedPolicies!.map((p) => p.PolicyArn!))
  t.strictSame(viaPaginator, role.attachedPolicyArns)
  t.strictSame((await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.name, PathPrefix: '/backup/' }))).AttachedPolicies?.map((p) => p.PolicyName), ['BackupExtras'])

  const inline1 = await c.iam.send(new ListRolePoliciesCommand({ RoleName: role.name, MaxItems: 1 }))
  t.strictSame([inline1.PolicyNames, inline1.IsTruncated], [['ExtraKms'], true])
  const inline2 = await c.iam.send(new ListRolePoliciesCommand({ RoleName: role.name, MaxItems: 1, Marker: inline1.Marker }))
  t.strictSame([inline2.PolicyNames, inline2.IsTruncated, inline2.Marker], [['Tags&More'], false, undefined])
  t.strictSame((await c.iam.send(new ListRolePoliciesCommand({ RoleName: 'PlainRole' }))).PolicyNames, [])
  await t.rejects(c.iam.send(new ListRolePoliciesCommand({ RoleName: 'Nope' })), NoSuchEntityException)
  await t.rejects(c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.name, Marker: 'bogus' })), { name: 'InvalidInputException' })
  await t.rejects(c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.name, MaxItems: 0 })), { name: 'ValidationError' })
})

t.test('GetRolePolicy: inline document URL-encoded (odd characters survive)', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  for (const [name, doc] of Object.entries(role.inlinePolicies!)) {
    const out = await c.iam.send(new GetRolePolicyCommand({ RoleName: role.name, PolicyName: name }))
    t.equal(out.RoleName, role.name)
    t.equal(out.PolicyName, name)
    t.strictSame(JSON.parse(decodeURIComponent(out.PolicyDocument!)), doc)
  }
  await t.rejects(c.iam.send(new GetRolePolicyCommand({ RoleName: role.name, PolicyName: 'Missing' })), NoSuchEntityException)
  await t.rejects(c.iam.send(new GetRolePolicyCommand({ RoleName: role.name, PolicyName: 'constructor' })), NoSuchEntityException)
})

t.test('GetPolicy / GetPolicyVersion: AWS managed catalogue, world overrides, customer managed', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  const builtIn = 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup'
  const p = (await c.iam.send(new GetPolicyCommand({ PolicyArn: builtIn }))).Policy!
  t.match(p.PolicyId, /^ANPA[A-Z2-7]{17}$/)
  t.strictSame(plain({ ...p, PolicyId: undefined }), {
    PolicyName: 'AWSBackupServiceRolePolicyForBackup', Arn: builtIn, Path: '/service-role/', DefaultVersionId: 'v30',
    AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, IsAttachable: true, CreateDate: '2024-01-15T10:00:00.000Z', UpdateDate: '2024-01-15T10:00:00.000Z',
  })
  const v = (await c.iam.send(new GetPolicyVersionCommand({ PolicyArn: builtIn, VersionId: 'v30' }))).PolicyVersion!
  const shared = JSON.parse(readFileSync(join(REPO_ROOT, '..', 'shared', 'aws-data', 'managed-policies', 'AWSBackupServiceRolePolicyForBackup.json'), 'utf8')) as unknown
  t.strictSame(JSON.parse(decodeURIComponent(v.Document!)), shared)
  t.strictSame(plain({ ...v, Document: undefined }), { VersionId: 'v30', IsDefaultVersion: true, CreateDate: '2024-01-15T10:00:00.000Z' })
  await t.rejects(c.iam.send(new GetPolicyVersionCommand({ PolicyArn: builtIn, VersionId: 'v29' })), NoSuchEntityException)

  const expectedPaths: Record<string, [string, string]> = {
    'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores': ['/service-role/', 'v35'],
    'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup': ['/', 'v5'],
    'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore': ['/', 'v2'],
    'arn:aws:iam::aws:policy/aws-service-role/AWSBackupServiceLinkedRolePolicyForBackup': ['/aws-service-role/', 'v31'],
    'arn:aws:iam::aws:policy/AWSBackupOperatorAccess': ['/', 'v28'],
  }
  for (const [arn, [path, version]] of Object.entries(expectedPaths)) {
    const got = (await c.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!
    t.strictSame([got.Path, got.DefaultVersionId], [path, version], arn)
  }

  // World additions and overrides (an override without versionId keeps the built-in version id).
  const s3 = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'
  t.equal((await c.iam.send(new GetPolicyCommand({ PolicyArn: s3 }))).Policy?.DefaultVersionId, 'v3')
  t.strictSame(JSON.parse(decodeURIComponent((await c.iam.send(new GetPolicyVersionCommand({ PolicyArn: s3, VersionId: 'v3' }))).PolicyVersion!.Document!)), world.awsManagedPolicies![0]!.document)
  const full = 'arn:aws:iam::aws:policy/AWSBackupFullAccess'
  const fullV = (await c.iam.send(new GetPolicyVersionCommand({ PolicyArn: full, VersionId: 'v30' }))).PolicyVersion!
  t.strictSame(JSON.parse(decodeURIComponent(fullV.Document!)), world.awsManagedPolicies![1]!.document)

  const cm = `arn:aws:iam::${PROD}:policy/backup/BackupExtras`
  const cmp = (await c.iam.send(new GetPolicyCommand({ PolicyArn: cm }))).Policy!
  t.strictSame([cmp.PolicyName, cmp.Path, cmp.DefaultVersionId, cmp.AttachmentCount, cmp.Arn], ['BackupExtras', '/backup/', 'v3', 1, cm])
  t.strictSame(JSON.parse(decodeURIComponent((await c.iam.send(new GetPolicyVersionCommand({ PolicyArn: cm, VersionId: 'v3' }))).PolicyVersion!.Document!)), prod.iam!.policies![0]!.document)
  t.equal((await c.iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${PROD}:policy/Boundary` }))).Policy?.PermissionsBoundaryUsageCount, 1)

  await t.rejects(c.iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/NotInTheCatalogue' })), NoSuchEntityException)
  await t.rejects(c.iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${PROD}:policy/Nope` })), NoSuchEntityException)
  await t.rejects(c.iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${CENTRAL}:policy/Anything` })), { name: 'AccessDenied' })
  await t.rejects(c.iam.send(new GetPolicyCommand({ PolicyArn: 'not-an-arn' })), { name: 'InvalidInputException' })
})
