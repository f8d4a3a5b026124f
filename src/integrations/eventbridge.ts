/**
 * AWS Backup job state change events as an EventBridge API destination sends them.
 *
 * Shapes from the AWS Backup developer guide, "Monitoring AWS Backup events
 * using Amazon EventBridge" (docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html),
 * checked in ../shared/notes/event-formats.md:
 *  - `detail-type` "Backup Job State Change" / "Copy Job State Change" /
 *    "Restore Job State Change"; other AWS Backup detail-types are acknowledged
 *    and ignored;
 *  - the job id is `detail.backupJobId` / `copyJobId` / `restoreJobId`; account and
 *    region are the envelope's `account` and `region` (`resources` never holds the job);
 *  - backup and copy events carry `detail.state`, restore events `detail.status`
 *    (AWS's own restore example uses `state`): both are read.
 * AWS's examples are not clean data (13-digit accounts, missing ids on CREATED
 * events...): everything is validated, and a malformed event is a 400, never a 5xx.
 */
import type { JobType } from '../evidence/types.js'
import { isAccountId, isJobId, isRegion } from '../validate.js'

/** States worth a diagnosis. Backup: FAILED, ABORTED, EXPIRED; copy: FAILED; restore: FAILED, ABORTED. */
export const FAILURE_STATES: ReadonlySet<string> = new Set(['FAILED', 'ABORTED', 'EXPIRED'])

export interface FailedJobRef {
  jobId: string
  jobType: JobType
  accountId: string
  region: string
}

export type EventDecision =
  | { kind: 'diagnose'; eventId: string; ref: FailedJobRef; state: string }
  | { kind: 'ignore'; eventId: string | null; reason: string }
  | { kind: 'malformed'; detail: string }

const DETAIL_TYPES: Readonly<Record<string, { jobType: JobType; idField: string }>> = {
  'Backup Job State Change': { jobType: 'backup', idField: 'backupJobId' },
  'Copy Job State Change': { jobType: 'copy', idField: 'copyJobId' },
  'Restore Job State Change': { jobType: 'restore', idField: 'restoreJobId' },
}

const EVENT_ID = /^[\x21-\x7e]{1,256}$/

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** True when the body looks like an EventBridge event envelope (as opposed to an SNS message). */
export function looksLikeEventBridge(body: unknown): boolean {
  return isRecord(body) && 'detail-type' in body
}

export function decideEventBridge(body: unknown): EventDecision {
  if (!isRecord(body)) return { kind: 'malformed', detail: 'The event must be a JSON object.' }
  const id = body['id']
  const detailType = body['detail-type']
  const source = body['source']
  if (typeof id !== 'string' || !EVENT_ID.test(id)) return { kind: 'malformed', detail: 'The event has no valid `id`.' }
  if (typeof detailType !== 'string') return { kind: 'malformed', detail: 'The event has no `detail-type`.' }
  if (typeof source !== 'string') return { kind: 'malformed', detail: 'The event has no `source`.' }
  if (source !== 'aws.backup') return { kind: 'ignore', eventId: id, reason: 'not an AWS Backup event' }
  const spec = DETAIL_TYPES[detailType]
  if (spec === undefined) return { kind: 'ignore', eventId: id, reason: 'not a job state change' }
  const detail = body['detail']
  if (!isRecord(detail)) return { kind: 'malformed', detail: 'The event has no `detail` object.' }
  const state = typeof detail['state'] === 'string' ? detail['state'] : detail['status']
  if (typeof state !== 'string' || state === '') return { kind: 'malformed', detail: 'The job state change has no `detail.state` or `detail.status`.' }
  const upper = state.toUpperCase()
  if (!FAILURE_STATES.has(upper)) return { kind: 'ignore', eventId: id, reason: `state ${upper.slice(0, 20)} is not a failure` }
  const jobId = detail[spec.idField]
  if (!isJobId(jobId)) return { kind: 'malformed', detail: `The event has no valid \`detail.${spec.idField}\`.` }
  const account = body['account']
  if (!isAccountId(account)) return { kind: 'malformed', detail: 'The event `account` must be a 12-digit AWS account id.' }
  const region = body['region']
  if (!isRegion(region)) return { kind: 'malformed', detail: 'The event `region` is not an AWS region name.' }
  return { kind: 'diagnose', eventId: id, state: upper, ref: { jobId, jobType: spec.jobType, accountId: account, region } }
}
