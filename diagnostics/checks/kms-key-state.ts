/**
 * Every KMS key the job uses is usable: it exists (DescribeKey did not answer
 * NotFound) and its KeyState is Enabled. Keys: the recovery point's key
 * (restore, copy), the target vault's key (a backup of a type AWS Backup encrypts
 * itself — EFS, S3, DynamoDB...; EBS/RDS/... backups keep their source's key, see
 * lib/evidence.ts `backupUsesVaultKey`) and the destination vault's key (copy). Fail: a key is missing, disabled, pending deletion or import, or
 * unavailable → KMS_KEY_UNUSABLE (AWS KMS "Key states",
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html).
 */
import { defineCheck } from '../define-check.js'
import { keyUses } from '../lib/evidence.js'

export default defineCheck({
  id: 'kms-key-state',
  title: 'KMS keys the job uses are enabled',
  severity: 'high',
  appliesTo: ['backup', 'restore', 'copy'],
  requires: ['job', 'keys'],
  skipUnless: (e, job) => (keyUses(e, job).length > 0 ? null : 'the job uses no KMS key that could be read from its evidence'),
  rootCauses: ['KMS_KEY_UNUSABLE'],
  docs: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html',
  messages: {
    usable: 'Every KMS key the job uses is enabled ({{keys}}).',
    missing: 'The KMS key {{keyArn}} ({{use}}) does not exist.',
    'not-enabled': 'The KMS key {{keyArn}} ({{use}}) is {{keyState}}; enable it or cancel its deletion.',
    'not-collected': 'The KMS key {{keyArn}} ({{use}}) was not read.',
  },
  run({ evidence, job }) {
    const uses = keyUses(evidence, job)
    for (const use of uses) {
      const data = { keyArn: use.keyArn, use: use.role }
      const policy = { kind: 'kms-key', id: use.keyArn, statement: null } as const
      if (use.key === null || use.key.state === 'not-collected') return { status: 'warn', messageId: 'not-collected', data }
      if (use.key.state === 'absent') {
        return { status: 'fail', messageId: 'missing', data, cause: { code: 'KMS_KEY_UNUSABLE', entity: 'none', policy, action: null, resource: use.keyArn } }
      }
      if (use.key.state !== 'read') continue
      const k = use.key.value
      const state = k.keyState ?? (k.enabled === false ? 'Disabled' : 'Enabled')
      if (state !== 'Enabled' || k.enabled === false) {
        return {
          status: 'fail', messageId: 'not-enabled', data: { ...data, keyState: state },
          cause: { code: 'KMS_KEY_UNUSABLE', entity: 'none', policy: { ...policy, id: k.arn }, action: null, resource: k.arn },
        }
      }
    }
    return { status: 'pass', messageId: 'usable', data: { keys: uses.map((u) => u.keyArn) } }
  },
})
