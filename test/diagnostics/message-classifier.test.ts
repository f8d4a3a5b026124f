/**
 * The classifier against EVERY message of ../shared/aws-data/failure-messages.jsonl:
 * its first candidate is one of the expected codes; messages whose cause is not
 * established (expected_codes null) never yield a confident code. Through the
 * whole pipeline, with no evidence beyond the job, each message yields an
 * expected code, and an unknown message yields no confident verdict.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { classifyMessage } from '../../diagnostics/message-classifier.js'
import { diagnose } from '../../diagnostics/index.js'
import type { JobType } from '../../src/evidence/types.js'
import { SHARED, aRole, anEvidence, managedPolicy, notCollected, read, unreadable } from '../helpers/evidence-builders.js'

interface Line {
  id: string
  status_message: string
  job_type: string
  job_state: string
  resource_type: string
  expected_codes: string[] | null
}

const lines = readFileSync(path.join(SHARED, 'aws-data/failure-messages.jsonl'), 'utf8')
  .split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Line)

const jobTypeOf = (l: Line): JobType => (/^copy/.test(l.job_type) ? 'copy' : /^restore/.test(l.job_type) ? 'restore' : 'backup')
const stateOf = (l: Line): string => {
  const m = /^(COMPLETED|FAILED|ABORTED|EXPIRED|RUNNING)/.exec(l.job_state)
  return m ? m[1]! : 'FAILED'
}
const resourceTypeOf = (l: Line): string => l.resource_type.split(/[\s/(]/)[0] ?? ''

t.test('every line of failure-messages.jsonl', async (t) => {
  t.ok(lines.length >= 50, `${lines.length} lines`)
  for (const l of lines) {
    const hint = classifyMessage({ message: l.status_message, jobType: jobTypeOf(l), resourceType: resourceTypeOf(l) })
    if (l.expected_codes === null) {
      t.ok(hint.strength !== 'strong' || hint.codes.length === 0, `${l.id}: no confident code (${hint.ruleId} ${hint.codes.join(',')})`)
      continue
    }
    if (stateOf(l) === 'COMPLETED') continue // the job state decides; checked through the pipeline below
    t.ok(hint.codes.length > 0 && l.expected_codes.includes(hint.codes[0]!), `${l.id}: ${hint.codes[0]} ∈ ${l.expected_codes.join('|')} (rule ${hint.ruleId})`)
  }
})

/** Evidence with only the job: everything else not collected, organization unreadable. */
function jobOnly(l: Line) {
  const type = jobTypeOf(l)
  return anEvidence({
    jobRole: notCollected('message-only test'),
    sourceVault: notCollected('message-only test'),
    keys: {},
    organization: unreadable('organizations:DescribeOrganization', 'AccessDeniedException'),
    serviceLinkedRoles: {},
    backupSettings: notCollected('message-only test'),
  }, {
    type, state: stateOf(l), statusMessage: l.status_message, resourceType: resourceTypeOf(l), resourceArn: null,
    destinationBackupVaultArn: type === 'copy' ? 'arn:aws:backup:us-east-1:222222222222:backup-vault:central' : null,
  })
}

t.test('through the pipeline with no evidence beyond the job', async (t) => {
  for (const l of lines) {
    const d = diagnose(jobOnly(l))
    if (l.expected_codes === null) {
      t.not(d.confidence, 'high', `${l.id}: not confident (${d.rootCause.code})`)
      continue
    }
    t.ok(l.expected_codes.includes(d.rootCause.code), `${l.id}: ${d.rootCause.code} ∈ ${l.expected_codes.join('|')}`)
  }
})

t.test('IAM access-denied grammar', async (t) => {
  const base = 'User: arn:aws:sts::111111111111:assumed-role/R/AWSBackup-R is not authorized to perform: ec2:CreateSnapshot on resource: arn:aws:ec2:us-east-1:111111111111:volume/vol-1'
  const cases: [string, string, string | null, boolean][] = [
    [' because no identity-based policy allows the ec2:CreateSnapshot action', 'IDENTITY_POLICY_MISSING_PERMISSION', 'identity', false],
    [' with an explicit deny in an identity-based policy', 'IDENTITY_POLICY_EXPLICIT_DENY', 'identity', true],
    [' with an explicit deny in a service control policy', 'SCP_DENIES', 'scp', true],
    [' because no service control policy allows the ec2:CreateSnapshot action', 'SCP_NOT_ALLOWED', 'scp', false],
    [' with an explicit deny in a resource control policy', 'RCP_DENIES', 'rcp', true],
    [' because no permissions boundary allows the ec2:CreateSnapshot action', 'PERMISSION_BOUNDARY_BLOCKS', 'boundary', false],
    [' with an explicit deny in a permissions boundary', 'PERMISSION_BOUNDARY_BLOCKS', 'boundary', true],
  ]
  for (const [tail, code, policyType, explicitDeny] of cases) {
    const h = classifyMessage({ message: base + tail, jobType: 'backup', resourceType: 'EBS' })
    t.equal(h.codes[0], code, tail)
    t.equal(h.policyType, policyType)
    t.equal(h.explicitDeny, explicitDeny)
    t.equal(h.action, 'ec2:CreateSnapshot')
    t.equal(h.resource, 'arn:aws:ec2:us-east-1:111111111111:volume/vol-1')
    t.equal(h.strength, 'strong')
  }
  const s3 = classifyMessage({ message: base.replace(/ec2:CreateSnapshot/g, 's3:GetBucketVersioning') + ' because no identity-based policy allows the s3:GetBucketVersioning action', jobType: 'backup', resourceType: 'S3' })
  t.same(s3.codes, ['S3_BACKUP_POLICY_NOT_ATTACHED', 'IDENTITY_POLICY_MISSING_PERMISSION'])
  const rb = classifyMessage({ message: base.replace(/ec2:CreateSnapshot/g, 's3:GetObject') + ' with an explicit deny in a resource-based policy', jobType: 'backup', resourceType: 'S3' })
  t.equal(rb.codes[0], 'RESOURCE_POLICY_DENIES')
  const vault = classifyMessage({ message: base.replace(/ec2:CreateSnapshot/g, 'backup:CopyIntoBackupVault') + ' because no resource-based policy allows the backup:CopyIntoBackupVault action', jobType: 'copy', resourceType: 'EBS' })
  t.equal(vault.codes[0], 'VAULT_POLICY_DENIES')
  const vpce = classifyMessage({ message: base + ' because no VPC endpoint policy allows the ec2:CreateSnapshot action', jobType: 'backup', resourceType: 'EBS' })
  t.same(vpce.codes, [], 'VPC endpoint policies name no code')
  t.equal(vpce.policyType, 'vpc-endpoint')
  const session = classifyMessage({ message: base + ' because no session policy allows the ec2:CreateSnapshot action', jobType: 'backup', resourceType: 'EBS' })
  t.equal(session.policyType, 'session')
  const user = classifyMessage({ message: 'User: arn:aws:iam::111111111111:user/alice is not authorized to perform: backup:StartBackupJob on resource: arn:aws:backup:us-east-1:111111111111:backup-vault:v because no identity-based policy allows the backup:StartBackupJob action', jobType: 'backup', resourceType: 'EBS' })
  t.equal(user.strength, 'weak', 'a user calling the API is not the job role')
})

t.test('a quoted resource ARN (Amazon S3 quotes it) is read without its quotes', async (t) => {
  const message = 'User: arn:aws:sts::111111111111:assumed-role/R/AWSBackup-R is not authorized to perform: s3:GetBucketTagging on resource: "arn:aws:s3:::prod-reports" with an explicit deny in a resource-based policy'
  const h = classifyMessage({ message, jobType: 'backup', resourceType: 'S3' })
  t.equal(h.resource, 'arn:aws:s3:::prod-reports')
  t.equal(h.codes[0], 'RESOURCE_POLICY_DENIES')
  // The action the message names is judged on the unquoted ARN: the S3 backup policy allows it, so only the bucket policy fails.
  const role = aRole({ name: 'R', managed: [managedPolicy('AWSBackupServiceRolePolicyForS3Backup')] })
  const d = diagnose(anEvidence({ jobRole: read(role) }, { resourceType: 'S3', resourceArn: 'arn:aws:s3:::prod-reports', iamRoleArn: role.arn, statusMessage: message }))
  t.equal(d.findings.find((f) => f.check === 'identity-policies')?.status, 'pass')
  t.equal(d.rootCause.code, 'RESOURCE_POLICY_DENIES')
  t.equal(d.rootCause.policy?.id, 'arn:aws:s3:::prod-reports')
})

t.test('encoded authorization messages use the decoded context', async (t) => {
  const h = classifyMessage({
    message: 'You are not authorized to perform this operation. Encoded authorization failure message: Zm9vYmFyLWVuY29kZWQ',
    jobType: 'restore', resourceType: 'EC2',
    decoded: [{ allowed: false, explicitDeny: false, context: { principal: { arn: 'arn:aws:sts::111111111111:assumed-role/R/S' }, action: 'iam:PassRole', resource: 'arn:aws:iam::111111111111:role/app' } }],
  })
  t.equal(h.ruleId, 'decoded-authorization-message')
  t.equal(h.codes[0], 'PASSROLE_NOT_ALLOWED')
  t.equal(h.action, 'iam:PassRole')
  t.equal(h.resource, 'arn:aws:iam::111111111111:role/app')
  t.equal(h.encoded, 'Zm9vYmFyLWVuY29kZWQ')
})

t.test('specific texts win over the general ones that also match them', async (t) => {
  const c = (message: string, jobType: 'backup' | 'copy' | 'restore' = 'backup') => classifyMessage({ message, jobType, resourceType: 'EBS' }).codes[0]
  t.equal(c('The KMS key arn:aws:kms:us-east-1:111111111111:key/abc does not exist.'), 'KMS_KEY_UNUSABLE')
  t.equal(c('The source snapshot KMS key does not exist, is not enabled or you do not have permissions to access it.'), 'KMS_KEY_POLICY_DENIES')
  t.equal(c('Backup job failed because backup vault arn:aws:backup:us-east-1:111111111111:backup-vault:v does not exist.'), 'VAULT_NOT_FOUND')
  t.equal(c('The specified volume was not found.'), 'RESOURCE_NOT_FOUND')
  t.equal(c('Subscriber limit exceeded: You have reached the maximum concurrent number of backups, which is 300.'), 'QUOTA_EXCEEDED')
  t.equal(c('Backup job failed because there was a running job for the same resource.'), 'CONCURRENT_OPERATION')
  t.equal(c('The provided role arn:aws:iam::111111111111:role/R cannot be assumed by AWS Backup.'), 'TRUST_POLICY_DENIES_BACKUP')
  t.equal(c('Backup job was stopped by user.'), 'STOPPED_BY_USER')
})

t.test('RDS state errors relayed without their error code are RESOURCE_STATE_INVALID', async (t) => {
  // The descriptions of InvalidDBInstanceState and InvalidDBClusterStateFault (RDS API Reference, CreateDBSnapshot /
  // CreateDBClusterSnapshot): AWS Backup relays a service's error text (ABK-070, ABK-071, ABK-079), with or without the SDK suffix.
  for (const message of [
    "The DB instance isn't in a valid state.",
    'The DB instance isn’t in a valid state.',
    "The requested operation can't be performed while the cluster is in this state.",
    'Cannot create a snapshot because the database instance orders-db is not currently in the available state.',
  ]) {
    const h = classifyMessage({ message, jobType: 'backup', resourceType: 'RDS' })
    t.same([h.ruleId, h.codes[0], h.strength], ['resource-state', 'RESOURCE_STATE_INVALID', 'strong'], message)
    t.equal(diagnose(anEvidence({}, { resourceType: 'RDS', resourceArn: 'arn:aws:rds:us-east-1:111111111111:db:orders-db', statusMessage: message })).rootCause.code, 'RESOURCE_STATE_INVALID')
  }
})

t.test('unseen messages degrade to evidence-only', async (t) => {
  for (const message of ['Something unexpected happened in zone 7', 'Le travail a échoué', 'Error code 0x80070005']) {
    const h = classifyMessage({ message, jobType: 'backup', resourceType: 'EBS' })
    t.ok(h.kind === 'unrecognised' || h.strength === 'weak', `${message}: ${h.kind}`)
    const d = diagnose(anEvidence({}, { statusMessage: message }))
    t.equal(d.rootCause.code, 'UNDETERMINED', 'a healthy world with an unknown message is undetermined')
    t.not(d.confidence, 'high')
  }
  t.equal(classifyMessage({ message: null, jobType: 'backup', resourceType: 'EBS' }).kind, 'none')
})
