/**
 * The actions the job role must be allowed for each job type × resource type:
 * the calls AWS Backup makes with the job role (it assumes the role, then calls
 * the resource's service: ec2:CreateSnapshot, rds:CreateDBSnapshot, ...).
 *
 * DERIVED from the AWS managed policies AWS Backup publishes for job roles
 * ("AWS managed policies for AWS Backup",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/security-iam-awsmanpol.html),
 * kept in ../shared/aws-data/managed-policies: every entry names the policy and
 * the statement Sid it comes from, and test/diagnostics/required-actions.test.ts
 * checks, through the IAM evaluator, that the named statement really grants the
 * action on the entry's resource, so this table cannot drift from AWS's documents.
 *
 * Only the core actions whose absence fails the job are listed (the managed
 * policies also carry actions for optional features); KMS actions are judged by
 * the KMS checks against the key policies, not here. S3 needs the separate S3
 * policies (seeds/002: "AWSBackupServiceRolePolicyForS3Backup ... must be attached
 * separately"). EC2 restores that keep an instance profile also need iam:PassRole
 * on its role (pass-role check), which the managed restore policy grants only
 * with iam:PassedToService conditions.
 */
import type { JobEvidence, JobType } from '../src/evidence/types.js'
import type { RequestContext } from '../src/policy/types.js'
import { jobPartition } from './lib/partition.js'

export type ManagedPolicyName =
  | 'AWSBackupServiceRolePolicyForBackup'
  | 'AWSBackupServiceRolePolicyForRestores'
  | 'AWSBackupServiceRolePolicyForS3Backup'
  | 'AWSBackupServiceRolePolicyForS3Restore'

/** The managed policies' paths: their ARN is `arn:PARTITION:iam::aws:policy/PATH NAME` in every partition. */
const MANAGED_POLICY_PATHS: Readonly<Record<ManagedPolicyName, string>> = {
  AWSBackupServiceRolePolicyForBackup: 'service-role/',
  AWSBackupServiceRolePolicyForRestores: 'service-role/',
  AWSBackupServiceRolePolicyForS3Backup: '',
  AWSBackupServiceRolePolicyForS3Restore: '',
}

/** A managed policy's ARN in a partition (arn:aws-us-gov:iam::aws:policy/... in GovCloud). */
export function managedPolicyArn(name: ManagedPolicyName, partition = 'aws'): string {
  return `arn:${partition}:iam::aws:policy/${MANAGED_POLICY_PATHS[name]}${name}`
}

/** The managed policies' ARNs in the commercial partition (`aws`). */
export const MANAGED_POLICY_ARNS: Readonly<Record<ManagedPolicyName, string>> = {
  AWSBackupServiceRolePolicyForBackup: managedPolicyArn('AWSBackupServiceRolePolicyForBackup'),
  AWSBackupServiceRolePolicyForRestores: managedPolicyArn('AWSBackupServiceRolePolicyForRestores'),
  AWSBackupServiceRolePolicyForS3Backup: managedPolicyArn('AWSBackupServiceRolePolicyForS3Backup'),
  AWSBackupServiceRolePolicyForS3Restore: managedPolicyArn('AWSBackupServiceRolePolicyForS3Restore'),
}

/**
 * Resource templates: `${resource}` the job's resource ARN, `${partition}` (the
 * job's, see lib/partition.ts; `aws` when not given), `${region}`,
 * `${account}` (job account), `${destinationVault}`, `${sourceVault}`.
 * A `*` in a template stands for a resource AWS Backup creates whose name we cannot know.
 */
export interface RequiredAction {
  action: string
  resource: string
  policy: ManagedPolicyName
  sid: string
  /** Condition keys the call carries that the managed statement tests. */
  context?: RequestContext
  /** Other actions AWS Backup uses instead, depending on the resource's settings: any one allowed suffices. */
  alternatives?: readonly string[]
}

export type ResourceFamily =
  | 'EBS' | 'EC2' | 'RDS' | 'RDS-CLUSTER' | 'DynamoDB' | 'EFS' | 'S3' | 'FSx' | 'StorageGateway'
  | 'Redshift' | 'VirtualMachine' | 'CloudFormation' | 'Timestream'

/** AWS Backup's ResourceType values (and the ARN, for RDS instance vs cluster) → the table's family. */
export function resourceFamily(resourceType: string | null, resourceArn: string | null): ResourceFamily | null {
  const t = (resourceType ?? '').toLowerCase().replace(/[\s_-]/g, '')
  switch (t) {
    case 'ebs': return 'EBS'
    case 'ec2': return 'EC2'
    case 'rds': return resourceArn !== null && /:cluster:/.test(resourceArn) ? 'RDS-CLUSTER' : 'RDS'
    case 'aurora': case 'documentdb': case 'neptune': return 'RDS-CLUSTER'
    case 'dynamodb': return 'DynamoDB'
    case 'efs': return 'EFS'
    case 's3': return 'S3'
    case 'fsx': return 'FSx'
    case 'storagegateway': return 'StorageGateway'
    case 'redshift': return 'Redshift'
    case 'virtualmachine': return 'VirtualMachine'
    case 'cloudformation': return 'CloudFormation'
    case 'timestream': return 'Timestream'
    default: return null
  }
}

const B = 'AWSBackupServiceRolePolicyForBackup' as const
const R = 'AWSBackupServiceRolePolicyForRestores' as const
const S3B = 'AWSBackupServiceRolePolicyForS3Backup' as const
const S3R = 'AWSBackupServiceRolePolicyForS3Restore' as const

const a = (action: string, resource: string, policy: ManagedPolicyName, sid: string, context?: RequestContext): RequiredAction =>
  context ? { action, resource, policy, sid, context } : { action, resource, policy, sid }

const BACKUP: Readonly<Record<ResourceFamily, readonly RequiredAction[]>> = {
  EBS: [
    a('ec2:CreateSnapshot', '${resource}', B, 'EBSResourcePermissions'),
    a('ec2:DescribeVolumes', '${resource}', B, 'EBSResourcePermissions'),
    a('ec2:DescribeSnapshots', '*', B, 'EBSResourcePermissions'),
    a('ec2:CreateTags', 'arn:${partition}:ec2:${region}::snapshot/*', B, 'EBSTagAndDeletePermissions'),
  ],
  EC2: [
    a('ec2:CreateImage', '${resource}', B, 'EC2Permissions'),
    a('ec2:DescribeInstances', '*', B, 'EC2Permissions'),
    a('ec2:DescribeImages', '*', B, 'EC2Permissions'),
    a('ec2:DescribeSnapshots', '*', B, 'EC2Permissions'),
    a('ec2:CreateTags', 'arn:${partition}:ec2:${region}:${account}:image/*', B, 'EC2TagPermissions'),
  ],
  RDS: [
    a('rds:CreateDBSnapshot', '${resource}', B, 'DynamoDBBackupPermissions'),
    a('rds:DescribeDBInstances', '${resource}', B, 'DynamoDBBackupPermissions'),
    a('rds:DescribeDBSnapshots', '*', B, 'DynamoDBBackupPermissions'),
    a('rds:AddTagsToResource', '${resource}', B, 'DynamoDBBackupPermissions'),
    a('rds:ListTagsForResource', '${resource}', B, 'DynamoDBBackupPermissions'),
  ],
  'RDS-CLUSTER': [
    a('rds:CreateDBClusterSnapshot', '${resource}', B, 'DynamoDBBackupPermissions'),
    a('rds:DescribeDBClusters', '${resource}', B, 'DynamoDBBackupPermissions'),
    a('rds:DescribeDBClusterSnapshots', '*', B, 'DynamoDBBackupPermissions'),
    a('rds:AddTagsToResource', '${resource}', B, 'DynamoDBBackupPermissions'),
    a('rds:ListTagsForResource', '${resource}', B, 'DynamoDBBackupPermissions'),
  ],
  DynamoDB: [
    a('dynamodb:DescribeTable', '${resource}', B, 'DynamoDBPermissions'),
    // Advanced DynamoDB backup uses dynamodb:StartAwsBackupJob instead of dynamodb:CreateBackup.
    { ...a('dynamodb:CreateBackup', '${resource}', B, 'DynamoDBPermissions'), alternatives: ['dynamodb:StartAwsBackupJob'] },
    a('dynamodb:ListTagsOfResource', '${resource}', B, 'DynamodbBackupPermissions'),
  ],
  EFS: [
    a('elasticfilesystem:Backup', '${resource}', B, 'EFSPermissions'),
    a('elasticfilesystem:DescribeTags', '${resource}', B, 'EFSPermissions'),
  ],
  S3: [
    a('s3:GetBucketVersioning', '${resource}', S3B, 'S3BucketPermissions'),
    a('s3:GetBucketLocation', '${resource}', S3B, 'S3BucketPermissions'),
    a('s3:ListBucket', '${resource}', S3B, 'S3BucketPermissions'),
    a('s3:ListBucketVersions', '${resource}', S3B, 'S3BucketPermissions'),
    a('s3:GetBucketTagging', '${resource}', S3B, 'S3BucketPermissions'),
    a('s3:GetBucketAcl', '${resource}', S3B, 'S3BucketPermissions'),
    a('s3:GetBucketNotification', '${resource}', S3B, 'S3BucketPermissions'),
    a('s3:PutBucketNotification', '${resource}', S3B, 'S3BucketPermissions'),
    a('s3:GetInventoryConfiguration', '${resource}', S3B, 'S3BucketPermissions'),
    a('s3:PutInventoryConfiguration', '${resource}', S3B, 'S3BucketPermissions'),
    a('s3:GetObject', '${resource}/*', S3B, 'S3ObjectPermissions'),
    a('s3:GetObjectVersion', '${resource}/*', S3B, 'S3ObjectPermissions'),
    a('s3:GetObjectTagging', '${resource}/*', S3B, 'S3ObjectPermissions'),
    a('s3:GetObjectAcl', '${resource}/*', S3B, 'S3ObjectPermissions'),
    a('s3:ListAllMyBuckets', '*', S3B, 'S3ListBucketPermissions'),
    a('events:PutRule', 'arn:${partition}:events:${region}:${account}:rule/AwsBackupManagedRule*', S3B, 'EventBridgePermissionsForAwsBackupManagedRule'),
    a('events:PutTargets', 'arn:${partition}:events:${region}:${account}:rule/AwsBackupManagedRule*', S3B, 'EventBridgePermissionsForAwsBackupManagedRule'),
    a('cloudwatch:GetMetricData', '*', S3B, 'CloudWatchGetMetricDataPermissions'),
  ],
  FSx: [
    a('fsx:CreateBackup', '${resource}', B, 'FsxCreateBackupPermissions'),
    a('fsx:DescribeFileSystems', '${resource}', B, 'FsxPermissions'),
    a('fsx:DescribeBackups', 'arn:${partition}:fsx:${region}:${account}:backup/*', B, 'FsxBackupPermissions'),
    a('fsx:ListTagsForResource', '${resource}', B, 'FsxListTagsPermissions'),
  ],
  StorageGateway: [
    a('storagegateway:CreateSnapshot', '${resource}', B, 'StorageGatewayPermissions'),
    a('storagegateway:ListTagsForResource', '${resource}', B, 'StorageGatewayPermissions'),
  ],
  Redshift: [
    a('redshift:CreateClusterSnapshot', '${resource}', B, 'RedshiftCreatePermissions'),
    a('redshift:DescribeClusters', '${resource}', B, 'RedshiftPermissions'),
    a('redshift:DescribeClusterSnapshots', '${resource}', B, 'RedshiftCreatePermissions'),
    a('redshift:DescribeTags', '${resource}', B, 'RedshiftCreatePermissions'),
  ],
  VirtualMachine: [
    a('backup-gateway:Backup', '${resource}', B, 'BackupGatewayBackupPermissions'),
    a('backup-gateway:ListTagsForResource', '${resource}', B, 'BackupGatewayBackupPermissions'),
  ],
  CloudFormation: [
    a('cloudformation:GetTemplate', '${resource}', B, 'CloudformationStackPermissions'),
    a('cloudformation:DescribeStacks', '${resource}', B, 'CloudformationStackPermissions'),
    a('cloudformation:ListStackResources', '${resource}', B, 'CloudformationStackPermissions'),
  ],
  Timestream: [
    a('timestream:StartAwsBackupJob', '${resource}', B, 'TimestreamResourcePermissions'),
    a('timestream:GetAwsBackupStatus', '${resource}', B, 'TimestreamResourcePermissions'),
    a('timestream:ListTagsForResource', '${resource}', B, 'TimestreamResourcePermissions'),
    a('timestream:DescribeEndpoints', '*', B, 'TimestreamEndpointPermissions'),
  ],
}

const RESTORE: Readonly<Record<ResourceFamily, readonly RequiredAction[]>> = {
  EBS: [
    a('ec2:CreateVolume', 'arn:${partition}:ec2:${region}:${account}:volume/*', R, 'EBSPermissions'),
    a('ec2:DescribeSnapshots', '*', R, 'EC2DescribePermissions'),
    a('ec2:DescribeVolumes', '*', R, 'EC2DescribePermissions'),
  ],
  EC2: [
    a('ec2:RunInstances', '*', R, 'EC2RunInstancesPermissions'),
    a('ec2:DescribeImages', '*', R, 'EC2DescribePermissions'),
    a('ec2:DescribeInstances', '*', R, 'EC2DescribePermissions'),
    a('ec2:DescribeSubnets', '*', R, 'EC2DescribePermissions'),
    a('ec2:DescribeSecurityGroups', '*', R, 'EC2DescribePermissions'),
  ],
  RDS: [
    a('rds:RestoreDBInstanceFromDBSnapshot', '*', R, 'RDSPermissions'),
    a('rds:DescribeDBInstances', '*', R, 'RDSPermissions'),
    a('rds:DescribeDBSnapshots', '*', R, 'RDSPermissions'),
    a('rds:AddTagsToResource', '*', R, 'RDSPermissions'),
  ],
  'RDS-CLUSTER': [
    a('rds:RestoreDBClusterFromSnapshot', '*', R, 'RDSPermissions'),
    a('rds:DescribeDBClusters', '*', R, 'RDSPermissions'),
    a('rds:DescribeDBClusterSnapshots', '*', R, 'RDSPermissions'),
    a('rds:AddTagsToResource', '*', R, 'RDSPermissions'),
  ],
  DynamoDB: [
    a('dynamodb:DescribeTable', 'arn:${partition}:dynamodb:${region}:${account}:table/*', R, 'DynamoDBPermissions'),
    a('dynamodb:RestoreTableFromAwsBackup', 'arn:${partition}:dynamodb:${region}:${account}:table/*', R, 'DynamoDBRestorePermissions'),
  ],
  EFS: [
    a('elasticfilesystem:Restore', 'arn:${partition}:elasticfilesystem:${region}:${account}:file-system/*', R, 'EFSPermissions'),
    a('elasticfilesystem:CreateFilesystem', 'arn:${partition}:elasticfilesystem:${region}:${account}:file-system/*', R, 'EFSPermissions'),
    a('elasticfilesystem:DescribeFilesystems', 'arn:${partition}:elasticfilesystem:${region}:${account}:file-system/*', R, 'EFSPermissions'),
    a('elasticfilesystem:DeleteFilesystem', 'arn:${partition}:elasticfilesystem:${region}:${account}:file-system/*', R, 'EFSPermissions'),
  ],
  S3: [
    a('s3:CreateBucket', 'arn:${partition}:s3:::*', S3R, '0'),
    a('s3:ListBucket', 'arn:${partition}:s3:::*', S3R, '0'),
    a('s3:GetBucketVersioning', 'arn:${partition}:s3:::*', S3R, '0'),
    a('s3:PutBucketVersioning', 'arn:${partition}:s3:::*', S3R, '0'),
    a('s3:PutObject', 'arn:${partition}:s3:::*/*', S3R, '1'),
    a('s3:GetObject', 'arn:${partition}:s3:::*/*', S3R, '1'),
  ],
  FSx: [
    a('fsx:CreateFileSystemFromBackup', 'arn:${partition}:fsx:${region}:${account}:backup/*', R, 'FsxPermissions'),
    a('fsx:DescribeBackups', 'arn:${partition}:fsx:${region}:${account}:backup/*', R, 'FsxBackupPermissions'),
    a('fsx:DescribeFileSystems', 'arn:${partition}:fsx:${region}:${account}:file-system/*', R, 'FsxTagPermissions'),
  ],
  StorageGateway: [
    a('storagegateway:DescribeGatewayInformation', 'arn:${partition}:storagegateway:${region}:${account}:gateway/*', R, 'StorageGatewayGatewayPermissions'),
    a('storagegateway:ListVolumes', 'arn:${partition}:storagegateway:${region}:${account}:gateway/*', R, 'StorageGatewayListPermissions'),
  ],
  Redshift: [
    a('redshift:RestoreFromClusterSnapshot', 'arn:${partition}:redshift:${region}:${account}:cluster:*', R, 'RedshiftClusterSnapshotPermissions'),
    a('redshift:DescribeClusters', 'arn:${partition}:redshift:${region}:${account}:cluster:*', R, 'RedshiftClusterPermissions'),
  ],
  VirtualMachine: [
    a('backup-gateway:Restore', 'arn:${partition}:backup-gateway:${region}:${account}:hypervisor/*', R, 'GatewayRestorePermissions'),
  ],
  CloudFormation: [
    a('cloudformation:CreateChangeSet', 'arn:${partition}:cloudformation:${region}:${account}:stack/*/*', R, 'CloudformationChangeSetPermissions'),
    a('cloudformation:DescribeChangeSet', 'arn:${partition}:cloudformation:${region}:${account}:stack/*/*', R, 'CloudformationChangeSetPermissions'),
  ],
  Timestream: [
    a('timestream:StartAwsRestoreJob', 'arn:${partition}:timestream:${region}:${account}:database/*', R, 'TimestreamResourcePermissions'),
    a('timestream:GetAwsRestoreStatus', 'arn:${partition}:timestream:${region}:${account}:database/*', R, 'TimestreamResourcePermissions'),
    a('timestream:DescribeEndpoints', '*', R, 'TimestreamEndpointPermissions'),
  ],
}

/** Copy: the job role (source account) copies out of the source vault and into the destination vault. */
const COPY_VAULT: readonly RequiredAction[] = [
  a('backup:CopyFromBackupVault', '*', B, 'BackupVaultCopyPermissions'),
  a('backup:CopyIntoBackupVault', '${destinationVault}', B, 'BackupVaultPermissions'),
  a('backup:DescribeBackupVault', '${destinationVault}', B, 'BackupVaultPermissions'),
]

const COPY: Readonly<Partial<Record<ResourceFamily, readonly RequiredAction[]>>> = {
  EBS: [
    a('ec2:CopySnapshot', 'arn:${partition}:ec2:${region}::snapshot/*', B, 'EBSCopyPermissions'),
    a('ec2:DescribeSnapshots', '*', B, 'EC2Permissions'),
    a('ec2:CreateTags', 'arn:${partition}:ec2:${region}::snapshot/*', B, 'EBSTagAndDeletePermissions'),
  ],
  EC2: [
    a('ec2:CopyImage', '*', B, 'EC2CopyPermissions'),
    a('ec2:DescribeImages', '*', B, 'EC2Permissions'),
  ],
  RDS: [
    a('rds:CopyDBSnapshot', '*', B, 'DynamoDBBackupPermissions'),
    a('rds:DescribeDBSnapshots', '*', B, 'DynamoDBBackupPermissions'),
  ],
  'RDS-CLUSTER': [
    a('rds:CopyDBClusterSnapshot', '*', B, 'DynamoDBBackupPermissions'),
    a('rds:DescribeDBClusterSnapshots', '*', B, 'DynamoDBBackupPermissions'),
  ],
  FSx: [
    a('fsx:CopyBackup', 'arn:${partition}:fsx:${region}:${account}:backup/*', B, 'FsxResourcePermissions'),
    a('fsx:DescribeBackups', 'arn:${partition}:fsx:${region}:${account}:backup/*', B, 'FsxBackupPermissions'),
  ],
}

export const REQUIRED_ACTIONS: Readonly<Record<JobType, Readonly<Partial<Record<ResourceFamily, readonly RequiredAction[]>>>>> = {
  backup: BACKUP,
  restore: RESTORE,
  copy: COPY,
}

export { COPY_VAULT as COPY_VAULT_ACTIONS }

/** The managed policies that carry a job's actions (what to attach when several are missing). */
export function managedPoliciesFor(jobType: JobType, family: ResourceFamily | null): ManagedPolicyName[] {
  if (family === 'S3') return jobType === 'restore' ? [S3R] : jobType === 'copy' ? [B, S3B] : [S3B]
  return jobType === 'restore' ? [R] : [B]
}

export interface ConcreteAction extends RequiredAction {
  /** The resource ARN with the template filled in. */
  resourceArn: string
}

/**
 * KMS actions the job role performs on a customer managed key its job uses (a restored or copied
 * recovery point's key, the vault key of a backup AWS Backup encrypts itself), as the managed
 * policy for the job grants them: every one grants kms:DescribeKey, and all but the S3 ones
 * kms:CreateGrant for AWS resources (kms:GrantIsForAWSResource) — the S3 policies reach KMS only
 * through S3 (kms:ViaService s3.*). The key policy must allow them (directly, or by delegating to
 * the account — then an identity policy of the role must allow them too, AWS KMS "Key policies").
 */
const KMS_FOR_JOB_ROLE: Readonly<Record<JobType, readonly RequiredAction[]>> = {
  backup: [
    a('kms:DescribeKey', '*', B, 'KMSPermissions'),
    a('kms:CreateGrant', '*', B, 'KMSCreateGrantPermissions', { 'kms:GrantIsForAWSResource': true }),
  ],
  restore: [
    a('kms:DescribeKey', '*', R, 'KMSDescribePermissions'),
    a('kms:CreateGrant', '*', R, 'KMSCreateGrantPermissions', { 'kms:GrantIsForAWSResource': true }),
  ],
  copy: [
    a('kms:DescribeKey', '*', B, 'KMSPermissions'),
    a('kms:CreateGrant', '*', B, 'KMSCreateGrantPermissions', { 'kms:GrantIsForAWSResource': true }),
  ],
}
const KMS_FOR_S3_JOB_ROLE: Readonly<Partial<Record<JobType, readonly RequiredAction[]>>> = {
  backup: [a('kms:DescribeKey', '*', S3B, 'KmsPermissions', { 'kms:ViaService': 's3.us-east-1.amazonaws.com' })],
  restore: [a('kms:DescribeKey', '*', S3R, '2', { 'kms:ViaService': 's3.us-east-1.amazonaws.com' })],
}

export { KMS_FOR_JOB_ROLE, KMS_FOR_S3_JOB_ROLE }

/** The KMS actions the job role needs on a customer managed key of this job (see KMS_FOR_JOB_ROLE). */
export function jobRoleKmsActions(job: JobEvidence): string[] {
  const family = resourceFamily(job.resourceType, job.resourceArn)
  const list = (family === 'S3' ? KMS_FOR_S3_JOB_ROLE[job.type] : undefined) ?? KMS_FOR_JOB_ROLE[job.type]
  return list.map((r) => r.action)
}

/** The required actions of one job with resource templates filled from the job. */
export function requiredActionsFor(job: JobEvidence): ConcreteAction[] {
  const family = resourceFamily(job.resourceType, job.resourceArn)
  const table = REQUIRED_ACTIONS[job.type]
  const list: RequiredAction[] = [...(family ? table[family] ?? [] : [])]
  if (job.type === 'copy') list.push(...COPY_VAULT)
  const values: Record<string, string> = {
    resource: job.resourceArn ?? '*',
    partition: jobPartition(job),
    region: job.region,
    account: job.accountId,
    destinationVault: job.destinationBackupVaultArn ?? '*',
    sourceVault: job.backupVaultArn ?? '*',
  }
  return list
    .map((r) => ({ ...r, resourceArn: fillTemplate(r.resource, values) }))
    // A template whose job value is unknown degrades to "*" rather than a wrong ARN.
    .map((r) => (r.resourceArn.includes('${') ? { ...r, resourceArn: '*' } : r))
}

/** Template values a caller need not give: the commercial partition, as AWS's documents write the ARNs. */
const TEMPLATE_DEFAULTS: Readonly<Record<string, string>> = { partition: 'aws' }

export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{(\w+)\}/g, (whole, name: string) => values[name] ?? TEMPLATE_DEFAULTS[name] ?? whole)
}
