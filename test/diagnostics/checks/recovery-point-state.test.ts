import t from 'tap'
import check from '../../../diagnostics/checks/recovery-point-state.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { SNAPSHOT_RP, aCopyEvidence, aRecoveryPoint, absent, read } from '../../helpers/evidence-builders.js'

runCheckCases(t, check, [
  { name: 'completed', evidence: aCopyEvidence(), status: 'pass', messageId: 'usable' },
  { name: 'expired', evidence: aCopyEvidence({ recoveryPoint: read(aRecoveryPoint({ status: 'EXPIRED' })) }), status: 'fail', messageId: 'unusable', code: 'RECOVERY_POINT_UNAVAILABLE', entity: 'none', resource: SNAPSHOT_RP, data: { status: 'EXPIRED' }, verdict: 'RECOVERY_POINT_UNAVAILABLE' },
  { name: 'deleted', evidence: aCopyEvidence({ recoveryPoint: absent('ResourceNotFoundException') }), status: 'fail', messageId: 'missing', code: 'RECOVERY_POINT_UNAVAILABLE' },
  { name: 'no status reported', evidence: aCopyEvidence({ recoveryPoint: read(aRecoveryPoint({ status: null })) }), status: 'pass', messageId: 'status-unknown' },
])
