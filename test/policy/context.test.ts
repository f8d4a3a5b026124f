// Request contexts for AWS Backup job-role calls and the trust check
// (IAM User Guide, "AWS global condition context keys"; AWS KMS condition keys).
import t from 'tap'
import { buildBackupJobContext, buildTrustRequest, evaluate, RCP_SUPPORTED_SERVICES, rcpAppliesTo } from '../../src/policy/index.js'

const ROLE = 'arn:aws:iam::111111111111:role/service-role/AWSBackupDefaultServiceRole'

t.test('job-role session principal and the keys AWS sets', async (t) => {
  const { principal, context } = buildBackupJobContext({ jobAccountId: '111111111111', region: 'us-east-1', roleArn: ROLE, orgId: 'o-abc', principalTags: { team: 'ops' }, currentTime: new Date('2026-01-02T03:04:05Z') })
  t.same(principal, { type: 'assumed-role', arn: 'arn:aws:sts::111111111111:assumed-role/AWSBackupDefaultServiceRole/AWSBackup-AWSBackupDefaultServiceRole', roleArn: ROLE, accountId: '111111111111' })
  t.equal(context['aws:PrincipalArn'], ROLE, 'aws:PrincipalArn is the role ARN, not the session')
  t.equal(context['aws:PrincipalAccount'], '111111111111')
  t.equal(context['aws:PrincipalOrgID'], 'o-abc')
  t.equal(context['aws:PrincipalType'], 'AssumedRole')
  t.equal(context['aws:RequestedRegion'], 'us-east-1')
  t.equal(context['aws:ResourceAccount'], '111111111111')
  t.equal(context['aws:SecureTransport'], true)
  t.equal(context['aws:PrincipalTag/team'], 'ops')
  t.equal(context['aws:CurrentTime'], '2026-01-02T03:04:05Z')
  t.equal(context['aws:EpochTime'], '1767323045')
  t.equal(context['kms:CallerAccount'], '111111111111')
  t.equal(context['aws:ViaAWSService'], false)
  t.notOk('kms:ViaService' in context)
})

t.test('aws:PrincipalOrgID is never guessed', async (t) => {
  const { context } = buildBackupJobContext({ jobAccountId: '111111111111', region: 'us-east-1', roleArn: ROLE })
  t.notOk('aws:PrincipalOrgID' in context)
})

t.test('organization keys of the principal and of the resource, when the caller knows them', async (t) => {
  const { context } = buildBackupJobContext({
    jobAccountId: '111111111111', region: 'us-east-1', roleArn: ROLE, orgId: 'o-exampleorg1', orgPaths: ['o-exampleorg1/r-ex12/ou-ex12-a/'],
    resourceOrgId: 'o-exampleorg1', resourceOrgPaths: ['o-exampleorg1/r-ex12/ou-ex12-b/'],
  })
  t.equal(context['aws:PrincipalOrgID'], 'o-exampleorg1')
  t.same(context['aws:PrincipalOrgPaths'], ['o-exampleorg1/r-ex12/ou-ex12-a/'])
  t.equal(context['aws:ResourceOrgID'], 'o-exampleorg1')
  t.same(context['aws:ResourceOrgPaths'], ['o-exampleorg1/r-ex12/ou-ex12-b/'])
  const none = buildBackupJobContext({ jobAccountId: '111111111111', region: 'us-east-1', roleArn: ROLE, resourceOrgId: null }).context
  t.notOk('aws:ResourceOrgID' in none, 'a resource outside any organization has no aws:ResourceOrgID')
  t.notOk('aws:ResourceOrgPaths' in none)
})

t.test('KMS calls through an integrated service, PassRole, resource account', async (t) => {
  const { context } = buildBackupJobContext({
    jobAccountId: '111111111111', region: 'eu-west-1', roleArn: ROLE,
    kmsViaService: 'ec2.eu-west-1.amazonaws.com', encryptionContextKeys: ['aws:ebs:id'], passedToService: 'ec2.amazonaws.com',
    resourceArn: 'arn:aws:kms:eu-west-1:222222222222:key/k',
  })
  t.equal(context['kms:ViaService'], 'ec2.eu-west-1.amazonaws.com')
  t.equal(context['kms:GrantIsForAWSResource'], true)
  t.same(context['kms:EncryptionContextKeys'], ['aws:ebs:id'])
  t.equal(context['iam:PassedToService'], 'ec2.amazonaws.com')
  t.equal(context['aws:ResourceAccount'], '222222222222')
  t.equal(context['aws:ViaAWSService'], true)
})

t.test('service-linked role is recognised from its path', async (t) => {
  const { principal } = buildBackupJobContext({ jobAccountId: '111111111111', region: 'us-east-1', roleArn: 'arn:aws:iam::111111111111:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup' })
  t.equal(principal.isServiceLinkedRole, true)
})

t.test('vault deny on aws:PrincipalOrgID: the context builder keeps the job role inside its org', async (t) => {
  const vault = { kind: 'vault' as const, id: 'v', document: { Version: '2012-10-17', Statement: [{ Sid: 'OrgOnly', Effect: 'Deny', Principal: '*', Action: 'backup:CopyIntoBackupVault', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }] } }
  const idp = { kind: 'identity' as const, id: 'i', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'backup:*', Resource: '*' }] } }
  const withOrg = buildBackupJobContext({ jobAccountId: '111111111111', region: 'us-east-1', roleArn: ROLE, orgId: 'o-abc' })
  t.equal(evaluate({ ...withOrg, action: 'backup:CopyIntoBackupVault', resource: 'arn:aws:backup:us-east-1:111111111111:backup-vault:V', resourceAccount: null }, { identity: [idp], resourcePolicy: vault }).decision, 'allowed')
  const withoutOrg = buildBackupJobContext({ jobAccountId: '111111111111', region: 'us-east-1', roleArn: ROLE })
  t.equal(evaluate({ ...withoutOrg, action: 'backup:CopyIntoBackupVault', resource: 'arn:aws:backup:us-east-1:111111111111:backup-vault:V', resourceAccount: null }, { identity: [idp], resourcePolicy: vault }).decision, 'explicit-deny')
})

t.test('trust request: backup.amazonaws.com assuming the role', async (t) => {
  const r = buildTrustRequest({ roleArn: ROLE, jobAccountId: '111111111111', region: 'us-east-1', sourceArn: 'arn:aws:backup:us-east-1:111111111111:backup-plan:p' })
  t.same(r.principal, { type: 'service', arn: 'backup.amazonaws.com', accountId: null })
  t.equal(r.action, 'sts:AssumeRole')
  t.equal(r.resource, ROLE)
  t.equal(r.context['aws:SourceAccount'], '111111111111')
  t.equal(r.context['aws:SourceArn'], 'arn:aws:backup:us-east-1:111111111111:backup-plan:p')
  const trust = { kind: 'trust' as const, id: ROLE, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': 'arn:aws:backup:*:111111111111:*' } } }] } }
  t.equal(evaluate(r, { resourcePolicy: trust }).decision, 'allowed')
  const other = buildTrustRequest({ roleArn: ROLE, jobAccountId: '111111111111', region: 'us-east-1', sourceAccount: '999999999999' })
  t.equal(evaluate(other, { resourcePolicy: trust }).decision, 'implicit-deny')
})

t.test('RCP service list is data; AWS Backup is not on it [AWS Organizations, RCPs]', async (t) => {
  for (const s of ['s3', 'sts', 'kms', 'sqs', 'secretsmanager']) t.ok(RCP_SUPPORTED_SERVICES.includes(s), s)
  t.notOk(RCP_SUPPORTED_SERVICES.includes('backup'))
  t.equal(rcpAppliesTo('KMS:Decrypt'), true)
  t.equal(rcpAppliesTo('backup:StartBackupJob'), false)
  t.equal(rcpAppliesTo('*'), false)
})
