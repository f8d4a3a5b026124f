/**
 * Jobs in AWS GovCloud (US) and AWS China: every ARN the diagnostics build — the
 * required actions' resources the evaluator judges, the service-linked role, the
 * instance profile's role, a key wildcard, the account principals and managed
 * policy ARNs of remediations — is in the job's partition (arn:aws-us-gov:,
 * arn:aws-cn:), never the commercial `arn:aws:`.
 *
 * Evidence is built in the commercial partition with the usual builders and moved
 * to another partition and region by `inPartition` (every `arn:aws:` and the
 * region, in values and in keys), as collection in that partition would have read it.
 */
import t from 'tap'
import type { Test } from 'tap'
import { diagnose } from '../../diagnostics/index.js'
import { classifyMessage } from '../../diagnostics/message-classifier.js'
import { jobPartition, partitionOfRegion } from '../../diagnostics/lib/partition.js'
import { partitionOf } from '../../src/aws/context.js'
import type { Diagnosis, Finding } from '../../diagnostics/types.js'
import type { Evidence } from '../../src/evidence/types.js'
import {
  ACCT, DEST, KEY_ID, REGION, aCopyEvidence, aJob, aKey, aRestoreEvidence, aRole, absent, allow, anEvidence, deny, doc,
  keyArn, keyPolicyDelegating, managedPolicy, read, withRole,
} from '../helpers/evidence-builders.js'

interface Partition { name: string; partition: string; region: string }
const PARTITIONS: Partition[] = [
  { name: 'GovCloud', partition: 'aws-us-gov', region: 'us-gov-west-1' },
  { name: 'China', partition: 'aws-cn', region: 'cn-north-1' },
]

/** A copy of `v` whose ARNs and region are those of partition `p` (object keys included: evidence.keys is keyed by ARN). */
function inPartition<T>(v: T, p: Partition): T {
  const move = (s: string) => s.replaceAll('arn:aws:', `arn:${p.partition}:`).replaceAll(REGION, p.region)
  const walk = (x: unknown): unknown => {
    if (typeof x === 'string') return move(x)
    if (Array.isArray(x)) return x.map(walk)
    if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, y]) => [move(k), walk(y)]))
    return x
  }
  return walk(v) as T
}

const finding = (d: Diagnosis, check: string): Finding => {
  const f = d.findings.find((x) => x.check === check)
  if (!f) throw new Error(`no finding of ${check}`)
  return f
}

/** The commercial partition's prefix appears nowhere in a diagnosis of another partition's job. */
function noCommercialArn(t: Test, d: Diagnosis): void {
  const text = JSON.stringify(d)
  t.notMatch(text, /arn:aws:/, 'no arn:aws: anywhere in the diagnosis')
}

// ---------- commercial-partition evidence the cases below move ----------

const ALL_EBS = ['ec2:CreateSnapshot', 'ec2:DescribeVolumes', 'ec2:DescribeSnapshots']
const ebsRole = (...stmts: Record<string, unknown>[]) => withRole(anEvidence(), aRole({ name: 'BackupRole-Ebs', inline: { 'ebs-backup': doc(...stmts) } }))
const S3_JOB = { resourceType: 'S3', resourceArn: 'arn:aws:s3:::prod-invoices' }
const RDS_JOB = { resourceType: 'RDS', resourceArn: `arn:aws:rds:${REGION}:${ACCT}:db:orders-db` }
const RDS_KEY_TEXT = 'The source snapshot KMS key does not exist, is not enabled or you do not have permissions to access it.'
const SLR_PATH = 'role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup'

/** A cross-account copy whose source key's policy lets the destination account's SLR in by `principal` only. */
function copyWithSourceKeyFor(principal: string): Evidence {
  const e = aCopyEvidence()
  const key = aKey({
    policy: read(keyPolicyDelegating(ACCT, {
      Sid: 'AllowCentralBackupSlr', Effect: 'Allow', Principal: { AWS: principal },
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'], Resource: '*',
    })),
  })
  return { ...e, keys: { ...e.keys, [key.arn]: read(key) } }
}

const EC2_RESTORE_ACTIONS = ['ec2:RunInstances', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups']
/** An EC2 restore whose instance profile role was not read (only its name, from the restore metadata), by a role with `stmts` besides the EC2 actions. */
function restoreWithRoleAllowing(...stmts: Record<string, unknown>[]): Evidence {
  const e = aRestoreEvidence({ passedRoles: {} })
  const role = aRole({ name: 'BackupRole-Restore', inline: { restore: doc(allow(EC2_RESTORE_ACTIONS), ...stmts) } })
  return withRole(e, role)
}

const EFS_RESTORE = anEvidence({}, {
  type: 'restore', resourceType: 'EFS', resourceArn: `arn:aws:elasticfilesystem:${REGION}:${ACCT}:file-system/fs-0123456789abcdef0`,
})
const EFS_RESTORE_ACTIONS = ['elasticfilesystem:Restore', 'elasticfilesystem:CreateFilesystem', 'elasticfilesystem:DescribeFilesystems', 'elasticfilesystem:DeleteFilesystem']

t.test('the partition of a job', async (t) => {
  const expected: Record<string, string> = {
    'us-east-1': 'aws', 'eu-central-2': 'aws', 'us-gov-west-1': 'aws-us-gov', 'us-gov-east-1': 'aws-us-gov',
    'cn-north-1': 'aws-cn', 'cn-northwest-1': 'aws-cn', 'us-iso-east-1': 'aws-iso', 'us-isob-east-1': 'aws-iso-b',
  }
  for (const [r, p] of Object.entries(expected)) {
    t.equal(partitionOfRegion(r), p, r)
    t.equal(partitionOf(r), p, `${r}: the same table as the AWS layer's (reader role ARN)`)
  }
  t.equal(jobPartition(aJob()), 'aws')
  for (const p of PARTITIONS) {
    t.equal(jobPartition(inPartition(aJob(), p)), p.partition, `${p.name}: from the job's ARNs`)
    t.equal(jobPartition(aJob({ region: p.region, iamRoleArn: null, backupVaultArn: null, resourceArn: null })), p.partition, `${p.name}: from the region when the job names no ARN`)
  }
})

for (const p of PARTITIONS) {
  const P = p.partition
  const R = p.region
  const slr = (account: string) => `arn:${P}:iam::${account}:${SLR_PATH}`

  t.test(`${p.name} (${R}): the verdict names ARNs of the job's partition`, async (t) => {
    t.test('a missing required action on a resource AWS Backup creates', async (t) => {
      const d = diagnose(inPartition(ebsRole(allow(ALL_EBS)), p))
      t.equal(d.rootCause.code, 'IDENTITY_POLICY_MISSING_PERMISSION')
      t.equal(d.rootCause.action, 'ec2:CreateTags')
      t.equal(d.rootCause.resource, `arn:${P}:ec2:${R}::snapshot/*`)
      t.match(d.remediation.policySnippet, { Statement: [{ Action: 'ec2:CreateTags', Resource: `arn:${P}:ec2:${R}::snapshot/*` }] })
      noCommercialArn(t, d)
    })

    t.test('the missing service-linked role', async (t) => {
      const d = diagnose(inPartition(anEvidence({ serviceLinkedRoles: { [ACCT]: absent() } }, { resourceType: 'EFS', resourceArn: `arn:aws:elasticfilesystem:${REGION}:${ACCT}:file-system/fs-1` }), p))
      t.equal(d.rootCause.code, 'SERVICE_LINKED_ROLE_MISSING')
      t.equal(d.rootCause.resource, slr(ACCT))
      noCommercialArn(t, d)
    })

    t.test('the S3 backup policy to attach', async (t) => {
      const d = diagnose(inPartition(anEvidence({}, S3_JOB), p))
      t.equal(d.rootCause.code, 'S3_BACKUP_POLICY_NOT_ATTACHED')
      t.match(d.remediation.policySnippet, { AttachRolePolicy: { PolicyArns: [`arn:${P}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup`] } })
      t.match(finding(d, 'identity-policies').data, { managedPolicy: `arn:${P}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup` })
      noCommercialArn(t, d)
    })

    t.test('the managed policies a missing-permission remediation names', async (t) => {
      const d = diagnose(inPartition(ebsRole(allow(['ec2:DescribeVolumes'])), p))
      t.equal(d.rootCause.code, 'IDENTITY_POLICY_MISSING_PERMISSION')
      t.match(finding(d, 'identity-policies').data, { managedPolicy: `arn:${P}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup` })
      noCommercialArn(t, d)
    })

    t.test('the destination account principal a source key policy must allow', async (t) => {
      const d = diagnose(inPartition(copyWithSourceKeyFor(`arn:aws:iam::333333333333:root`), p))
      t.equal(d.rootCause.code, 'KMS_KEY_POLICY_DENIES')
      t.equal(d.rootCause.entity, 'service-linked-role')
      t.match(d.remediation.policySnippet, { Principal: { AWS: `arn:${P}:iam::${DEST}:root` } })
      t.match(finding(d, 'kms-key-policy').data, { principalArn: slr(DEST) })
      noCommercialArn(t, d)
    })

    t.test('the source account principal a destination vault policy must allow', async (t) => {
      const e = aCopyEvidence()
      const dest = e.destinationVault.state === 'read' ? e.destinationVault.value : null
      const d = diagnose(inPartition({ ...e, destinationVault: read({ ...dest!, accessPolicy: absent('no access policy') }) }, p))
      t.equal(d.rootCause.code, 'VAULT_POLICY_DENIES')
      t.match(d.remediation.policySnippet, { Statement: [{ Principal: { AWS: `arn:${P}:iam::${ACCT}:root` } }] })
      noCommercialArn(t, d)
    })

    t.test('the instance profile role a restore passes', async (t) => {
      const d = diagnose(inPartition(restoreWithRoleAllowing(), p))
      t.equal(d.rootCause.code, 'PASSROLE_NOT_ALLOWED')
      t.equal(d.rootCause.resource, `arn:${P}:iam::${ACCT}:role/app-instance-role`)
      noCommercialArn(t, d)
    })

    t.test('any key of the job\'s account, when only the message says a key was refused', async (t) => {
      const e = withRole(anEvidence({}, { ...RDS_JOB, statusMessage: RDS_KEY_TEXT }), aRole({
        name: 'BackupRole-Guarded', managed: [managedPolicy('AWSBackupServiceRolePolicyForBackup')], inline: { guardrails: doc({ Sid: 'NoKmsGrants', ...deny(['kms:CreateGrant', 'kms:Decrypt']) }) },
      }))
      const d = diagnose(inPartition(e, p))
      t.equal(d.rootCause.code, 'IDENTITY_POLICY_EXPLICIT_DENY')
      t.equal(d.rootCause.resource, `arn:${P}:kms:${R}:${ACCT}:key/*`)
      noCommercialArn(t, d)
    })

    t.test('the message naming an S3 bucket of the partition', async (t) => {
      const h = classifyMessage({ message: `Your backup job failed as AWS Backup does not have permission to describe resource arn:${P}:s3:::prod-invoices. Please review your IAM policies to ensure AWS Backup can protect your resources.`, jobType: 'backup', resourceType: 'S3' })
      t.equal(h.ruleId, 's3-describe-permission')
      t.same(h.codes, ['S3_BACKUP_POLICY_NOT_ATTACHED', 'IDENTITY_POLICY_MISSING_PERMISSION'])
      t.equal(h.resource, `arn:${P}:s3:::prod-invoices`)
    })
  })

  t.test(`${p.name} (${R}): grants on the partition's ARNs are judged as allowing`, async (t) => {
    t.test('ec2:CreateTags on the partition\'s snapshots', async (t) => {
      const e = inPartition(ebsRole(allow(ALL_EBS), allow('ec2:CreateTags', 'arn:aws:ec2:*::snapshot/*')), p)
      t.match(JSON.stringify(e), `"Resource":"arn:${P}:ec2:*::snapshot/*"`, 'the policy grants on the partition\'s snapshots')
      const d = diagnose(e)
      t.equal(finding(d, 'identity-policies').status, 'pass', finding(d, 'identity-policies').message)
      t.equal(d.rootCause.code, 'UNDETERMINED')
    })

    t.test('an EFS restore granted on the partition\'s file systems', async (t) => {
      const e = withRole(EFS_RESTORE, aRole({ name: 'BackupRole-Efs', inline: { efs: doc(allow(EFS_RESTORE_ACTIONS, `arn:aws:elasticfilesystem:${REGION}:${ACCT}:file-system/*`)) } }))
      const d = diagnose(inPartition(e, p))
      t.equal(finding(d, 'identity-policies').status, 'pass', finding(d, 'identity-policies').message)
    })

    t.test('the S3 backup policy attached with the partition\'s ARN', async (t) => {
      const e = withRole(anEvidence({}, S3_JOB), aRole({ managed: [managedPolicy('AWSBackupServiceRolePolicyForBackup'), managedPolicy('AWSBackupServiceRolePolicyForS3Backup')] }))
      const d = diagnose(inPartition(e, p))
      t.equal(finding(d, 'identity-policies').status, 'pass', finding(d, 'identity-policies').message)
      t.not(d.rootCause.code, 'S3_BACKUP_POLICY_NOT_ATTACHED')
    })

    t.test('iam:PassRole on the partition\'s instance profile role', async (t) => {
      const e = restoreWithRoleAllowing(allow('iam:PassRole', `arn:aws:iam::${ACCT}:role/app-instance-role`, { Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }))
      const d = diagnose(inPartition(e, p))
      t.equal(finding(d, 'pass-role').status, 'pass', finding(d, 'pass-role').message)
      t.same(finding(d, 'pass-role').data, { roles: [`arn:${P}:iam::${ACCT}:role/app-instance-role`] })
    })

    t.test('a source key policy naming the destination account\'s service-linked role', async (t) => {
      const d = diagnose(inPartition(copyWithSourceKeyFor(`arn:aws:iam::${DEST}:${SLR_PATH}`), p))
      t.equal(finding(d, 'kms-key-policy').status, 'pass', finding(d, 'kms-key-policy').message)
      t.equal(d.rootCause.code, 'UNDETERMINED')
    })
  })

  t.test(`${p.name} (${R}): a job diagnoses as its commercial twin, with the partition's ARNs`, async (t) => {
    const s3Restore = anEvidence({}, { type: 'restore', ...S3_JOB })
    const twins: [string, Evidence][] = [
      ['healthy EBS backup', anEvidence()],
      ['healthy cross-account copy', aCopyEvidence()],
      ['healthy EC2 restore', aRestoreEvidence()],
      ['EC2 restore, instance profile role not read', aRestoreEvidence({ passedRoles: {} })],
      ['EBS backup without CreateTags', ebsRole(allow(ALL_EBS))],
      ['EBS backup with CreateTags on snapshots', ebsRole(allow(ALL_EBS), allow('ec2:CreateTags', 'arn:aws:ec2:*::snapshot/*'))],
      ['S3 backup, default role', anEvidence({}, S3_JOB)],
      ['S3 restore, default role', s3Restore],
      ['EFS restore', EFS_RESTORE],
      ['copy, source key names another account', copyWithSourceKeyFor('arn:aws:iam::333333333333:root')],
      ['copy, source key names the SLR', copyWithSourceKeyFor(`arn:aws:iam::${DEST}:${SLR_PATH}`)],
      ['RDS backup refused a key', anEvidence({}, { ...RDS_JOB, statusMessage: RDS_KEY_TEXT })],
      ['service-linked role missing', anEvidence({ serviceLinkedRoles: { [ACCT]: absent() } })],
      ['vault key delegating, role without KMS', withRole(anEvidence({ keys: { [keyArn(KEY_ID)]: read(aKey()) } }, { resourceType: 'EFS', resourceArn: `arn:aws:elasticfilesystem:${REGION}:${ACCT}:file-system/fs-1` }), aRole({ name: 'NoKms', inline: { efs: doc(allow(['elasticfilesystem:Backup', 'elasticfilesystem:DescribeTags'])) } }))],
    ]
    for (const [name, e] of twins) t.same(diagnose(inPartition(e, p)), inPartition(diagnose(e), p), name)
  })
}
