/**
 * The recovery point a restore or copy reads exists and is COMPLETED
 * (DescribeRecoveryPoint Status: COMPLETED | PARTIAL | DELETING | EXPIRED |
 * AVAILABLE | STOPPED | CREATING, https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRecoveryPoint.html).
 * Fail: not found, or in a state that cannot be read → RECOVERY_POINT_UNAVAILABLE.
 */
import { defineCheck } from '../define-check.js'

const USABLE = new Set(['COMPLETED', 'AVAILABLE'])

export default defineCheck({
  id: 'recovery-point-state',
  title: 'Recovery point exists and is usable',
  severity: 'high',
  appliesTo: ['restore', 'copy'],
  requires: ['job', 'recoveryPoint'],
  rootCauses: ['RECOVERY_POINT_UNAVAILABLE'],
  passesWithoutEvidence: ['status-unknown'],
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRecoveryPoint.html',
  messages: {
    usable: 'The recovery point {{recoveryPointArn}} is {{status}}.',
    'status-unknown': 'The recovery point {{recoveryPointArn}} exists (no status reported).',
    'not-collected': 'The recovery point was not read: {{reason}}.',
    missing: 'The recovery point {{recoveryPointArn}} no longer exists; pick another recovery point.',
    unusable: 'The recovery point {{recoveryPointArn}} is {{status}}; only a COMPLETED recovery point can be restored or copied.',
  },
  run({ evidence, job }) {
    const rp = evidence.recoveryPoint
    const recoveryPointArn = job.recoveryPointArn ?? 'of the job'
    const cause = { code: 'RECOVERY_POINT_UNAVAILABLE', entity: 'none', policy: null, action: null, resource: job.recoveryPointArn } as const
    if (rp.state === 'absent') return { status: 'fail', messageId: 'missing', data: { recoveryPointArn }, cause }
    if (rp.state !== 'read') return { status: 'warn', messageId: 'not-collected', data: { reason: rp.state === 'not-collected' ? rp.reason : rp.error } }
    const status = rp.value.status?.toUpperCase() ?? null
    if (status === null) return { status: 'pass', messageId: 'status-unknown', data: { recoveryPointArn } }
    if (USABLE.has(status)) return { status: 'pass', messageId: 'usable', data: { recoveryPointArn, status } }
    return { status: 'fail', messageId: 'unusable', data: { recoveryPointArn, status }, cause }
  },
})
