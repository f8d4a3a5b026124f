/**
 * The required-actions table cannot drift from AWS's documents: every entry's
 * action, on the entry's resource (filled from a sample job of that resource
 * type), is allowed by the statement (Sid or index) of the AWS managed policy it
 * cites, as the IAM evaluator sees it.
 */
import t from 'tap'
import { REQUIRED_ACTIONS, COPY_VAULT_ACTIONS, KMS_FOR_JOB_ROLE, KMS_FOR_S3_JOB_ROLE, fillTemplate, jobRoleKmsActions, requiredActionsFor, resourceFamily, type RequiredAction, type ResourceFamily } from '../../diagnostics/required-actions.js'
import { buildBackupJobContext, matchStatements } from '../../src/policy/index.js'
import { ACCT, REGION, aJob, managedDoc } from '../helpers/evidence-builders.js'

const SAMPLE: Record<ResourceFamily, string> = {
  EBS: `arn:aws:ec2:${REGION}:${ACCT}:volume/vol-1`,
  EC2: `arn:aws:ec2:${REGION}:${ACCT}:instance/i-1`,
  RDS: `arn:aws:rds:${REGION}:${ACCT}:db:orders`,
  'RDS-CLUSTER': `arn:aws:rds:${REGION}:${ACCT}:cluster:orders`,
  DynamoDB: `arn:aws:dynamodb:${REGION}:${ACCT}:table/cache`,
  EFS: `arn:aws:elasticfilesystem:${REGION}:${ACCT}:file-system/fs-1`,
  S3: 'arn:aws:s3:::bucket-1',
  FSx: `arn:aws:fsx:${REGION}:${ACCT}:file-system/fs-1`,
  StorageGateway: `arn:aws:storagegateway:${REGION}:${ACCT}:gateway/sgw-1/volume/vol-1`,
  Redshift: `arn:aws:redshift:${REGION}:${ACCT}:cluster:dw`,
  VirtualMachine: `arn:aws:backup-gateway:${REGION}:${ACCT}:vm/vm-1`,
  CloudFormation: `arn:aws:cloudformation:${REGION}:${ACCT}:stack/app/1111`,
  Timestream: `arn:aws:timestream:${REGION}:${ACCT}:database/db1`,
}

function granted(entry: RequiredAction, resource: string): { ok: boolean; sids: string[] } {
  const { principal, context } = buildBackupJobContext({ jobAccountId: ACCT, region: REGION, roleArn: `arn:aws:iam::${ACCT}:role/R`, resourceArn: resource === '*' ? undefined : resource, ...(entry.context ?? {}) })
  const m = matchStatements({ kind: 'identity', id: entry.policy, document: managedDoc(entry.policy) }, { principal, action: entry.action, resource, resourceAccount: ACCT, context })
  const sids = m.allows.map((a) => a.statement)
  return { ok: sids.includes(entry.sid) && m.denies.length === 0, sids }
}

t.test('every entry is granted by the managed policy statement it cites', async (t) => {
  let n = 0
  for (const [jobType, table] of Object.entries(REQUIRED_ACTIONS)) {
    for (const [family, entries] of Object.entries(table)) {
      for (const entry of [...(entries ?? []), ...(jobType === 'copy' ? COPY_VAULT_ACTIONS : [])]) {
        const resource = fillTemplate(entry.resource, {
          resource: SAMPLE[family as ResourceFamily], region: REGION, account: ACCT,
          destinationVault: `arn:aws:backup:${REGION}:222222222222:backup-vault:central`, sourceVault: `arn:aws:backup:${REGION}:${ACCT}:backup-vault:v`,
        })
        const g = granted(entry, resource)
        t.ok(g.ok, `${jobType} ${family} ${entry.action} on ${resource}: ${entry.policy}#${entry.sid} (allowed by ${g.sids.join(',') || 'nothing'})`)
        n++
      }
    }
  }
  t.ok(n > 100, `${n} entries checked`)
})

t.test('the table covers the resource types AWS Backup protects, for each job type', async (t) => {
  const families: ResourceFamily[] = ['EBS', 'EC2', 'RDS', 'RDS-CLUSTER', 'DynamoDB', 'EFS', 'S3', 'FSx', 'StorageGateway', 'Redshift', 'VirtualMachine', 'CloudFormation', 'Timestream']
  for (const f of families) {
    t.ok((REQUIRED_ACTIONS.backup[f] ?? []).length > 0, `backup ${f}`)
    t.ok((REQUIRED_ACTIONS.restore[f] ?? []).length > 0, `restore ${f}`)
  }
  t.ok(REQUIRED_ACTIONS.backup.S3!.every((e) => e.policy === 'AWSBackupServiceRolePolicyForS3Backup'), 'S3 backups need the S3 backup policy')
  t.ok(REQUIRED_ACTIONS.restore.S3!.every((e) => e.policy === 'AWSBackupServiceRolePolicyForS3Restore'), 'S3 restores need the S3 restore policy')
})

t.test('resource families from AWS Backup resource types', async (t) => {
  t.equal(resourceFamily('EBS', null), 'EBS')
  t.equal(resourceFamily('RDS', 'arn:aws:rds:us-east-1:1:cluster:x'), 'RDS-CLUSTER')
  t.equal(resourceFamily('RDS', 'arn:aws:rds:us-east-1:1:db:x'), 'RDS')
  t.equal(resourceFamily('Aurora', null), 'RDS-CLUSTER')
  t.equal(resourceFamily('DocumentDB', null), 'RDS-CLUSTER')
  t.equal(resourceFamily('Neptune', null), 'RDS-CLUSTER')
  t.equal(resourceFamily('Storage Gateway', null), 'StorageGateway')
  t.equal(resourceFamily('VirtualMachine', null), 'VirtualMachine')
  t.equal(resourceFamily('SAP HANA on Amazon EC2', null), null)
})

t.test('requiredActionsFor fills templates from the job', async (t) => {
  const a = requiredActionsFor(aJob())
  t.equal(a[0]!.action, 'ec2:CreateSnapshot')
  t.equal(a[0]!.resourceArn, aJob().resourceArn)
  const copy = requiredActionsFor(aJob({ type: 'copy', destinationBackupVaultArn: `arn:aws:backup:${REGION}:222222222222:backup-vault:c` }))
  t.ok(copy.some((x) => x.action === 'backup:CopyIntoBackupVault' && x.resourceArn.endsWith(':backup-vault:c')))
  const unknown = requiredActionsFor(aJob({ resourceType: 'Mystery' }))
  t.same(unknown, [], 'unknown resource types need nothing we can name')
  const noArn = requiredActionsFor(aJob({ resourceArn: null }))
  t.equal(noArn[0]!.resourceArn, '*', 'unknown resource ARN degrades to *')
})

t.test('the job role\'s KMS actions are granted by the managed policy statements they cite', async (t) => {
  const key = `arn:aws:kms:${REGION}:${ACCT}:key/1a2b3c4d-1111-4a4a-8b8b-0c0c0c0c0c01`
  const entries = [...Object.values(KMS_FOR_JOB_ROLE), ...Object.values(KMS_FOR_S3_JOB_ROLE)].flatMap((l) => l ?? [])
  for (const entry of entries) {
    const base = buildBackupJobContext({ jobAccountId: ACCT, region: REGION, roleArn: `arn:aws:iam::${ACCT}:role/R`, resourceArn: key })
    const context = { ...base.context, ...(entry.context ?? {}) }
    const m = matchStatements({ kind: 'identity', id: entry.policy, document: managedDoc(entry.policy) }, { principal: base.principal, action: entry.action, resource: key, resourceAccount: ACCT, context })
    t.ok(m.allows.some((a) => a.statement === entry.sid), `${entry.action}: ${entry.policy}#${entry.sid} (allowed by ${m.allows.map((a) => a.statement).join(',') || 'nothing'})`)
  }
  t.same(jobRoleKmsActions(aJob()), ['kms:DescribeKey', 'kms:CreateGrant'])
  t.same(jobRoleKmsActions(aJob({ resourceType: 'S3', resourceArn: 'arn:aws:s3:::b' })), ['kms:DescribeKey'], 'the S3 policies grant no kms:CreateGrant')
  t.same(jobRoleKmsActions(aJob({ type: 'copy', resourceType: 'S3', resourceArn: 'arn:aws:s3:::b' })), ['kms:DescribeKey', 'kms:CreateGrant'])
})
