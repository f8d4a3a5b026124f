/**
 * The job failed. AWS Backup job states (DescribeBackupJob / DescribeCopyJob /
 * DescribeRestoreJob, https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeBackupJob.html):
 * FAILED, EXPIRED, ABORTED and PARTIAL are failures and pass this check.
 * COMPLETED (also "completed with issues": COMPLETED with a MessageCategory other
 * than SUCCESS, or a status message) and CREATED/PENDING/RUNNING/ABORTING fail it
 * with JOB_NOT_FAILED; a job someone stopped fails it with STOPPED_BY_USER. A
 * failure of this check ends the diagnosis: verdict.ts never lets a later
 * finding override it.
 */
import { defineCheck } from '../define-check.js'

const IN_PROGRESS = new Set(['CREATED', 'PENDING', 'RUNNING', 'ABORTING'])

export default defineCheck({
  id: 'job-state',
  title: 'Job ended in a failed state',
  severity: 'critical',
  appliesTo: ['backup', 'restore', 'copy'],
  requires: ['job'],
  rootCauses: ['JOB_NOT_FAILED', 'STOPPED_BY_USER'],
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeBackupJob.html',
  messages: {
    failed: 'The {{jobType}} job ended {{state}}.',
    completed: 'The {{jobType}} job completed; it did not fail.',
    'completed-with-issues': 'The {{jobType}} job completed with issues ({{category}}): {{statusMessage}}',
    'in-progress': 'The {{jobType}} job is {{state}}; it has not failed (yet).',
    'stopped-by-user': 'The {{jobType}} job was stopped by a user ({{state}}).',
  },
  run({ job, hint }) {
    const state = job.state.toUpperCase()
    const data = { jobType: job.type, state, statusMessage: job.statusMessage, category: job.messageCategory }
    const none = { entity: 'none', policy: null, action: null, resource: job.resourceArn } as const
    if (hint.codes[0] === 'STOPPED_BY_USER' && hint.strength === 'strong' && !IN_PROGRESS.has(state) && state !== 'COMPLETED') {
      return { status: 'fail', messageId: 'stopped-by-user', data, cause: { code: 'STOPPED_BY_USER', ...none } }
    }
    if (state === 'COMPLETED') {
      const category = (job.messageCategory ?? '').toUpperCase()
      const withIssues = (category !== '' && category !== 'SUCCESS') || (job.statusMessage ?? '').trim() !== ''
      return {
        status: 'fail', messageId: withIssues ? 'completed-with-issues' : 'completed',
        data: { ...data, category: job.messageCategory ?? 'status message' },
        cause: { code: 'JOB_NOT_FAILED', ...none },
      }
    }
    if (IN_PROGRESS.has(state)) return { status: 'fail', messageId: 'in-progress', data, cause: { code: 'JOB_NOT_FAILED', ...none } }
    return { status: 'pass', messageId: 'failed', data }
  },
})
