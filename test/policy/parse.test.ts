// Grammar and validation (IAM User Guide, "IAM JSON policy elements reference",
// "IAM JSON policy language grammar"): malformed policies yield a typed error
// naming the path — never a crash, never a silent allow.
import t from 'tap'
import { parsePolicy, tryParsePolicy, PolicyParseError } from '../../src/policy/index.js'
import type { PolicyKind } from '../../src/policy/types.js'

const ok = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }
const bad: Array<[string, PolicyKind, unknown, string]> = [
  ['invalid JSON string', 'identity', '{"Version": "2012-10-17", "Statement": [', ''],
  ['not an object', 'identity', '[1,2]', ''],
  ['unknown top-level element', 'identity', { Version: '2012-10-17', Statement: [ok], Extra: 1 }, '/Extra'],
  ['bad Version', 'identity', { Version: '2020-01-01', Statement: [ok] }, '/Version'],
  ['missing Statement', 'identity', { Version: '2012-10-17' }, '/Statement'],
  ['statement not an object', 'identity', { Statement: ['x'] }, '/Statement/0'],
  ['unknown statement element', 'identity', { Statement: [{ ...ok, Actions: 'x' }] }, '/Statement/0/Actions'],
  ['bad Effect', 'identity', { Statement: [{ ...ok, Effect: 'allow' }] }, '/Statement/0/Effect'],
  ['Action and NotAction together', 'identity', { Statement: [{ ...ok, NotAction: 'ec2:*' }] }, '/Statement/0/NotAction'],
  ['Resource and NotResource together', 'identity', { Statement: [{ ...ok, NotResource: '*' }] }, '/Statement/0/NotResource'],
  ['neither Action nor NotAction', 'identity', { Statement: [{ Effect: 'Allow', Resource: '*' }] }, '/Statement/0/Action'],
  ['no Resource in an identity policy', 'identity', { Statement: [{ Effect: 'Allow', Action: '*' }] }, '/Statement/0/Resource'],
  ['Action of the wrong type', 'identity', { Statement: [{ ...ok, Action: 5 }] }, '/Statement/0/Action'],
  ['Action list item of the wrong type', 'identity', { Statement: [{ ...ok, Action: ['s3:GetObject', 7] }] }, '/Statement/0/Action/1'],
  ['malformed action name', 'identity', { Statement: [{ ...ok, Action: 'GetObject' }] }, '/Statement/0/Action'],
  ['resource not an ARN', 'identity', { Statement: [{ ...ok, Resource: 'bucket' }] }, '/Statement/0/Resource'],
  ['unknown condition operator', 'identity', { Statement: [{ ...ok, Condition: { StringEqual: { 'aws:x': 'y' } } }] }, '/Statement/0/Condition/StringEqual'],
  ['unknown set operator prefix', 'identity', { Statement: [{ ...ok, Condition: { 'ForSomeValues:StringEquals': { 'aws:x': 'y' } } }] }, '/Statement/0/Condition/ForSomeValues:StringEquals'],
  ['NullIfExists does not exist', 'identity', { Statement: [{ ...ok, Condition: { NullIfExists: { 'aws:x': 'true' } } }] }, '/Statement/0/Condition/NullIfExists'],
  ['condition block not an object', 'identity', { Statement: [{ ...ok, Condition: { StringEquals: 'x' } }] }, '/Statement/0/Condition/StringEquals'],
  ['condition value of the wrong type', 'identity', { Statement: [{ ...ok, Condition: { StringEquals: { 'aws:x': { a: 1 } } } }] }, '/Statement/0/Condition/StringEquals/aws:x'],
  ['invalid number', 'identity', { Statement: [{ ...ok, Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': 'soon' } } }] }, '/Statement/0/Condition/NumericLessThan/aws:MultiFactorAuthAge'],
  ['invalid date', 'identity', { Statement: [{ ...ok, Condition: { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } } }] }, '/Statement/0/Condition/DateLessThan/aws:CurrentTime'],
  ['invalid CIDR', 'identity', { Statement: [{ ...ok, Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '300.1.1.1'] } } }] }, '/Statement/0/Condition/IpAddress/aws:SourceIp/1'],
  ['Principal in an identity policy', 'identity', { Statement: [{ ...ok, Principal: '*' }] }, '/Statement/0/Principal'],
  ['Principal in an SCP', 'scp', { Statement: [{ ...ok, Principal: '*' }] }, '/Statement/0/Principal'],
  ['no Principal in a vault policy', 'vault', { Statement: [ok] }, '/Statement/0/Principal'],
  ['no Principal in a key policy', 'kms-key', { Statement: [ok] }, '/Statement/0/Principal'],
  ['unknown principal type', 'vault', { Statement: [{ ...ok, Principal: { User: 'x' } }] }, '/Statement/0/Principal/User'],
  ['NotPrincipal with Allow', 'vault', { Statement: [{ ...ok, NotPrincipal: { AWS: '111111111111' } }] }, '/Statement/0/NotPrincipal'],
  ['Principal and NotPrincipal together', 'vault', { Statement: [{ ...ok, Effect: 'Deny', Principal: '*', NotPrincipal: { AWS: '1' } }] }, '/Statement/0/NotPrincipal'],
  ['empty Action list', 'identity', { Statement: [{ ...ok, Action: [] }] }, '/Statement/0/Action'],
  ['null document', 'identity', null, ''],
]

for (const [name, kind, document, path] of bad) {
  t.test(`rejects: ${name} [IAM JSON policy elements reference]`, async (t) => {
    const r = tryParsePolicy({ kind, id: 'pol-1', document })
    t.equal(r.ok, false)
    if (!r.ok) {
      t.equal(r.error.path, path)
      t.equal(r.error.policyId, 'pol-1')
      t.equal(r.error.policyKind, kind)
      t.type(r.error.reason, 'string')
    }
    t.throws(() => parsePolicy({ kind, id: 'pol-1', document }), PolicyParseError)
  })
}

const good: Array<[string, PolicyKind, unknown, number]> = [
  ['Statement as one object', 'identity', { Version: '2012-10-17', Statement: ok }, 1],
  ['Statement as an array', 'identity', { Version: '2012-10-17', Statement: [ok, ok] }, 2],
  ['JSON text', 'identity', JSON.stringify({ Version: '2012-10-17', Statement: [ok] }), 1],
  ['URL-encoded JSON as IAM returns it', 'trust', encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }] })), 1],
  ['trust policy without Resource', 'trust', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, 1],
  ['no Version (2008 semantics)', 'identity', { Statement: [ok] }, 1],
  ['Id element', 'identity', { Version: '2012-10-17', Id: 'x', Statement: [ok] }, 1],
  ['every principal type', 'resource', { Version: '2012-10-17', Statement: [{ ...ok, Principal: { AWS: ['111111111111', 'arn:aws:iam::111111111111:root'], Service: 'backup.amazonaws.com', Federated: 'cognito-identity.amazonaws.com', CanonicalUser: 'abc' } }] }, 1],
  ['condition values: numbers and booleans', 'identity', { Version: '2012-10-17', Statement: [{ ...ok, Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 }, Bool: { 'aws:SecureTransport': true } } }] }, 1],
]

for (const [name, kind, document, count] of good) {
  t.test(`accepts: ${name}`, async (t) => {
    const p = parsePolicy({ kind, id: 'p', document })
    t.equal(p.statements.length, count)
  })
}

t.test('statements are named by Sid, else by index', async (t) => {
  const p = parsePolicy({ kind: 'identity', id: 'p', document: { Version: '2012-10-17', Statement: [{ ...ok, Sid: 'ReadIt' }, ok] } })
  t.same(p.statements.map((s) => s.label), ['ReadIt', '1'])
})

t.test('parse once: the same input object returns the same parsed policy', async (t) => {
  const input = { kind: 'identity' as const, id: 'p', document: { Version: '2012-10-17', Statement: [ok] } }
  t.equal(parsePolicy(input), parsePolicy(input))
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [ok] })
  t.equal(parsePolicy({ kind: 'identity', id: 'a', document: text }).statements, parsePolicy({ kind: 'identity', id: 'b', document: text }).statements)
  t.equal(parsePolicy({ kind: 'identity', id: 'b', document: text }).id, 'b', 'ids are not shared through the cache')
})

t.test('a changed document on a reused input object is re-parsed', async (t) => {
  const input: { kind: 'identity'; id: string; document: unknown } = { kind: 'identity', id: 'p', document: { Statement: [ok] } }
  t.equal(parsePolicy(input).statements.length, 1)
  input.document = { Statement: [ok, ok] }
  t.equal(parsePolicy(input).statements.length, 2)
})

t.test('RCP grammar [AWS Organizations, RCP syntax]', async (t) => {
  const rcp = (st: Record<string, unknown>) => tryParsePolicy({ kind: 'rcp', id: 'r', document: { Version: '2012-10-17', Statement: [st] } })
  const paths = (r: ReturnType<typeof rcp>) => (r.ok ? null : r.error.path)
  t.equal(paths(rcp({ Effect: 'Deny', Principal: '*', NotAction: 's3:*', Resource: '*' })), '/Statement/0/NotAction')
  t.equal(paths(rcp({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' })), '/Statement/0/Action')
  t.equal(paths(rcp({ Effect: 'Deny', Principal: { AWS: '111111111111' }, Action: 's3:*', Resource: '*' })), '/Statement/0/Principal')
  t.equal(rcp({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }).ok, true)
  t.equal(rcp({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }).ok, true, 'RCPFullAWSAccess')
})
