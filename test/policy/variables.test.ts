// Policy variables (IAM User Guide, "IAM policy elements: Variables and tags").
import t from 'tap'
import { matchStatements } from '../../src/policy/index.js'
import type { RequestContext } from '../../src/policy/types.js'
import { req } from './helpers.js'

const B = 'arn:aws:s3:::bucket'
function applies(statement: Record<string, unknown>, resource: string, context: RequestContext, version = '2012-10-17'): { hit: boolean; missing: string[] } {
  const p = { kind: 'identity' as const, id: 'p', document: { Version: version, Statement: [{ Effect: 'Allow', Action: '*', ...statement }] } }
  const r = matchStatements(p, req('s3:GetObject', resource, context))
  return { hit: r.allows.length === 1, missing: r.missingContextKeys }
}

const rows: Array<[string, Record<string, unknown>, string, RequestContext, boolean, string?]> = [
  ['${aws:username} in Resource', { Resource: `${B}/home/\${aws:username}/*` }, `${B}/home/alice/x`, { 'aws:username': 'alice' }, true],
  ['variable value is matched literally', { Resource: `${B}/home/\${aws:username}/*` }, `${B}/home/bob/x`, { 'aws:username': 'alice' }, false],
  ['variable key is case-insensitive', { Resource: `${B}/home/\${AWS:UserName}/*` }, `${B}/home/alice/x`, { 'aws:username': 'alice' }, true],
  ['${aws:PrincipalTag/x}', { Resource: `${B}/\${aws:PrincipalTag/team}/*` }, `${B}/ops/x`, { 'aws:PrincipalTag/team': 'ops' }, true],
  ['a * inside a variable value is not a wildcard', { Resource: `${B}/\${aws:username}` }, `${B}/anything`, { 'aws:username': '*' }, false],
  ['${*} is a literal asterisk', { Resource: `${B}/\${*}` }, `${B}/*`, {}, true],
  ['${*} does not act as a wildcard', { Resource: `${B}/\${*}` }, `${B}/x`, {}, false],
  ['${?} is a literal question mark', { Resource: `${B}/a\${?}` }, `${B}/a?`, {}, true],
  ['${$} is a literal dollar', { Resource: `${B}/\${$}x` }, `${B}/$x`, {}, true],
  ['default value when the key is absent', { Resource: `${B}/\${aws:PrincipalTag/team, 'shared'}/*` }, `${B}/shared/x`, {}, true],
  ['default not used when the key is present', { Resource: `${B}/\${aws:PrincipalTag/team, 'shared'}/*` }, `${B}/shared/x`, { 'aws:PrincipalTag/team': 'ops' }, false],
  ['unresolvable variable: the statement does not apply', { Resource: `${B}/\${aws:PrincipalTag/team}/*` }, `${B}/x/y`, {}, false],
  ['unresolvable variable under NotResource: the statement does not apply either', { NotResource: `${B}/\${aws:PrincipalTag/team}/*` }, 'arn:aws:kms:us-east-1:1:key/k', {}, false],
  ['multivalued key cannot be a variable', { Resource: `${B}/\${aws:TagKeys}` }, `${B}/env`, { 'aws:TagKeys': ['env', 'x'] }, false],
  ['variable in a condition value (StringEquals)', { Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } } }, `${B}/x`, { 'aws:username': 'alice', 'aws:ResourceTag/owner': 'alice' }, true],
  ['variable in an ARN condition value', { Resource: '*', Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:backup:*:${aws:ResourceAccount}:*' } } }, `${B}/x`, { 'aws:ResourceAccount': '111111111111', 'aws:SourceArn': 'arn:aws:backup:us-east-1:111111111111:backup-vault:V' }, true],
  ['no variables in Version 2008-10-17', { Resource: `${B}/\${aws:username}` }, `${B}/alice`, { 'aws:username': 'alice' }, false],
]

for (const [name, statement, resource, context, expected] of rows) {
  t.test(`${name} [Variables and tags]`, async (t) => {
    const version = name.includes('2008') ? '2008-10-17' : '2012-10-17'
    t.equal(applies(statement, resource, context, version).hit, expected)
  })
}

t.test('${aws:username} literal in 2008-10-17 matches the literal text', async (t) => {
  t.equal(applies({ Resource: `${B}/\${aws:username}` }, `${B}/\${aws:username}`, {}, '2008-10-17').hit, true)
})

t.test('an unresolvable variable is reported as a missing key', async (t) => {
  t.same(applies({ Resource: `${B}/\${aws:PrincipalTag/team}/*` }, `${B}/x/y`, {}).missing, ['aws:PrincipalTag/team'])
})
