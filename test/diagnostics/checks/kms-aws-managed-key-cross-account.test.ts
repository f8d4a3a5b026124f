import t from 'tap'
import check from '../../../diagnostics/checks/kms-aws-managed-key-cross-account.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, DEST, aCopyEvidence, aKey, aRecoveryPoint, aVault, doc, keyArn, read, vaultArn, withJob } from '../../helpers/evidence-builders.js'

const AWS_KEY_ID = '3c4d5e6f-3333-4c4c-8d8d-0e0e0e0e0e03'
const AWS_KEY = keyArn(AWS_KEY_ID)
const awsManaged = aKey({
  id: AWS_KEY_ID, keyManager: 'AWS', aliases: read(['alias/aws/ebs']),
  policy: read(doc({ Sid: 'Allow access through ebs', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt', 'kms:CreateGrant', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': ACCT, 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } } })),
})
const base = aCopyEvidence()
const withAwsKey = aCopyEvidence({ recoveryPoint: read(aRecoveryPoint({ encryptionKeyArn: AWS_KEY })), keys: { ...base.keys, [AWS_KEY]: read(awsManaged) } })

// The destination vault encrypted with the destination account's aws/backup key (ABK-033).
const DEST_AWS_KEY_ID = '5e6f7081-5555-4e5e-8f8f-101010101005'
const DEST_AWS_KEY = keyArn(DEST_AWS_KEY_ID, DEST)
const destAwsBackup = (resource: { resourceType: string; resourceArn: string } | null) => {
  const key = aKey({ id: DEST_AWS_KEY_ID, account: DEST, accountId: DEST, keyManager: 'AWS', aliases: read(['alias/aws/backup']) })
  const e = aCopyEvidence({
    destinationVault: read(aVault({ name: 'central-vault', account: DEST, accountId: DEST, encryptionKeyArn: DEST_AWS_KEY })),
    keys: { ...base.keys, [DEST_AWS_KEY]: read(key) },
  })
  return resource ? withJob(e, resource) : e
}

runCheckCases(t, check, [
  { name: 'customer managed key', evidence: aCopyEvidence(), status: 'pass', messageId: 'customer-managed' },
  {
    name: 'aws/ebs key', evidence: withAwsKey, status: 'fail', messageId: 'aws-managed', code: 'KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT', entity: 'none',
    policy: { kind: 'kms-key', id: AWS_KEY }, data: { alias: 'alias/aws/ebs' }, verdict: 'KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT',
  },
  {
    name: 'EBS copy into a destination vault encrypted with aws/backup', evidence: destAwsBackup(null), status: 'fail', messageId: 'destination-aws-managed',
    code: 'KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT', entity: 'none', policy: { kind: 'kms-key', id: DEST_AWS_KEY }, data: { alias: 'alias/aws/backup' },
  },
  {
    name: 'EFS copy into a destination vault encrypted with aws/backup (AWS Backup encrypts EFS itself)',
    evidence: destAwsBackup({ resourceType: 'EFS', resourceArn: `arn:aws:elasticfilesystem:us-east-1:${ACCT}:file-system/fs-1` }), status: 'pass', messageId: 'customer-managed',
  },
  { name: 'same-account copy is not concerned', evidence: withJob({ ...withAwsKey, destinationVault: read(aVault({ name: 'dr' })) }, { destinationBackupVaultArn: vaultArn('dr') }), status: 'skipped' },
])
