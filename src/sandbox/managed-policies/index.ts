/**
 * The sandbox's built-in catalogue of AWS managed policies: the default
 * version of the policies AWS Backup uses, vendored verbatim from
 * ../shared/aws-data/managed-policies/ (a test keeps them equal). ARN paths and
 * version ids are the ones IAM publishes (see ../shared/aws-data/README.md and
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/security-iam-awsmanpol.html).
 * A world extends or overrides it with `awsManagedPolicies`.
 */
import type { PolicyDocument } from '../world.js'
import ForBackup from './AWSBackupServiceRolePolicyForBackup.json' with { type: 'json' }
import ForRestores from './AWSBackupServiceRolePolicyForRestores.json' with { type: 'json' }
import ForS3Backup from './AWSBackupServiceRolePolicyForS3Backup.json' with { type: 'json' }
import ForS3Restore from './AWSBackupServiceRolePolicyForS3Restore.json' with { type: 'json' }
import LinkedRole from './AWSBackupServiceLinkedRolePolicyForBackup.json' with { type: 'json' }
import FullAccess from './AWSBackupFullAccess.json' with { type: 'json' }
import OperatorAccess from './AWSBackupOperatorAccess.json' with { type: 'json' }

export interface ManagedPolicyEntry {
  arn: string
  versionId: string
  document: PolicyDocument
}

const ARN = 'arn:aws:iam::aws:policy'

export const BUILT_IN_MANAGED_POLICIES: readonly ManagedPolicyEntry[] = [
  { arn: `${ARN}/service-role/AWSBackupServiceRolePolicyForBackup`, versionId: 'v30', document: ForBackup as PolicyDocument },
  { arn: `${ARN}/service-role/AWSBackupServiceRolePolicyForRestores`, versionId: 'v35', document: ForRestores as PolicyDocument },
  { arn: `${ARN}/AWSBackupServiceRolePolicyForS3Backup`, versionId: 'v5', document: ForS3Backup as PolicyDocument },
  { arn: `${ARN}/AWSBackupServiceRolePolicyForS3Restore`, versionId: 'v2', document: ForS3Restore as PolicyDocument },
  { arn: `${ARN}/aws-service-role/AWSBackupServiceLinkedRolePolicyForBackup`, versionId: 'v31', document: LinkedRole as PolicyDocument },
  { arn: `${ARN}/AWSBackupFullAccess`, versionId: 'v30', document: FullAccess as PolicyDocument },
  { arn: `${ARN}/AWSBackupOperatorAccess`, versionId: 'v28', document: OperatorAccess as PolicyDocument },
]
