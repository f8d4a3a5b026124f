// Properties that must hold for any input: malformed documents never crash the
// parser (they yield a typed error or parse), and the evaluation order of "Policy
// evaluation logic" holds (an explicit deny always wins; adding an Allow never
// turns an explicit deny into something else).
import t from 'tap'
import fc from 'fast-check'
import { evaluate, tryParsePolicy } from '../../src/policy/index.js'
import type { PolicyKind, PolicySet } from '../../src/policy/types.js'
import { ACCT, policy, req, session } from './helpers.js'

const kinds: PolicyKind[] = ['identity', 'boundary', 'trust', 'vault', 'scp', 'rcp', 'kms-key', 'resource']

// Documents shaped like policies, with arbitrary values in every slot.
const junk = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }))
const statementish = fc.dictionary(
  fc.constantFrom('Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition', 'Bogus'),
  fc.oneof(junk, fc.constantFrom('Allow', 'Deny', '*', 'ec2:*', { AWS: '*' }, { StringEquals: { 'aws:x': 'y' } }, { Foo: { a: 'b' } })),
)
const documentish = fc.oneof(
  fc.jsonValue(),
  fc.string(),
  fc.record({ Version: fc.oneof(fc.constant('2012-10-17'), junk), Statement: fc.oneof(statementish, fc.array(statementish, { maxLength: 3 }), junk) }, { requiredKeys: [] }),
)

t.test('tryParsePolicy never throws, and errors carry a path and a reason [IAM JSON policy elements]', async (t) => {
  fc.assert(
    fc.property(documentish, fc.constantFrom(...kinds), (document, kind) => {
      const r = tryParsePolicy({ kind, id: 'p', document })
      if (!r.ok) return typeof r.error.path === 'string' && r.error.reason.length > 0 && r.error.policyKind === kind
      return Array.isArray(r.policy.statements)
    }),
    { numRuns: 3000 },
  )
  t.pass()
})

t.test('evaluate never throws on parsable policies and never allows when a parsable policy denies everything', async (t) => {
  const parsable = documentish.filter((d) => tryParsePolicy({ kind: 'identity', id: 'x', document: d }).ok)
  fc.assert(
    fc.property(fc.array(parsable, { maxLength: 3 }), fc.constantFrom('ec2:CreateSnapshot', 'kms:Decrypt', 'backup:StartBackupJob'), (docs, action) => {
      const set: PolicySet = { identity: docs.map((document, i) => ({ kind: 'identity' as const, id: `p${i}`, document })) }
      const before = evaluate(req(action, '*'), set)
      const withDeny = evaluate(req(action, '*'), { identity: [...(set.identity ?? []), policy('identity', [{ Effect: 'Deny', Action: '*', Resource: '*' }])] })
      return ['allowed', 'implicit-deny', 'explicit-deny'].includes(before.decision) && withDeny.decision === 'explicit-deny'
    }),
    { numRuns: 500 },
  )
  t.pass()
})

t.test('adding an Allow never lifts an explicit deny [Policy evaluation logic: deny evaluation]', async (t) => {
  const stmt = fc.record({
    Effect: fc.constantFrom('Allow', 'Deny'),
    Action: fc.constantFrom('*', 'ec2:*', 'kms:Decrypt', 'ec2:CreateSnapshot'),
    Resource: fc.constantFrom('*', `arn:aws:ec2:us-east-1:${ACCT}:volume/*`),
  })
  fc.assert(
    fc.property(fc.array(stmt, { minLength: 1, maxLength: 4 }), fc.array(stmt.map((s) => ({ ...s, Effect: 'Allow' })), { minLength: 1, maxLength: 2 }), (sts, allows) => {
      const r = `arn:aws:ec2:us-east-1:${ACCT}:volume/vol-1`
      const a = evaluate(req('ec2:CreateSnapshot', r, {}, session()), { identity: [policy('identity', sts)] })
      const b = evaluate(req('ec2:CreateSnapshot', r, {}, session()), { identity: [policy('identity', sts), policy('identity', allows)] })
      return a.decision !== 'explicit-deny' || b.decision === 'explicit-deny'
    }),
    { numRuns: 500 },
  )
  t.pass()
})
