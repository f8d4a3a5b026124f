// Statement matching: Action, Resource, Principal/NotPrincipal (IAM JSON policy elements).
import t from 'tap'
import { matchStatements } from '../../src/policy/index.js'
import type { Principal } from '../../src/policy/types.js'
import { ACCT, OTHER, ROLE_ARN, SESSION_ARN, policy, req, session } from './helpers.js'

t.test('Action [IAM JSON policy elements: Action — case-insensitive, * and ?]', async (t) => {
  const rows: Array<[unknown, string, boolean]> = [
    ['*', 'ec2:CreateSnapshot', true],
    ['ec2:*', 'ec2:CreateSnapshot', true],
    ['EC2:createsnapshot', 'ec2:CreateSnapshot', true],
    ['ec2:Create*', 'ec2:CreateSnapshot', true],
    ['ec2:Create?napshot', 'ec2:CreateSnapshot', true],
    ['ec2:Create?', 'ec2:CreateSnapshot', false],
    ['ec2:Delete*', 'ec2:CreateSnapshot', false],
    ['rds:*', 'ec2:CreateSnapshot', false],
    [['s3:GetObject', 'ec2:CreateSnapshot'], 'ec2:CreateSnapshot', true],
  ]
  for (const [action, requested, expected] of rows) {
    t.equal(matchStatements(policy('identity', [{ Effect: 'Allow', Action: action, Resource: '*' }]), req(requested)).allows.length === 1, expected, `${JSON.stringify(action)} vs ${requested}`)
  }
  t.equal(matchStatements(policy('identity', [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]), req('ec2:CreateSnapshot')).allows.length, 1, 'NotAction: every other action')
  t.equal(matchStatements(policy('identity', [{ Effect: 'Allow', NotAction: 'ec2:*', Resource: '*' }]), req('ec2:CreateSnapshot')).allows.length, 0)
})

t.test('Resource [IAM JSON policy elements: Resource — ARN components, case-sensitive]', async (t) => {
  const vol = `arn:aws:ec2:us-east-1:${ACCT}:volume/vol-1`
  const rows: Array<[unknown, string, boolean]> = [
    ['*', vol, true],
    ['arn:aws:ec2:*:*:volume/*', vol, true],
    [`arn:aws:ec2:us-east-1:${ACCT}:volume/vol-1`, vol, true],
    [`arn:aws:ec2:us-east-1:${ACCT}:volume/VOL-1`, vol, false],
    [`arn:aws:ec2:us-east-1:${OTHER}:volume/*`, vol, false],
    ['arn:aws:ec2:us-east-1:*:volume/vol-?', vol, true],
    ['arn:aws:ec2:*:*:snapshot/*', vol, false],
    ['arn:aws:ec2:*', vol, true],
    ['arn:aws:s3:::bucket/*', '*', false],
  ]
  for (const [resource, requested, expected] of rows) {
    t.equal(matchStatements(policy('identity', [{ Effect: 'Allow', Action: '*', Resource: resource }]), req('ec2:CreateSnapshot', requested)).allows.length === 1, expected, `${JSON.stringify(resource)} vs ${requested}`)
  }
  t.equal(matchStatements(policy('identity', [{ Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::safe/*' }]), req('s3:GetObject', 'arn:aws:s3:::other/x')).denies.length, 1, 'NotResource: every other resource')
  t.equal(matchStatements(policy('identity', [{ Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::safe/*' }]), req('s3:GetObject', 'arn:aws:s3:::safe/x')).denies.length, 0)
})

t.test('Principal [IAM JSON policy elements: Principal]', async (t) => {
  const svc: Principal = { type: 'service', arn: 'backup.amazonaws.com', accountId: null }
  const user: Principal = { type: 'user', arn: `arn:aws:iam::${ACCT}:user/alice`, accountId: ACCT }
  const gov: Principal = { type: 'assumed-role', arn: `arn:aws-us-gov:sts::${ACCT}:assumed-role/BackupRole/s`, roleArn: `arn:aws-us-gov:iam::${ACCT}:role/BackupRole`, accountId: ACCT }
  const rows: Array<[unknown, Principal, string | null]> = [
    ['*', session(), 'wildcard'],
    ['*', svc, 'wildcard'],
    [{ AWS: '*' }, session(), 'wildcard'],
    [{ AWS: '*' }, svc, null],
    [{ AWS: ACCT }, session(), 'account'],
    [{ AWS: `arn:aws:iam::${ACCT}:root` }, session(), 'account'],
    [{ AWS: `arn:aws:iam::${OTHER}:root` }, session(), null],
    [{ AWS: ROLE_ARN }, session(), 'role'],
    [{ AWS: `arn:aws:iam::${ACCT}:role/BackupRole` }, session(), null],
    [{ AWS: SESSION_ARN }, session(), 'session'],
    [{ AWS: [`arn:aws:iam::${ACCT}:root`, SESSION_ARN] }, session(), 'session'],
    [{ AWS: `arn:aws:iam::${ACCT}:user/alice` }, user, 'exact'],
    [{ Service: 'backup.amazonaws.com' }, svc, 'exact'],
    [{ Service: 'ec2.amazonaws.com' }, svc, null],
    [{ Service: 'backup.amazonaws.com' }, session(), null],
    // Account ids are unique within a partition: a GovCloud root ARN is another account.
    [{ AWS: `arn:aws-us-gov:iam::${ACCT}:root` }, session(), null],
    [{ AWS: `arn:aws-us-gov:iam::${ACCT}:root` }, gov, 'account'],
    [{ AWS: `arn:aws:iam::${ACCT}:root` }, gov, null],
    [{ AWS: ACCT }, gov, 'account'],
  ]
  for (const [principal, who, expected] of rows) {
    const r = matchStatements(policy('vault', [{ Effect: 'Allow', Principal: principal, Action: '*', Resource: '*' }]), req('backup:StartBackupJob', '*', {}, who))
    t.equal(r.allows[0]?.principalMatch ?? null, expected, `${JSON.stringify(principal)} vs ${who.arn}`)
  }
})

t.test('NotPrincipal [IAM JSON policy elements: NotPrincipal — account, then role, then session]', async (t) => {
  const admin = session(`arn:aws:iam::${ACCT}:role/Admin`)
  const other = session(`arn:aws:iam::${ACCT}:role/OtherRole`)
  const rows: Array<[string[], Principal, boolean, string]> = [
    [[`arn:aws:iam::${ACCT}:role/Admin`, `arn:aws:iam::${ACCT}:root`], admin, false, 'role + account listed: exempt'],
    [[`arn:aws:iam::${ACCT}:role/Admin`, `arn:aws:iam::${ACCT}:root`], other, true, 'the account\'s other roles are still denied'],
    [[`arn:aws:iam::${ACCT}:role/Admin`], admin, true, 'role without its account: denied'],
    [[`arn:aws:iam::${ACCT}:root`], admin, true, 'account alone exempts only the account principal'],
    [[admin.arn, ACCT], admin, false, 'session ARN + bare account id'],
    [[`arn:aws:iam::${OTHER}:root`], admin, true, 'another account listed'],
    [[`arn:aws:iam::${ACCT}:role/Admin`, `arn:aws-cn:iam::${ACCT}:root`], admin, true, 'the account listed in another partition is not this account'],
  ]
  for (const [list, who, denied, note] of rows) {
    const r = matchStatements(policy('vault', [{ Effect: 'Deny', NotPrincipal: { AWS: list }, Action: '*', Resource: '*' }]), req('backup:DeleteRecoveryPoint', '*', {}, who))
    t.equal(r.denies.length === 1, denied, note)
  }
  const root: Principal = { type: 'root', arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT }
  t.equal(matchStatements(policy('vault', [{ Effect: 'Deny', NotPrincipal: { AWS: ACCT }, Action: '*', Resource: '*' }]), req('backup:X', '*', {}, root)).denies.length, 0, 'account root itself is exempt')
  const withBoundary = matchStatements(policy('vault', [{ Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${ACCT}:role/Admin`, ACCT] }, Action: '*', Resource: '*' }]), req('backup:X', '*', {}, admin), { hasPermissionsBoundary: true })
  t.equal(withBoundary.denies.length, 1, 'a principal with a permissions boundary is always denied')
})

t.test('statement refs carry Sid or index, effect and condition traces', async (t) => {
  const r = matchStatements(
    policy('identity', [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'Regional', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }], 'pol'),
    req('ec2:CreateSnapshot', '*', { 'aws:RequestedRegion': 'us-east-1' }),
  )
  t.same(r.allows.map((a) => [a.policyId, a.statement, a.index, a.effect]), [['pol', '0', 0, 'Allow']])
  t.same(r.denies.map((a) => [a.statement, a.index, a.effect]), [['Regional', 1, 'Deny']])
  t.same(r.denies[0]?.conditions, [{ operator: 'StringNotEquals', key: 'aws:RequestedRegion', values: ['eu-west-1'], contextValues: ['us-east-1'] }])
})
