import t from 'tap'
import check from '../../../diagnostics/checks/job-state.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { anEvidence } from '../../helpers/evidence-builders.js'

runCheckCases(t, check, [
  { name: 'FAILED passes', evidence: anEvidence(), status: 'pass', messageId: 'failed', data: { state: 'FAILED' } },
  { name: 'EXPIRED is a failure', evidence: anEvidence({}, { state: 'EXPIRED' }), status: 'pass', messageId: 'failed' },
  { name: 'ABORTED without a stop is a failure', evidence: anEvidence({}, { state: 'ABORTED' }), status: 'pass', messageId: 'failed' },
  { name: 'COMPLETED', evidence: anEvidence({}, { state: 'COMPLETED' }), status: 'fail', messageId: 'completed', code: 'JOB_NOT_FAILED', entity: 'none', verdict: 'JOB_NOT_FAILED' },
  {
    name: 'COMPLETED with issues', evidence: anEvidence({}, { state: 'COMPLETED', messageCategory: 'VSS_ERROR', statusMessage: 'Windows VSS Backup Job Error encountered, trying for regular backup' }),
    status: 'fail', messageId: 'completed-with-issues', code: 'JOB_NOT_FAILED', data: { category: 'VSS_ERROR' }, verdict: 'JOB_NOT_FAILED',
  },
  { name: 'RUNNING', evidence: anEvidence({}, { state: 'RUNNING' }), status: 'fail', messageId: 'in-progress', code: 'JOB_NOT_FAILED' },
  {
    name: 'stopped by user', evidence: anEvidence({}, { state: 'ABORTED', statusMessage: 'Backup job was stopped by user.' }),
    status: 'fail', messageId: 'stopped-by-user', code: 'STOPPED_BY_USER', entity: 'none', verdict: 'STOPPED_BY_USER',
  },
])
