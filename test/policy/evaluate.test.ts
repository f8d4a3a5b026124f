// Policy-type rules of `evaluate`, each citing the IAM User Guide section it follows.
import t from 'tap'
import { evaluate } from '../../src/policy/index.js'
import type { PolicySet } from '../../src/policy/types.js'
import { ACCT, OTHER, ROLE_ARN, SESSION_ARN, allowAll, policy, req, session } from './helpers.js'

const VAULT = `arn:aws:backup:us-east-1:${ACCT}:backup-vault:Default`
const OTHER_VAULT = `arn:aws:backup:us-east-1:${OTHER}:backup-vault:Dest`
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`
const scpLevels = (...levels: Array<[string, unknown[]]>): PolicySet['scps'] =>
  levels.map(([levelId, statements]) => ({ levelId, policies: [policy('scp', statements, `p-${levelId}`)] }))
const fullAccess = [{ Effect: 'Allow', Action: '*', Resource: '*' }]

interface Row {
  name: string
  doc: string
  request: ReturnType<typeof req>
  set: PolicySet
  decision: string
  decidedBy?: string | null
  statement?: string
  levels?: string[]
}

const rows: Row[] = [
  {
    name: 'identity allow alone suffices in the same account',
    doc: 'Policy evaluation for requests within a single account',
    request: req('ec2:CreateSnapshot'),
    set: { identity: [allowAll()] },
    decision: 'allowed',
    decidedBy: 'identity',
  },
  {
    name: 'no applicable policy: implicit deny by identity',
    doc: 'How AWS enforcement code logic evaluates requests (implicit deny)',
    request: req('ec2:CreateSnapshot'),
    set: { identity: [policy('identity', [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }])] },
    decision: 'implicit-deny',
    decidedBy: 'identity',
  },
  {
    name: 'explicit deny in identity beats allow',
    doc: 'Deny evaluation: an explicit deny overrides any allow',
    request: req('ec2:CreateSnapshot'),
    set: { identity: [allowAll(), policy('identity', [{ Sid: 'NoSnap', Effect: 'Deny', Action: 'ec2:Create*', Resource: '*' }])] },
    decision: 'explicit-deny',
    decidedBy: 'identity',
    statement: 'NoSnap',
  },
  {
    name: 'boundary must allow when present',
    doc: 'Permissions boundaries for IAM entities: effective permissions are the intersection',
    request: req('rds:CreateDBSnapshot'),
    set: { identity: [allowAll()], boundary: policy('boundary', [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }]) },
    decision: 'implicit-deny',
    decidedBy: 'boundary',
  },
  {
    name: 'boundary allowing: allowed',
    doc: 'Permissions boundaries for IAM entities',
    request: req('ec2:CreateSnapshot'),
    set: { identity: [allowAll()], boundary: policy('boundary', [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }]) },
    decision: 'allowed',
  },
  {
    name: 'boundary alone grants nothing',
    doc: 'Permissions boundaries: a boundary does not grant permissions on its own',
    request: req('ec2:CreateSnapshot'),
    set: { identity: [], boundary: allowAll('boundary') },
    decision: 'implicit-deny',
    decidedBy: 'identity',
  },
  {
    name: 'SCP: every level must allow',
    doc: 'AWS Organizations, SCP evaluation: each level of the hierarchy must allow',
    request: req('ec2:CreateSnapshot'),
    set: { identity: [allowAll()], scps: scpLevels(['r-root', fullAccess], ['ou-prod', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]], [ACCT, fullAccess]) },
    decision: 'implicit-deny',
    decidedBy: 'scp',
    levels: ['ou-prod'],
  },
  {
    name: 'SCP explicit deny with a region condition',
    doc: 'Service control policies; aws:RequestedRegion',
    request: req('backup:StartBackupJob', '*', { 'aws:RequestedRegion': 'us-east-1' }),
    set: {
      identity: [allowAll()],
      scps: scpLevels(['r-root', fullAccess], ['ou-prod', [...fullAccess, { Sid: 'DenyOutsideEU', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } } }]]),
    },
    decision: 'explicit-deny',
    decidedBy: 'scp',
    statement: 'DenyOutsideEU',
  },
  {
    name: 'SCPs do not apply to service-linked roles',
    doc: 'AWS Organizations, SCPs: tasks and entities not restricted by SCPs',
    request: req('ec2:CreateSnapshot', '*', {}, { ...session(`arn:aws:iam::${ACCT}:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup`), isServiceLinkedRole: true }),
    set: { identity: [allowAll()], scps: scpLevels(['r-root', []]) },
    decision: 'allowed',
  },
  {
    name: 'SCPs do not apply to the management account',
    doc: 'AWS Organizations, SCPs: SCPs do not affect users or roles in the management account',
    request: req('ec2:CreateSnapshot', '*', {}, { ...session(), inManagementAccount: true }),
    set: { identity: [allowAll()], scps: scpLevels(['r-root', []]) },
    decision: 'allowed',
  },
  {
    name: 'RCPs apply to KMS',
    doc: 'AWS Organizations, RCPs; Policy evaluation logic (RCP step)',
    request: req('kms:Decrypt', KEY),
    set: { identity: [allowAll()], resourcePolicy: policy('kms-key', [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'kms:*', Resource: '*' }]), rcps: [{ levelId: 'r-root', policies: [policy('rcp', [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }])] }] },
    decision: 'implicit-deny',
    decidedBy: 'rcp',
    levels: undefined,
  },
  {
    name: 'RCPs do not apply to AWS Backup actions',
    doc: 'AWS Organizations, List of AWS services that support RCPs (Backup is not listed)',
    request: req('backup:StartBackupJob', VAULT),
    set: { identity: [allowAll()], rcps: [{ levelId: 'r-root', policies: [policy('rcp', [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }])] }] },
    decision: 'allowed',
  },
  {
    name: 'RCPs do not apply to AWS managed keys',
    doc: 'AWS Organizations, RCPs: resources not restricted by RCPs',
    request: req('kms:Decrypt', KEY),
    set: { identity: [allowAll()], resourcePolicy: policy('kms-key', [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'kms:*', Resource: '*' }]), rcps: [{ levelId: 'r-root', policies: [policy('rcp', [{ Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }])] }], facts: { awsManagedKey: true } },
    decision: 'allowed',
  },
  {
    name: 'same account: resource policy allow naming the session suffices without identity allow',
    doc: 'Policy evaluation for requests within a single account (resource-based policies)',
    request: req('backup:CopyIntoBackupVault', VAULT),
    set: { identity: [], resourcePolicy: policy('vault', [{ Effect: 'Allow', Principal: { AWS: SESSION_ARN }, Action: 'backup:CopyIntoBackupVault', Resource: '*' }]) },
    decision: 'allowed',
    decidedBy: 'vault',
  },
  {
    name: 'same account: resource grant to role ARN is still limited by the boundary',
    doc: 'Permissions boundaries for IAM entities (resource-based policies, role ARN vs role session ARN)',
    request: req('backup:CopyIntoBackupVault', VAULT),
    set: { identity: [], boundary: policy('boundary', [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }]), resourcePolicy: policy('vault', [{ Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 'backup:*', Resource: '*' }]) },
    decision: 'implicit-deny',
    decidedBy: 'boundary',
  },
  {
    name: 'same account: resource grant to session ARN is not limited by the boundary',
    doc: 'Permissions boundaries for IAM entities (resource-based policies)',
    request: req('backup:CopyIntoBackupVault', VAULT),
    set: { identity: [], boundary: policy('boundary', [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }]), resourcePolicy: policy('vault', [{ Effect: 'Allow', Principal: { AWS: SESSION_ARN }, Action: 'backup:*', Resource: '*' }]) },
    decision: 'allowed',
  },
  {
    name: 'same account: resource grant to the account only delegates',
    doc: 'IAM JSON policy elements: Principal (AWS account principals)',
    request: req('backup:CopyIntoBackupVault', VAULT),
    set: { identity: [], resourcePolicy: policy('vault', [{ Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'backup:*', Resource: '*' }]) },
    decision: 'implicit-deny',
    decidedBy: 'identity',
  },
  {
    name: 'cross account: identity allow without resource policy is not enough',
    doc: 'Cross-account policy evaluation logic',
    request: req('backup:CopyIntoBackupVault', OTHER_VAULT, {}, session(), OTHER),
    set: { identity: [allowAll()], resourcePolicy: null, resourcePolicyKind: 'vault' },
    decision: 'implicit-deny',
    decidedBy: 'vault',
  },
  {
    name: 'cross account: resource policy allow without identity allow is not enough',
    doc: 'Cross-account policy evaluation logic',
    request: req('backup:CopyIntoBackupVault', OTHER_VAULT, {}, session(), OTHER),
    set: { identity: [], resourcePolicy: policy('vault', [{ Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 'backup:CopyIntoBackupVault', Resource: '*' }]) },
    decision: 'implicit-deny',
    decidedBy: 'identity',
  },
  {
    name: 'cross account: both sides allow (account principal in the resource policy)',
    doc: 'Cross-account policy evaluation logic',
    request: req('backup:CopyIntoBackupVault', OTHER_VAULT, {}, session(), OTHER),
    set: { identity: [allowAll()], resourcePolicy: policy('vault', [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'backup:CopyIntoBackupVault', Resource: '*' }]) },
    decision: 'allowed',
  },
  {
    name: 'KMS: identity allow without key policy allow is denied',
    doc: 'AWS KMS Developer Guide, Key policies: IAM policies alone cannot grant access to a KMS key',
    request: req('kms:Decrypt', KEY),
    set: { identity: [allowAll()], resourcePolicy: policy('kms-key', [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:role/Admin` }, Action: 'kms:*', Resource: '*' }]) },
    decision: 'implicit-deny',
    decidedBy: 'kms-key',
  },
  {
    name: 'KMS: key policy delegating to the account + identity allow',
    doc: 'AWS KMS Developer Guide, Default key policy: allows access to the AWS account and enables IAM policies',
    request: req('kms:Decrypt', KEY),
    set: { identity: [allowAll()], resourcePolicy: policy('kms-key', [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'kms:*', Resource: '*' }]) },
    decision: 'allowed',
  },
  {
    name: 'KMS: key policy delegating to the account, no identity allow',
    doc: 'AWS KMS Developer Guide, Key policies (delegation requires an IAM policy)',
    request: req('kms:Decrypt', KEY),
    set: { identity: [], resourcePolicy: policy('kms-key', [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'kms:*', Resource: '*' }]) },
    decision: 'implicit-deny',
    decidedBy: 'identity',
  },
  {
    name: 'KMS: key policy names the role directly, no identity policy needed',
    doc: 'AWS KMS Developer Guide, Key policies',
    request: req('kms:Decrypt', KEY),
    set: { identity: [], resourcePolicy: policy('kms-key', [{ Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 'kms:Decrypt', Resource: '*' }]) },
    decision: 'allowed',
    decidedBy: 'kms-key',
  },
  {
    name: 'KMS: AWS managed key cannot be used cross-account',
    doc: 'AWS KMS Developer Guide, AWS managed keys; Allowing users in other accounts to use a KMS key',
    request: req('kms:Decrypt', `arn:aws:kms:us-east-1:${OTHER}:key/abc`, {}, session(), OTHER),
    set: { identity: [allowAll()], resourcePolicy: policy('kms-key', [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }]), facts: { awsManagedKey: true } },
    decision: 'implicit-deny',
    decidedBy: 'kms-key',
  },
  {
    name: 'trust: service principal decided by the trust policy alone',
    doc: 'IAM roles: role trust policy; SCPs do not apply to service principals',
    request: req('sts:AssumeRole', ROLE_ARN, { 'aws:SourceAccount': ACCT }, { type: 'service', arn: 'backup.amazonaws.com', accountId: null }),
    set: { resourcePolicy: policy('trust', [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': ACCT } } }]), scps: scpLevels(['r-root', []]) },
    decision: 'allowed',
    decidedBy: 'trust',
  },
  {
    name: 'trust: wrong service principal',
    doc: 'IAM JSON policy elements: Principal (AWS service principals)',
    request: req('sts:AssumeRole', ROLE_ARN, {}, { type: 'service', arn: 'backup.amazonaws.com', accountId: null }),
    set: { resourcePolicy: policy('trust', [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]) },
    decision: 'implicit-deny',
    decidedBy: 'trust',
  },
  {
    name: 'trust: aws:SourceAccount mismatch',
    doc: 'The confused deputy problem (aws:SourceAccount)',
    request: req('sts:AssumeRole', ROLE_ARN, { 'aws:SourceAccount': ACCT }, { type: 'service', arn: 'backup.amazonaws.com', accountId: null }),
    set: { resourcePolicy: policy('trust', [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': OTHER } } }]) },
    decision: 'implicit-deny',
    decidedBy: 'trust',
  },
  {
    name: 'trust: same-account role needs the trust policy even with identity allow',
    doc: 'IAM roles: a role can only be assumed by principals its trust policy allows',
    request: req('sts:AssumeRole', `arn:aws:iam::${ACCT}:role/Other`),
    set: { identity: [allowAll()], resourcePolicy: policy('trust', [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }]) },
    decision: 'implicit-deny',
    decidedBy: 'trust',
  },
  {
    name: 'NotPrincipal deny listing a role and its account root still denies the account\'s other roles',
    doc: 'IAM JSON policy elements: NotPrincipal (AWS checks the account, then the role, then the session)',
    request: req('backup:DeleteRecoveryPoint', VAULT, {}, session(`arn:aws:iam::${ACCT}:role/OtherRole`)),
    set: { identity: [allowAll()], resourcePolicy: policy('vault', [{ Sid: 'OnlyAdmin', Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${ACCT}:role/Admin`, `arn:aws:iam::${ACCT}:root`] }, Action: 'backup:DeleteRecoveryPoint', Resource: '*' }]) },
    decision: 'explicit-deny',
    decidedBy: 'vault',
    statement: 'OnlyAdmin',
  },
  {
    name: 'NotPrincipal deny exempts the listed role\'s sessions',
    doc: 'IAM JSON policy elements: NotPrincipal',
    request: req('backup:DeleteRecoveryPoint', VAULT, {}, session(`arn:aws:iam::${ACCT}:role/Admin`)),
    set: { identity: [allowAll()], resourcePolicy: policy('vault', [{ Sid: 'OnlyAdmin', Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${ACCT}:role/Admin`, `arn:aws:iam::${ACCT}:root`] }, Action: 'backup:DeleteRecoveryPoint', Resource: '*' }]) },
    decision: 'allowed',
  },
  {
    name: 'NotPrincipal deny listing only the role (no account) denies it too',
    doc: 'IAM JSON policy elements: NotPrincipal (you must also specify the account ARN)',
    request: req('backup:DeleteRecoveryPoint', VAULT, {}, session(`arn:aws:iam::${ACCT}:role/Admin`)),
    set: { identity: [allowAll()], resourcePolicy: policy('vault', [{ Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${ACCT}:role/Admin`] }, Action: 'backup:DeleteRecoveryPoint', Resource: '*' }]) },
    decision: 'explicit-deny',
  },
  {
    name: 'NotPrincipal deny always applies to a principal with a permissions boundary',
    doc: 'IAM JSON policy elements: NotPrincipal, Key points (permissions boundary)',
    request: req('backup:DeleteRecoveryPoint', VAULT, {}, session(`arn:aws:iam::${ACCT}:role/Admin`)),
    set: { identity: [allowAll()], boundary: allowAll('boundary'), resourcePolicy: policy('vault', [{ Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${ACCT}:role/Admin`, `arn:aws:iam::${ACCT}:root`] }, Action: 'backup:DeleteRecoveryPoint', Resource: '*' }]) },
    decision: 'explicit-deny',
  },
  {
    name: 'missing aws:PrincipalOrgID flips a vault deny (negated operator on a missing key)',
    doc: 'Condition operators: negated operators match when the key is absent',
    request: req('backup:CopyIntoBackupVault', VAULT, {}),
    set: { identity: [allowAll()], resourcePolicy: policy('vault', [{ Sid: 'OrgOnly', Effect: 'Deny', Principal: '*', Action: 'backup:CopyIntoBackupVault', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }]) },
    decision: 'explicit-deny',
    statement: 'OrgOnly',
  },
  {
    name: 'aws:PrincipalOrgID present and equal: the vault deny does not apply',
    doc: 'Condition operators; aws:PrincipalOrgID',
    request: req('backup:CopyIntoBackupVault', VAULT, { 'aws:PrincipalOrgID': 'o-abc' }),
    set: { identity: [allowAll()], resourcePolicy: policy('vault', [{ Sid: 'OrgOnly', Effect: 'Deny', Principal: '*', Action: 'backup:CopyIntoBackupVault', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }]) },
    decision: 'allowed',
  },
]

for (const row of rows) {
  t.test(`${row.name} [${row.doc}]`, async (t) => {
    const r = evaluate(row.request, row.set)
    t.equal(r.decision, row.decision, r.explanation)
    if (row.decidedBy !== undefined) t.equal(r.decidedBy, row.decidedBy)
    if (row.statement !== undefined) t.equal(r.decidingStatement?.statement, row.statement)
    if (row.levels !== undefined) t.same(r.byType.scp?.levelsWithoutAllow, row.levels)
    t.type(r.explanation, 'string')
  })
}

t.test('explanation names SCP, statement and the context value that matched', async (t) => {
  const r = evaluate(req('ec2:CreateSnapshot', '*', { 'aws:RequestedRegion': 'us-east-1' }), {
    identity: [allowAll()],
    scps: scpLevels(['r-root', [...fullAccess, { Sid: 'DenyOutsideEU', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }]]),
  })
  t.match(r.explanation, /SCP p-r-root statement DenyOutsideEU because aws:RequestedRegion=us-east-1/)
  t.same(r.decidingStatement?.conditions?.[0]?.contextValues, ['us-east-1'])
})

t.test('missing condition keys are reported', async (t) => {
  const r = evaluate(req('backup:CopyIntoBackupVault', VAULT), {
    identity: [allowAll()],
    resourcePolicy: policy('vault', [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }]),
  })
  t.same(r.missingContextKeys, ['aws:PrincipalOrgID'])
})

t.test('an unparsable policy is never evaluated as allowing: evaluate throws PolicyParseError', async (t) => {
  t.throws(() => evaluate(req('ec2:CreateSnapshot'), { identity: [{ kind: 'identity', id: 'broken', document: '{"Statement": [' }] }), { name: 'PolicyParseError' })
})

t.test('SCP levels without allow are listed', async (t) => {
  const r = evaluate(req('ec2:CreateSnapshot'), { identity: [allowAll()], scps: scpLevels(['r-root', fullAccess], ['ou-a', []], [ACCT, []]) })
  t.same(r.byType.scp?.levelsWithoutAllow, ['ou-a', ACCT])
  t.equal(r.byType.scp?.decision, 'implicit-deny')
})

t.test('RCPs apply to service principals [AWS KMS, Resource control policies in AWS KMS: RCPEnforceConfusedDeputyProtection]', async (t) => {
  const svc = { type: 'service' as const, arn: 'backup.amazonaws.com', accountId: null }
  const rcps = [{ levelId: 'r-root', policies: [
    policy('rcp', [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }], 'RCPFullAWSAccess'),
    policy('rcp', [{ Sid: 'ConfusedDeputy', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:SourceOrgID': 'o-abc' }, Bool: { 'aws:PrincipalIsAWSService': 'true' } } }], 'p-rcp'),
  ] }]
  const keyPolicy = policy('kms-key', [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' }])
  const outside = evaluate(req('kms:Decrypt', KEY, { 'aws:SourceOrgID': 'o-other', 'aws:PrincipalIsAWSService': true }, svc), { resourcePolicy: keyPolicy, rcps })
  t.equal(outside.decision, 'explicit-deny')
  t.equal(outside.decidedBy, 'rcp')
  const inside = evaluate(req('kms:Decrypt', KEY, { 'aws:SourceOrgID': 'o-abc', 'aws:PrincipalIsAWSService': true }, svc), { resourcePolicy: keyPolicy, rcps })
  t.equal(inside.decision, 'allowed')
})

t.test('RCPs do not restrict kms:RetireGrant [AWS KMS, Resource control policies in AWS KMS]', async (t) => {
  const rcps = [{ levelId: 'r-root', policies: [policy('rcp', [{ Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }])] }]
  const r = evaluate(req('kms:RetireGrant', KEY), { identity: [allowAll()], resourcePolicy: policy('kms-key', [{ Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'kms:*', Resource: '*' }]), rcps })
  t.equal(r.decision, 'allowed')
  t.equal(r.byType.rcp?.decision, 'not-applicable')
})
