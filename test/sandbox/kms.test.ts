import t from 'tap'
import { DescribeKeyCommand, GetKeyPolicyCommand, InvalidArnException, InvalidMarkerException, ListAliasesCommand, NotFoundException } from '@aws-sdk/client-kms'
import { CENTRAL, KEY_AWS, KEY_DISABLED, KEY_PROD, KEY_PROD_EU, PROD, fullWorld } from './fixtures/full-world.js'
import { clientsAs, plain, setup } from './fixtures/util.js'

const world = fullWorld()
const keys = world.accounts.find((a) => a.id === PROD)!.kms!.keys!
const arn = (id: string, region = 'us-east-1') => `arn:aws:kms:${region}:${PROD}:key/${id}`

t.test('DescribeKey by id, key ARN, alias name and alias ARN', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  const expected = {
    AWSAccountId: PROD, KeyId: KEY_PROD, Arn: arn(KEY_PROD), CreationDate: '2024-01-15T10:00:00.000Z', Enabled: true, Description: 'prod backups',
    KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled', Origin: 'AWS_KMS', KeyManager: 'CUSTOMER', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false,
  }
  for (const id of [KEY_PROD, arn(KEY_PROD), 'alias/prod-backup', 'alias/prod-extra', `arn:aws:kms:us-east-1:${PROD}:alias/prod-backup`]) {
    t.strictSame(plain((await c.kms.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata), expected, id)
  }
  const awsKey = (await c.kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/backup' }))).KeyMetadata!
  t.strictSame([awsKey.KeyId, awsKey.KeyManager, awsKey.Description], [KEY_AWS, 'AWS', keys[1]!.description])
  const pending = (await c.kms.send(new DescribeKeyCommand({ KeyId: KEY_DISABLED }))).KeyMetadata!
  t.strictSame([pending.KeyState, pending.Enabled, pending.KeyManager], ['PendingDeletion', false, 'CUSTOMER'])
})

t.test('keys are regional and private to their account', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  const eu = await clientsAs(t, sandbox.url, PROD, 'eu-west-1')
  t.equal((await eu.kms.send(new DescribeKeyCommand({ KeyId: 'alias/prod-backup' }))).KeyMetadata?.KeyId, KEY_PROD_EU, 'same alias, other region, other key')
  const err = await c.kms.send(new DescribeKeyCommand({ KeyId: KEY_PROD_EU })).catch((e: unknown) => e)
  t.ok(err instanceof NotFoundException)
  t.match((err as Error).message, /^Key 'arn:aws:kms:us-east-1:200000000002:key\/1a2b3c4d-2222-4a4a-8b8b-0c0c0c0c0c02' does not exist$/)
  t.equal((err as NotFoundException).$metadata.httpStatusCode, 404)
  await t.rejects(c.kms.send(new DescribeKeyCommand({ KeyId: arn(KEY_PROD_EU, 'eu-west-1') })), NotFoundException, 'an ARN of another region')
  await t.rejects(c.kms.send(new DescribeKeyCommand({ KeyId: 'alias/none' })), NotFoundException)
  await t.rejects(c.kms.send(new DescribeKeyCommand({ KeyId: 'arn:aws:kms:bad' })), InvalidArnException)
  const central = await clientsAs(t, sandbox.url, CENTRAL)
  await t.rejects(central.kms.send(new DescribeKeyCommand({ KeyId: arn(KEY_PROD) })), { name: 'AccessDeniedException' })
  await t.rejects(central.kms.send(new DescribeKeyCommand({ KeyId: KEY_PROD })), NotFoundException)
  await t.rejects(central.kms.send(new GetKeyPolicyCommand({ KeyId: arn(KEY_PROD) })), { name: 'AccessDeniedException' })
})

t.test('GetKeyPolicy returns the policy as a JSON string', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  for (const id of [KEY_PROD, arn(KEY_PROD)]) {
    const out = await c.kms.send(new GetKeyPolicyCommand({ KeyId: id }))
    t.equal(out.PolicyName, 'default')
    t.strictSame(JSON.parse(out.Policy!), keys[0]!.policy)
  }
  t.strictSame(JSON.parse((await c.kms.send(new GetKeyPolicyCommand({ KeyId: KEY_AWS, PolicyName: 'default' }))).Policy!), keys[1]!.policy)
  await t.rejects(c.kms.send(new GetKeyPolicyCommand({ KeyId: KEY_PROD, PolicyName: 'other' })), NotFoundException)
  await t.rejects(c.kms.send(new GetKeyPolicyCommand({ KeyId: 'alias/prod-backup' })), NotFoundException, 'aliases are not accepted by GetKeyPolicy')
})

t.test('ListAliases with KeyId filter and Limit/Marker pagination', async (t) => {
  const { sandbox } = await setup(t)
  const c = await clientsAs(t, sandbox.url, PROD)
  const all = await c.kms.send(new ListAliasesCommand({}))
  t.strictSame(all.Aliases?.map((a) => a.AliasName), ['alias/prod-backup', 'alias/prod-extra', 'alias/aws/backup'])
  t.equal(all.Truncated, false)
  t.strictSame(plain(all.Aliases![0]), {
    AliasName: 'alias/prod-backup', AliasArn: `arn:aws:kms:us-east-1:${PROD}:alias/prod-backup`, TargetKeyId: KEY_PROD,
    CreationDate: '2024-01-15T10:00:00.000Z', LastUpdatedDate: '2024-01-15T10:00:00.000Z',
  })
  t.strictSame((await c.kms.send(new ListAliasesCommand({ KeyId: arn(KEY_AWS) }))).Aliases?.map((a) => a.AliasName), ['alias/aws/backup'])
  const names: string[] = []
  let marker: string | undefined
  let pages = 0
  do {
    const page = await c.kms.send(new ListAliasesCommand({ KeyId: KEY_PROD, Limit: 1, Marker: marker }))
    pages++
    names.push(...page.Aliases!.map((a) => a.AliasName!))
    t.equal(page.Truncated, page.NextMarker !== undefined)
    marker = page.NextMarker
  } while (marker)
  t.strictSame([pages, names], [2, ['alias/prod-backup', 'alias/prod-extra']])
  await t.rejects(c.kms.send(new ListAliasesCommand({ Marker: 'bogus' })), InvalidMarkerException)
  await t.rejects(c.kms.send(new ListAliasesCommand({ KeyId: 'nope-nope' })), NotFoundException)
})
