/**
 * A cross-account copy's recovery point is not encrypted with an AWS managed key
 * (aws/ebs, aws/rds, ...): AWS managed keys cannot be shared with another
 * account, so the destination account can never use them ("Creating backup
 * copies across AWS accounts", https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html:
 * "resources encrypted with an AWS managed key cannot be copied across accounts").
 * The same holds for the destination vault of a cross-account copy of a type
 * AWS Backup does not encrypt itself (EBS, EC2, RDS, ...): the copy is encrypted
 * with the destination vault's key, and "for cross-account copies to complete
 * successfully for a data source that does not support AWS Backup encryption, it
 * is necessary to encrypt both the data source and the destination backup vault
 * with a customer managed AWS KMS key" (AWS Storage Blog, "How encryption works
 * in AWS Backup"; ABK-033: "the destination Backup vault is encrypted with the
 * default Backup service managed key").
 * Fail → KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT with policy.id = that key's ARN.
 */
import { defineCheck } from '../define-check.js'
import { isAwsManagedKey, keepsSourceEncryption, keyUses, skipUnlessCrossAccountCopy, valueOf } from '../lib/evidence.js'

export default defineCheck({
  id: 'kms-aws-managed-key-cross-account',
  title: 'Recovery point of a cross-account copy is not encrypted with an AWS managed key',
  severity: 'high',
  appliesTo: ['copy'],
  requires: ['job', 'keys'],
  skipUnless: skipUnlessCrossAccountCopy,
  rootCauses: ['KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT'],
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html',
  messages: {
    'customer-managed': 'The recovery point is encrypted with the customer managed key {{keyArn}}, which can be shared.',
    unencrypted: 'The recovery point carries no KMS key of its own.',
    'aws-managed': 'The recovery point is encrypted with the AWS managed key {{keyArn}} ({{alias}}), which cannot be shared with account {{destinationAccount}}; back it up with a customer managed key instead.',
    'destination-aws-managed': 'The destination vault {{vaultArn}} is encrypted with the AWS managed key {{keyArn}} ({{alias}}); a {{resourceType}} copy across accounts is encrypted with the destination vault\'s key, which must be a customer managed key.',
  },
  run({ evidence, job }) {
    const uses = keyUses(evidence, job)
    const use = uses.find((u) => u.role === 'recovery-point')
    const key = use?.key ? valueOf(use.key) : null
    const dest = uses.find((u) => u.role === 'destination-vault')
    const destKey = dest?.key ? valueOf(dest.key) : null
    if ((!key || !isAwsManagedKey(key)) && destKey && isAwsManagedKey(destKey) && keepsSourceEncryption(job)) {
      const alias = (valueOf(destKey.aliases) ?? []).find((a) => a.startsWith('alias/aws/')) ?? 'AWS managed'
      return {
        status: 'fail', messageId: 'destination-aws-managed',
        data: { keyArn: destKey.arn, alias, vaultArn: job.destinationBackupVaultArn, resourceType: job.resourceType },
        cause: { code: 'KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT', entity: 'none', policy: { kind: 'kms-key', id: destKey.arn, statement: null }, action: null, resource: destKey.arn },
        remediation: {
          steps: [`Copy into a vault of account ${destKey.accountId} encrypted with a customer managed key (a vault's key cannot be changed: create a new vault), and point the copy rule at it.`],
          policySnippet: null,
        },
      }
    }
    if (!use || !key) return { status: 'pass', messageId: 'unencrypted', data: {} }
    if (!isAwsManagedKey(key)) return { status: 'pass', messageId: 'customer-managed', data: { keyArn: key.arn } }
    const alias = (valueOf(key.aliases) ?? []).find((a) => a.startsWith('alias/aws/')) ?? 'AWS managed'
    return {
      status: 'fail', messageId: 'aws-managed',
      data: { keyArn: key.arn, alias, destinationAccount: job.destinationBackupVaultArn?.split(':')[4] ?? null },
      cause: {
        code: 'KMS_AWS_MANAGED_KEY_CROSS_ACCOUNT', entity: 'none',
        policy: { kind: 'kms-key', id: key.arn, statement: null }, action: null, resource: key.arn,
      },
      remediation: {
        steps: [
          'AWS managed keys cannot be shared: encrypt the resource (or its backups, for fully managed resource types) with a customer managed key whose key policy allows the destination account.',
          'For existing recovery points: copy them within the source account into a vault encrypted with a customer managed key, then copy that copy across accounts.',
        ],
        policySnippet: null,
      },
    }
  },
})
