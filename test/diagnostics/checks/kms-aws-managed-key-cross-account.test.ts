import t from 'tap'
import check from '../../../diagnostics/checks/kms-aws-managed-key-cross-account.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, aCopyEvidence, aKey, aRecoveryPoint, aVault, doc, keyArn, read, vaultArn, withJob } from '../../helpers/evidence-builders.js'

const AWS_KEY_ID = '3c4d5e6f-3333-4c4c-8d8d-0e0e0e0e0e03'
const AWS_KEY = keyArn(AWS_KEY_ID)
const awsManaged = aKey({
  id: AWS_KEY_ID, keyManager: 'AWS', aliases: read(['alias/aws/ebs']),
  policy: read(doc({ Sid: 'Allow access through ebs', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt', 'kms:CreateGrant', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': ACCT, 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } } })),
})
const base = aCopyEvidence()
const withAwsKey = aCopyEvidence({ recoveryPoint: read(aRecoveryPoint({ encryptionKeyArn: AWS_KEY })), keys: { ...base.keys, [AWS_KEY]: read(awsManaged) } })

runCheckCases(t, check, [
  { name: 'customer managed key', evidence: aCopyEvidence(), status: 'pass', messageId: 'customer-managed' },
  {
    name: 'aws/ebs key', evidence: withAwsKey, status: 'fail', messageId: 'aws-managed', code: 'KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT', entity: 'none',
    policy: { kind: 'kms-key', id: AWS_KEY }, data: { alias: 'alias/aws/ebs' }, verdict: 'KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT',
  },
  { name: 'same-account copy is not concerned', evidence: withJob({ ...withAwsKey, destinationVault: read(aVault({ name: 'dr' })) }, { destinationBackupVaultArn: vaultArn('dr') }), status: 'skipped' },
])
