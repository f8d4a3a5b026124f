// Tabled tests, one section per condition operator file (src/policy/conditions/<op>.ts),
// following the IAM User Guide, "IAM JSON policy elements: Condition operators".
import t from 'tap'
import { matchStatements } from '../../../src/policy/index.js'
import type { RequestContext } from '../../../src/policy/types.js'
import { policy, req } from '../helpers.js'

type Row = [condition: Record<string, Record<string, unknown>>, context: RequestContext, matches: boolean, note?: string]

function applies(condition: Record<string, unknown>, context: RequestContext): boolean {
  const p = policy('identity', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition }])
  return matchStatements(p, req('s3:GetObject', '*', context)).allows.length === 1
}

const sections: Record<string, { doc: string; rows: Row[] }> = {
  'string-equals (StringEquals / StringNotEquals)': {
    doc: 'String condition operators: exact, case-sensitive',
    rows: [
      [{ StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }, { 'aws:RequestedRegion': 'us-east-1' }, true],
      [{ StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }, { 'aws:RequestedRegion': 'US-EAST-1' }, false, 'case-sensitive'],
      [{ StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } }, { 'aws:RequestedRegion': 'us-east-1' }, true, 'values are ORed'],
      [{ StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }, {}, false, 'missing key: positive operator false'],
      [{ StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } }, { 'aws:RequestedRegion': 'us-east-1' }, true],
      [{ StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } }, { 'aws:RequestedRegion': 'us-east-1' }, false],
      [{ StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } }, {}, true, 'missing key: negated operator true'],
      [{ StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc' } }, {}, true, 'IfExists: missing key true'],
      [{ StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc' } }, { 'aws:PrincipalOrgID': 'o-xyz' }, false, 'IfExists: present key evaluated'],
      [{ StringEquals: { 'AWS:requestedregion': 'us-east-1' } }, { 'aws:RequestedRegion': 'us-east-1' }, true, 'key names are case-insensitive'],
      [{ StringEquals: { 'aws:PrincipalTag/Team': 'ops' } }, { 'aws:principaltag/team': 'ops' }, true, 'tag key names are case-insensitive'],
      [{ StringEquals: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': true }, true, 'booleans compare as "true"'],
      [{ StringEquals: { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['env', 'team'] }, true, 'multivalued context without set operator: any value'],
    ],
  },
  'string-equals-ignore-case': {
    doc: 'String condition operators: StringEqualsIgnoreCase',
    rows: [
      [{ StringEqualsIgnoreCase: { 'aws:username': 'JohnDoe' } }, { 'aws:username': 'johndoe' }, true],
      [{ StringEqualsIgnoreCase: { 'aws:username': 'JohnDoe' } }, { 'aws:username': 'jane' }, false],
      [{ StringNotEqualsIgnoreCase: { 'aws:username': 'JohnDoe' } }, { 'aws:username': 'JOHNDOE' }, false],
      [{ StringNotEqualsIgnoreCase: { 'aws:username': 'JohnDoe' } }, {}, true],
    ],
  },
  'string-like (StringLike / StringNotLike)': {
    doc: 'String condition operators: * and ? wildcards anywhere, case-sensitive',
    rows: [
      [{ StringLike: { 's3:prefix': 'home/*' } }, { 's3:prefix': 'home/alice/x' }, true],
      [{ StringLike: { 's3:prefix': 'home/?' } }, { 's3:prefix': 'home/ab' }, false],
      [{ StringLike: { 's3:prefix': 'home/?' } }, { 's3:prefix': 'home/a' }, true],
      [{ StringLike: { 's3:prefix': 'Home/*' } }, { 's3:prefix': 'home/a' }, false, 'case-sensitive'],
      [{ StringLike: { 's3:prefix': 'a.c' } }, { 's3:prefix': 'abc' }, false, '. is literal'],
      [{ StringNotLike: { 'aws:PrincipalArn': '*Admin*' } }, { 'aws:PrincipalArn': 'arn:aws:iam::1:role/Admin' }, false],
      [{ StringNotLike: { 'aws:PrincipalArn': '*Admin*' } }, {}, true],
    ],
  },
  'numeric-equals (NumericEquals / NumericNotEquals)': {
    doc: 'Numeric condition operators',
    rows: [
      [{ NumericEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': 10 }, true],
      [{ NumericEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '10.0' }, true, 'numeric, not textual'],
      [{ NumericEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': 'ten' }, false, 'non-numeric context never matches'],
      [{ NumericNotEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '11' }, true],
      [{ NumericNotEquals: { 's3:max-keys': '10' } }, {}, true],
    ],
  },
  'numeric-less-than': { doc: 'Numeric condition operators', rows: [[{ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:MultiFactorAuthAge': '30' }, true], [{ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:MultiFactorAuthAge': '3600' }, false], [{ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, {}, false]] },
  'numeric-less-than-equals': { doc: 'Numeric condition operators', rows: [[{ NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:MultiFactorAuthAge': '3600' }, true], [{ NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:MultiFactorAuthAge': '3601' }, false]] },
  'numeric-greater-than': { doc: 'Numeric condition operators', rows: [[{ NumericGreaterThan: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:MultiFactorAuthAge': '3601' }, true], [{ NumericGreaterThan: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:MultiFactorAuthAge': '3600' }, false]] },
  'numeric-greater-than-equals': { doc: 'Numeric condition operators', rows: [[{ NumericGreaterThanEquals: { 'aws:MultiFactorAuthAge': 3600 } }, { 'aws:MultiFactorAuthAge': '3600' }, true], [{ NumericGreaterThanEquals: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:MultiFactorAuthAge': '-1' }, false]] },
  'date-equals (DateEquals / DateNotEquals)': {
    doc: 'Date condition operators: ISO 8601 or epoch seconds',
    rows: [
      [{ DateEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2026-01-01T00:00:00Z' }, true],
      [{ DateEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '1767225600' }, true, 'epoch seconds equal ISO'],
      [{ DateNotEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2026-01-02T00:00:00Z' }, true],
      [{ DateNotEquals: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, {}, true],
    ],
  },
  'date-less-than': { doc: 'Date condition operators', rows: [[{ DateLessThan: { 'aws:CurrentTime': '2026-12-31T00:00:00Z' } }, { 'aws:CurrentTime': '2026-06-01T00:00:00Z' }, true], [{ DateLessThan: { 'aws:CurrentTime': '2026-12-31T00:00:00Z' } }, { 'aws:CurrentTime': '2027-06-01T00:00:00Z' }, false], [{ DateLessThan: { 'aws:CurrentTime': '2026-12-31' } }, { 'aws:CurrentTime': 'not a date' }, false]] },
  'date-less-than-equals': { doc: 'Date condition operators', rows: [[{ DateLessThanEquals: { 'aws:CurrentTime': '2026-12-31T00:00:00Z' } }, { 'aws:CurrentTime': '2026-12-31T00:00:00Z' }, true]] },
  'date-greater-than': { doc: 'Date condition operators', rows: [[{ DateGreaterThan: { 'aws:CurrentTime': '2026-12-31T00:00:00Z' } }, { 'aws:CurrentTime': '2027-01-01T00:00:00Z' }, true], [{ DateGreaterThan: { 'aws:CurrentTime': '2026-12-31T00:00:00Z' } }, { 'aws:CurrentTime': '2026-12-31T00:00:00Z' }, false]] },
  'date-greater-than-equals': { doc: 'Date condition operators', rows: [[{ DateGreaterThanEquals: { 'aws:CurrentTime': '2026-12-31T00:00:00Z' } }, { 'aws:CurrentTime': '2026-12-31T00:00:00Z' }, true]] },
  bool: {
    doc: 'Boolean condition operators',
    rows: [
      [{ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': false }, true],
      [{ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'true' }, false],
      [{ Bool: { 'aws:SecureTransport': 'false' } }, {}, false, 'missing key false'],
      [{ BoolIfExists: { 'aws:SecureTransport': 'false' } }, {}, true, 'IfExists: missing key true'],
      [{ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'TRUE' }, true],
    ],
  },
  'binary-equals': {
    doc: 'Binary condition operators: base-64 values',
    rows: [
      [{ BinaryEquals: { 'key': 'QmluYXJ5VmFsdWU=' } }, { 'key': 'QmluYXJ5VmFsdWU=' }, true],
      [{ BinaryEquals: { 'key': 'QmluYXJ5VmFsdWU=' } }, { 'key': 'T3RoZXI=' }, false],
      [{ BinaryEquals: { 'key': 'QmluYXJ5VmFsdWU=' } }, { 'key': 'not base64!' }, false],
    ],
  },
  'ip-address (IpAddress / NotIpAddress)': {
    doc: 'IP address condition operators (RFC 4632, IPv4 and IPv6)',
    rows: [
      [{ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.77' }, true],
      [{ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.114.1' }, false],
      [{ IpAddress: { 'aws:SourceIp': '203.0.113.7' } }, { 'aws:SourceIp': '203.0.113.7' }, true, 'a bare address is a /32'],
      [{ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '10.255.1.1' }, true],
      [{ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:SourceIp': '2001:db8:1234::1' }, true],
      [{ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:SourceIp': '2001:db9::1' }, false],
      [{ IpAddress: { 'aws:SourceIp': '::ffff:192.0.2.0/120' } }, { 'aws:SourceIp': '::ffff:192.0.2.9' }, true, 'embedded IPv4'],
      [{ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '2001:db8::1' }, false, 'families never match'],
      [{ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } }, { 'aws:SourceIp': '198.51.100.1' }, true],
      [{ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }, { 'aws:SourceIp': '203.0.113.1' }, false],
      [{ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }, {}, true],
    ],
  },
  'arn-equals (ArnEquals / ArnNotEquals)': {
    doc: 'ARN condition operators: six components matched separately, wildcards allowed',
    rows: [
      [{ ArnEquals: { 'aws:SourceArn': 'arn:aws:backup:us-east-1:111111111111:backup-vault:*' } }, { 'aws:SourceArn': 'arn:aws:backup:us-east-1:111111111111:backup-vault:Default' }, true],
      [{ ArnEquals: { 'aws:SourceArn': 'arn:aws:backup:*:111111111111:*' } }, { 'aws:SourceArn': 'arn:aws:backup:us-east-1:222222222222:backup-vault:Default' }, false, 'account component must match'],
      [{ ArnEquals: { 'aws:SourceArn': 'arn:aws:backup:us-east-1:111111111111:backup-vault:default' } }, { 'aws:SourceArn': 'arn:aws:backup:us-east-1:111111111111:backup-vault:Default' }, false, 'case-sensitive'],
      [{ ArnEquals: { 'aws:SourceArn': 'arn:aws:*' } }, { 'aws:SourceArn': 'not-an-arn' }, false],
      [{ ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/Admin' } }, { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/Other' }, true],
      [{ ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/Admin' } }, {}, true],
    ],
  },
  'arn-like (ArnLike / ArnNotLike)': {
    doc: 'ARN condition operators',
    rows: [
      [{ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Backup*' } }, { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/BackupRole' }, true],
      [{ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Backup*' } }, { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/service-role/BackupRole' }, false],
      [{ ArnLike: { 'aws:SourceArn': 'arn:aws:logs:*:*:log-group:/aws/*' } }, { 'aws:SourceArn': 'arn:aws:logs:us-east-1:1:log-group:/aws/x:*' }, true, 'the resource component keeps its colons'],
      [{ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Backup*' } }, { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/Admin' }, true],
      [{ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Backup*' } }, {}, true, 'missing key: negated operator true'],
    ],
  },
  null: {
    doc: 'Condition operator to check existence of condition keys',
    rows: [
      [{ Null: { 'aws:TokenIssueTime': 'true' } }, {}, true],
      [{ Null: { 'aws:TokenIssueTime': 'true' } }, { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' }, false],
      [{ Null: { 'aws:TokenIssueTime': 'false' } }, { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' }, true],
      [{ Null: { 'aws:TokenIssueTime': false } }, {}, false],
    ],
  },
  'set operators (conditions/index.ts)': {
    doc: 'Set operators for multivalued context keys',
    rows: [
      [{ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env', 'owner'] } }, { 'aws:TagKeys': ['env', 'team'] }, true],
      [{ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['owner'] } }, { 'aws:TagKeys': ['env', 'team'] }, false],
      [{ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, {}, false, 'ForAnyValue: missing key false'],
      [{ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, { 'aws:TagKeys': [] }, false, 'ForAnyValue: empty set false'],
      [{ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }, { 'aws:TagKeys': ['env'] }, true],
      [{ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, { 'aws:TagKeys': ['env', 'team'] }, false],
      [{ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, {}, true, 'ForAllValues: missing key true'],
      [{ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, { 'aws:TagKeys': [] }, true, 'ForAllValues: empty set true'],
      [{ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['env', 'team'] }, true, 'some value is not env'],
      [{ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['env', 'team'] }, false],
      [{ 'ForAllValues:StringLike': { 'aws:TagKeys': ['e*', 't?am'] } }, { 'aws:TagKeys': ['env', 'team'] }, true],
      [{ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'env' } }, {}, true, 'IfExists wins over ForAnyValue on a missing key'],
    ],
  },
  'AND / OR across keys and operators': {
    doc: 'Condition element: multiple keys and operators are ANDed, values ORed',
    rows: [
      [{ StringEquals: { 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalOrgID': 'o-1' } }, { 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalOrgID': 'o-1' }, true],
      [{ StringEquals: { 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalOrgID': 'o-1' } }, { 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalOrgID': 'o-2' }, false],
      [{ StringEquals: { 'aws:RequestedRegion': 'us-east-1' }, Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:RequestedRegion': 'us-east-1', 'aws:SecureTransport': false }, false],
      [{ StringEquals: { 'aws:RequestedRegion': 'us-east-1' }, Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:RequestedRegion': 'us-east-1', 'aws:SecureTransport': true }, true],
    ],
  },
}

for (const [name, { doc, rows }] of Object.entries(sections)) {
  t.test(`${name} [${doc}]`, async (t) => {
    for (const [condition, context, expected, note] of rows) {
      t.equal(applies(condition, context), expected, `${JSON.stringify(condition)} with ${JSON.stringify(context)}${note ? ` (${note})` : ''}`)
    }
  })
}
