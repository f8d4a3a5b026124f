import t from 'tap'
import { DescribeKeyCommand, GetKeyPolicyCommand, ListAliasesCommand, NotFoundException } from '@aws-sdk/client-kms'
import { AssumeRoleCommand } from '@aws-sdk/client-sts'
import { AccessDeniedException } from '@aws-sdk/client-organizations'
import { readKey } from '../../src/evidence/kms.js'
import { awsMocks, testContext, chain, ALLOW_ALL, DEST, REGION } from './mocks.js'

const m = awsMocks()
const ID = '2b3c4d5e-2222-4b4b-9c9c-0d0d0d0d0d02'
const KEY = `arn:aws:kms:${REGION}:${DEST}:key/${ID}`
t.beforeEach(() => {
  m.reset()
  m.kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: ID, Arn: KEY, KeyManager: 'CUSTOMER', KeyState: 'Enabled', Enabled: true } })
  m.kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify(ALLOW_ALL), PolicyName: 'default' })
  m.kms.on(ListAliasesCommand).resolves({ Aliases: [{ AliasName: 'alias/b' }], Truncated: false })
  m.kms.on(ListAliasesCommand, { Marker: undefined }).resolves({ Aliases: [{ AliasName: 'alias/a' }], Truncated: true, NextMarker: 'n' })
})

t.test('metadata, every alias page and the default policy, in the key account', async (t) => {
  const c = chain(testContext())
  const k = await readKey(c, KEY)
  t.match(k, { state: 'read', value: { keyManager: 'CUSTOMER', keyState: 'Enabled', enabled: true, accountId: DEST, aliases: { state: 'read', value: ['alias/a', 'alias/b'] }, policy: { state: 'read', value: ALLOW_ALL } } })
  t.equal(m.sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input.RoleArn, `arn:aws:iam::${DEST}:role/BackupDoctorReadOnly`)
  t.equal(m.kms.commandCalls(GetKeyPolicyCommand)[0]!.args[0].input.PolicyName, 'default')
  t.equal(c.flow.maxDepth, 4, 'GetCallerIdentity, AssumeRole, then three reads in parallel (aliases take two pages)')
})

t.test('missing key is absent; a denied policy read leaves the key read with the policy unreadable', async (t) => {
  const ctx = testContext()
  m.kms.on(GetKeyPolicyCommand).rejects(new AccessDeniedException({ message: 'no', $metadata: {} }))
  t.match(await readKey(chain(ctx), KEY), { state: 'read', value: { policy: { state: 'unreadable', call: 'kms:GetKeyPolicy', errorClass: 'access-denied' } } })
  m.kms.on(DescribeKeyCommand).rejects(new NotFoundException({ message: 'Key not found', $metadata: {} }))
  t.match(await readKey(chain(ctx), KEY.replace('0d02', '0d03')), { state: 'absent' })
  t.match(await readKey(chain(ctx), 'arn:aws:s3:::bucket'), { state: 'unreadable', errorClass: 'invalid' })
})

t.test('a malformed key policy and a throttled alias list are unreadable, the key still read', async (t) => {
  m.kms.on(GetKeyPolicyCommand).resolves({ Policy: '{"Statement": [' })
  m.kms.on(ListAliasesCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }))
  const k = await readKey(chain(testContext()), KEY)
  t.match(k, { state: 'read', value: {
    policy: { state: 'unreadable', error: 'MalformedPolicyDocument', call: 'kms:GetKeyPolicy', errorClass: 'invalid' },
    aliases: { state: 'unreadable', error: 'ThrottlingException', call: 'kms:ListAliases', errorClass: 'throttled' },
  } })
})

t.test('an alias ARN is resolved before the policy read', async (t) => {
  const k = await readKey(chain(testContext()), `arn:aws:kms:${REGION}:${DEST}:alias/a`)
  t.match(k, { state: 'read', value: { keyId: ID } })
  t.equal(m.kms.commandCalls(GetKeyPolicyCommand)[0]!.args[0].input.KeyId, ID)
})

t.test('a key is cached (one read for a burst)', async (t) => {
  const ctx = testContext()
  await Promise.all([readKey(chain(ctx), KEY), readKey(chain(ctx), KEY)])
  await readKey(chain(ctx), KEY)
  t.equal(m.kms.commandCalls(DescribeKeyCommand).length, 1)
})
