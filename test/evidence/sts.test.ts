import t from 'tap'
import { DecodeAuthorizationMessageCommand, InvalidAuthorizationMessageException } from '@aws-sdk/client-sts'
import { decodeMessages, findEncodedMessages, passRoleTargets } from '../../src/evidence/sts.js'
import { awsMocks, testContext, chain, JOB, REGION } from './mocks.js'

const m = awsMocks()
t.beforeEach(() => m.reset())
const MSG = 'You are not authorized. Encoded authorization failure message: Zm9vYmFyLWVuY29kZWQtYXV0aG9yaXphdGlvbi1tZXNzYWdl-_x'

t.test('finds encoded messages', async (t) => {
  t.same(findEncodedMessages(MSG), ['Zm9vYmFyLWVuY29kZWQtYXV0aG9yaXphdGlvbi1tZXNzYWdl-_x'])
  t.same(findEncodedMessages('no message here'), [])
  t.same(findEncodedMessages(null), [])
})

t.test('decodes in the job account, and names the roles to pass', async (t) => {
  const decoded = { allowed: false, context: { action: 'iam:PassRole', resource: `arn:aws:iam::${JOB}:role/app` } }
  m.sts.on(DecodeAuthorizationMessageCommand).resolves({ DecodedMessage: JSON.stringify(decoded) })
  const ms = await decodeMessages(chain(testContext()), JOB, REGION, MSG)
  t.same(ms, [{ encoded: 'Zm9vYmFyLWVuY29kZWQtYXV0aG9yaXphdGlvbi1tZXNzYWdl-_x', decoded: { state: 'read', value: decoded } }])
  t.same(passRoleTargets(ms), [`arn:aws:iam::${JOB}:role/app`])
})

t.test('an undecodable message is unreadable', async (t) => {
  m.sts.on(DecodeAuthorizationMessageCommand).rejects(new InvalidAuthorizationMessageException({ message: 'bad', $metadata: {} }))
  const ms = await decodeMessages(chain(testContext()), JOB, REGION, MSG)
  t.match(ms[0]!.decoded, { state: 'unreadable', error: 'InvalidAuthorizationMessageException', call: 'sts:DecodeAuthorizationMessage' })
  t.same(passRoleTargets(ms), [])
})

t.test('a decoded message that is not JSON is unreadable (invalid)', async (t) => {
  m.sts.on(DecodeAuthorizationMessageCommand).resolves({ DecodedMessage: '<html>' })
  const ms = await decodeMessages(chain(testContext()), JOB, REGION, MSG)
  t.match(ms[0]!.decoded, { state: 'unreadable', error: 'MalformedDecodedMessage', errorClass: 'invalid' })
})
