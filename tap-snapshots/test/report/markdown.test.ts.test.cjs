/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`test/report/markdown.test.ts > TAP > cross-account KMS failure > must match snapshot 1`] = `
# KMS_KEY_POLICY_DENIES — high confidence

> The key policy of arn:aws:kms:us-east-1:111111111111:key/1a2b3c4d-1111-4a4a-8b8b-0c0c0c0c0c01 does not let arn:aws:iam::222222222222:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup (service-linked-role, account 222222222222) use the key (kms:DescribeKey); add the statement below to the key policy.

| | |
|---|---|
| Job | \`8DAF2B4C-6E7F-4C9D-8EBF-3A5B7C9D1E09\` (copy) in account \`111111111111\`, us-east-1 |
| State | FAILED: “Given key ID is not accessible” |
| Resource | EBS \`arn:aws:ec2:us-east-1:111111111111:volume/vol-0a1b2c3d4e5f67890\` |
| Job role | \`arn:aws:iam::111111111111:role/service-role/AWSBackupDefaultServiceRole\` |
| Entity at fault | service-linked-role |
| Policy | kms-key \`arn:aws:kms:us-east-1:111111111111:key/1a2b3c4d-1111-4a4a-8b8b-0c0c0c0c0c01\`, no statement allows it |
| Action | \`kms:DescribeKey\` |
| On resource | \`arn:aws:kms:us-east-1:111111111111:key/1a2b3c4d-1111-4a4a-8b8b-0c0c0c0c0c01\` |
| Created | 2026-11-20T02:00:00Z |

## Remediation

1. Add the statement below to the key policy of arn:aws:kms:us-east-1:111111111111:key/1a2b3c4d-1111-4a4a-8b8b-0c0c0c0c0c01 (account 111111111111).
2. Account 222222222222 uses this key through its AWSServiceRoleForBackup during the cross-account copy.

\`\`\`json
{
  "Sid": "AllowBackupCopyFrom222222222222",
  "Effect": "Allow",
  "Principal": {
    "AWS": "arn:aws:iam::222222222222:root"
  },
  "Action": [
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:CreateGrant"
  ],
  "Resource": "*"
}
\`\`\`

## Findings

| # | Check | Status | Finding |
|---|---|---|---|
| 1 | Job ended in a failed state | ✅ pass | The copy job ended FAILED. |
| 2 | Status message names a known cause | ✅ pass | The status message is an access denial; it points to KMS_KEY_POLICY_DENIES, KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT, KMS_KEY_UNUSABLE. |
| 3 | Job role exists | ✅ pass | The job role arn:aws:iam::111111111111:role/service-role/AWSBackupDefaultServiceRole exists. |
| 4 | Job role trusts AWS Backup | ✅ pass | The trust policy of arn:aws:iam::111111111111:role/service-role/AWSBackupDefaultServiceRole lets backup.amazonaws.com assume it (statement 0). |
| 5 | Job role identity policies allow every action the job needs | ✅ pass | The job role's identity policies allow all 6 actions the job needs. |
| 6 | Job role may pass the instance profile role to EC2 | ⏭️ skipped | Not applicable to copy jobs. |
| 7 | Permissions boundary allows what the job needs | ✅ pass | The job role has no permissions boundary. |
| 8 | No resource-based policy on the resource denies the job role | ✅ pass | The status message names no resource-based policy denial. |
| 9 | Target backup vault exists | ✅ pass | The target vault arn:aws:backup:us-east-1:222222222222:backup-vault:central-vault exists. |
| 10 | Vault access policies allow the job role | ✅ pass | The vault access policies allow the job role (arn:aws:backup:us-east-1:111111111111:backup-vault:prod-vault, arn:aws:backup:us-east-1:222222222222:backup-vault:central-vault). |
| 11 | Service control policies allow what the job needs | ✅ pass | The SCPs on the path of account 111111111111 allow every action the job needs. |
| 12 | Resource control policies do not deny the job role | ✅ pass | No RCP denies the job role on the resources it uses (5 RCP-governed calls checked). |
| 13 | KMS keys the job uses are enabled | ✅ pass | Every KMS key the job uses is enabled (arn:aws:kms:us-east-1:111111111111:key/1a2b3c4d-1111-4a4a-8b8b-0c0c0c0c0c01, arn:aws:kms:us-east-1:222222222222:key/2b3c4d5e-2222-4b4b-9c9c-0d0d0d0d0d02). |
| 14 | Recovery point of a cross-account copy is not encrypted with an AWS managed key | ✅ pass | The recovery point is encrypted with the customer managed key arn:aws:kms:us-east-1:111111111111:key/1a2b3c4d-1111-4a4a-8b8b-0c0c0c0c0c01, which can be shared. |
| 15 | KMS key policies let the job's principals use the keys | ❌ fail | The key policy of arn:aws:kms:us-east-1:111111111111:key/1a2b3c4d-1111-4a4a-8b8b-0c0c0c0c0c01 does not let arn:aws:iam::222222222222:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup (service-linked-role, account 222222222222) use the key (kms:DescribeKey); add the statement below to the key policy. |
| 16 | AWSServiceRoleForBackup exists where the job needs it | ✅ pass | AWSServiceRoleForBackup exists in 222222222222. |
| 17 | Source and destination accounts are in the same organization | ✅ pass | Accounts 111111111111, 222222222222 are members of organization o-exampleorg1. |
| 18 | Cross-account backup is enabled in the organization | ✅ pass | Cross-account backup is enabled in the management account. |
| 19 | Recovery point exists and is usable | ✅ pass | The recovery point arn:aws:ec2:us-east-1::snapshot/snap-0feedfacecafe0001 is COMPLETED. |
| 20 | Job retention is within the vault lock range | ⏭️ skipped | Not applicable: the target vault has no lock retention range. |
| 21 | Status message names no non-permission cause | ✅ pass | The status message names no non-permission cause. |

## Gaps

None: every piece of evidence was read.

`

exports[`test/report/markdown.test.ts > TAP > partial evidence > must match snapshot 1`] = `
# IDENTITY_POLICY_MISSING_PERMISSION — medium confidence

> No identity policy of arn:aws:iam::111111111111:role/BackupRole-Ebs allows ec2:CreateSnapshot on arn:aws:ec2:us-east-1:111111111111:volume/vol-0a1b2c3d4e5f67890; grant it (the AWS managed policy arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup does).

| | |
|---|---|
| Job | \`5E1B0C2A-6F3D-4E8B-9A71-2C4D6E8F0A01\` (backup) in account \`111111111111\`, us-east-1 |
| State | FAILED: “User: arn:aws:sts::111111111111:assumed-role/BackupRole-Ebs/AWSBackup-BackupRole-Ebs is not authorized to perform: ec2:CreateSnapshot on resource: arn:aws:ec2:us-east-1:111111111111:volume/vol-0a1b2c3d4e5f67890 because no identity-based policy allows the ec2:CreateSnapshot action” |
| Resource | EBS \`arn:aws:ec2:us-east-1:111111111111:volume/vol-0a1b2c3d4e5f67890\` |
| Job role | \`arn:aws:iam::111111111111:role/BackupRole-Ebs\` |
| Entity at fault | job-role |
| Policy | identity \`arn:aws:iam::111111111111:role/BackupRole-Ebs\`, no statement allows it |
| Action | \`ec2:CreateSnapshot\` |
| On resource | \`arn:aws:ec2:us-east-1:111111111111:volume/vol-0a1b2c3d4e5f67890\` |
| Created | 2026-11-20T02:00:00Z |

## Remediation

1. Add the missing action(s) ec2:CreateSnapshot to a policy of arn:aws:iam::111111111111:role/BackupRole-Ebs (statement below),
2. or attach arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup, which grants every action AWS Backup needs for EBS backup jobs.

\`\`\`json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowAwsBackupJobActions",
      "Effect": "Allow",
      "Action": "ec2:CreateSnapshot",
      "Resource": "arn:aws:ec2:us-east-1:111111111111:volume/vol-0a1b2c3d4e5f67890"
    }
  ]
}
\`\`\`

## Findings

| # | Check | Status | Finding |
|---|---|---|---|
| 1 | Job ended in a failed state | ✅ pass | The backup job ended FAILED. |
| 2 | Status message names a known cause | ✅ pass | The status message is an access denial for ec2:CreateSnapshot on arn:aws:ec2:us-east-1:111111111111:volume/vol-0a1b2c3d4e5f67890 (nothing allows in the identity policies); it points to IDENTITY_POLICY_MISSING_PERMISSION. |
| 3 | Job role exists | ✅ pass | The job role arn:aws:iam::111111111111:role/BackupRole-Ebs exists. |
| 4 | Job role trusts AWS Backup | ✅ pass | The trust policy of arn:aws:iam::111111111111:role/BackupRole-Ebs lets backup.amazonaws.com assume it (statement 0). |
| 5 | Job role identity policies allow every action the job needs | ❌ fail | No identity policy of arn:aws:iam::111111111111:role/BackupRole-Ebs allows ec2:CreateSnapshot on arn:aws:ec2:us-east-1:111111111111:volume/vol-0a1b2c3d4e5f67890; grant it (the AWS managed policy arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup does). |
| 6 | Job role may pass the instance profile role to EC2 | ⏭️ skipped | Not applicable to backup jobs. |
| 7 | Permissions boundary allows what the job needs | ✅ pass | The job role has no permissions boundary. |
| 8 | No resource-based policy on the resource denies the job role | ✅ pass | The status message names no resource-based policy denial. |
| 9 | Target backup vault exists | ✅ pass | The target vault arn:aws:backup:us-east-1:111111111111:backup-vault:prod-vault exists. |
| 10 | Vault access policies allow the job role | ✅ pass | The vault access policies allow the job role (arn:aws:backup:us-east-1:111111111111:backup-vault:prod-vault). |
| 11 | Service control policies allow what the job needs | ❔ unknown | Could not be evaluated: SCPs attached to r-ex12 (path of 111111111111) could not be read (AccessDeniedException on organizations:ListPoliciesForTarget). |
| 12 | Resource control policies do not deny the job role | ✅ pass | No RCP denies the job role on the resources it uses (1 RCP-governed calls checked). |
| 13 | KMS keys the job uses are enabled | ⏭️ skipped | Not applicable: the job uses no KMS key that could be read from its evidence. |
| 14 | Recovery point of a cross-account copy is not encrypted with an AWS managed key | ⏭️ skipped | Not applicable to backup jobs. |
| 15 | KMS key policies let the job's principals use the keys | ⏭️ skipped | Not evaluated: kms-key-state did not pass. |
| 16 | AWSServiceRoleForBackup exists where the job needs it | ⏭️ skipped | Not applicable: this job does not use the service-linked role. |
| 17 | Source and destination accounts are in the same organization | ⏭️ skipped | Not applicable to backup jobs. |
| 18 | Cross-account backup is enabled in the organization | ⏭️ skipped | Not applicable to backup jobs. |
| 19 | Recovery point exists and is usable | ⏭️ skipped | Not applicable to backup jobs. |
| 20 | Job retention is within the vault lock range | ⏭️ skipped | Not applicable: the target vault has no lock retention range. |
| 21 | Status message names no non-permission cause | ✅ pass | The status message names no non-permission cause. |

## Gaps

- **SCPs of root r-ex12 (above account 111111111111)**: AccessDeniedException on organizations:ListPoliciesForTarget

`
