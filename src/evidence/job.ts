/**
 * The job itself. Without a type the three describes run in parallel and the
 * one that answers wins (a job id belongs to exactly one kind). The three
 * output shapes are normalised into one `JobEvidence`, keeping the raw output.
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeBackupJob.html,
 *  API_DescribeCopyJob.html, API_DescribeRestoreJob.html)
 */
import {
  DescribeBackupJobCommand, DescribeCopyJobCommand, DescribeRestoreJobCommand,
  ListBackupJobsCommand, ListCopyJobsCommand, ListRestoreJobsCommand,
} from '@aws-sdk/client-backup'
import type { DescribeBackupJobCommandOutput, CopyJob, DescribeRestoreJobCommandOutput } from '@aws-sdk/client-backup'
import { AwsCallError } from '../aws/errors.js'
import { isAccountId } from '../validate.js'
import { parseVaultArn } from './arn.js'
import { backupCall } from './backup.js'
import type { Chain } from './flow.js'
import { badResponse, iso, plain } from './flow.js'
import type { JobEvidence, JobType } from './types.js'

export const JOB_TYPES: readonly JobType[] = ['backup', 'copy', 'restore']

const OPERATION: Record<JobType, string> = { backup: 'DescribeBackupJob', copy: 'DescribeCopyJob', restore: 'DescribeRestoreJob' }

function lifecycle(l: { DeleteAfterDays?: number | undefined; MoveToColdStorageAfterDays?: number | undefined } | undefined): JobEvidence['lifecycle'] {
  if (l === undefined) return null
  return { deleteAfterDays: l.DeleteAfterDays ?? null, moveToColdStorageAfterDays: l.MoveToColdStorageAfterDays ?? null }
}

export function normaliseBackupJob(o: Omit<DescribeBackupJobCommandOutput, '$metadata'>, accountId: string, region: string): JobEvidence {
  const vaultName = o.BackupVaultName ?? parseVaultArn(o.BackupVaultArn)?.name ?? null
  return {
    id: o.BackupJobId ?? '',
    type: 'backup',
    accountId: isAccountId(o.AccountId) ? o.AccountId : accountId,
    region,
    state: o.State ?? 'UNKNOWN',
    statusMessage: o.StatusMessage ?? null,
    messageCategory: o.MessageCategory ?? null,
    resourceType: o.ResourceType ?? null,
    resourceArn: o.ResourceArn ?? null,
    iamRoleArn: o.IamRoleArn ?? null,
    creationDate: iso(o.CreationDate),
    completionDate: iso(o.CompletionDate),
    backupVaultArn: o.BackupVaultArn ?? (vaultName ? `arn:aws:backup:${region}:${accountId}:backup-vault:${vaultName}` : null),
    backupVaultName: vaultName,
    destinationBackupVaultArn: null,
    recoveryPointArn: o.RecoveryPointArn ?? null,
    destinationRecoveryPointArn: null,
    createdResourceArn: null,
    lifecycle: lifecycle(o.RecoveryPointLifecycle),
    raw: plain(o) as Record<string, unknown>,
  }
}

export function normaliseCopyJob(o: CopyJob, accountId: string, region: string): JobEvidence {
  return {
    id: o.CopyJobId ?? '',
    type: 'copy',
    accountId: isAccountId(o.AccountId) ? o.AccountId : accountId,
    region,
    state: o.State ?? 'UNKNOWN',
    statusMessage: o.StatusMessage ?? null,
    messageCategory: o.MessageCategory ?? null,
    resourceType: o.ResourceType ?? null,
    resourceArn: o.ResourceArn ?? null,
    iamRoleArn: o.IamRoleArn ?? null,
    creationDate: iso(o.CreationDate),
    completionDate: iso(o.CompletionDate),
    backupVaultArn: o.SourceBackupVaultArn ?? null,
    backupVaultName: parseVaultArn(o.SourceBackupVaultArn)?.name ?? null,
    destinationBackupVaultArn: o.DestinationBackupVaultArn ?? null,
    recoveryPointArn: o.SourceRecoveryPointArn ?? null,
    destinationRecoveryPointArn: o.DestinationRecoveryPointArn ?? null,
    createdResourceArn: null,
    lifecycle: lifecycle(o.DestinationRecoveryPointLifecycle),
    raw: plain(o) as Record<string, unknown>,
  }
}

export function normaliseRestoreJob(o: Omit<DescribeRestoreJobCommandOutput, '$metadata'>, accountId: string, region: string): JobEvidence {
  return {
    id: o.RestoreJobId ?? '',
    type: 'restore',
    accountId: isAccountId(o.AccountId) ? o.AccountId : accountId,
    region,
    state: o.Status ?? 'UNKNOWN',
    statusMessage: o.StatusMessage ?? null,
    messageCategory: null,
    resourceType: o.ResourceType ?? null,
    resourceArn: o.SourceResourceArn ?? null,
    iamRoleArn: o.IamRoleArn ?? null,
    creationDate: iso(o.CreationDate),
    completionDate: iso(o.CompletionDate),
    backupVaultArn: o.BackupVaultArn ?? null,
    backupVaultName: parseVaultArn(o.BackupVaultArn)?.name ?? null,
    destinationBackupVaultArn: null,
    recoveryPointArn: o.RecoveryPointArn ?? null,
    destinationRecoveryPointArn: null,
    createdResourceArn: o.CreatedResourceArn ?? null,
    lifecycle: null,
    raw: plain(o) as Record<string, unknown>,
  }
}

/** One describe: the job, or an AwsCallError (never cached: a job's state is what is being diagnosed). */
export async function describeJob(c: Chain, type: JobType, jobId: string, accountId: string, region: string): Promise<JobEvidence> {
  const op = OPERATION[type]
  switch (type) {
    case 'backup': {
      const o = await backupCall(c, accountId, region, op, (cl) => cl.send(new DescribeBackupJobCommand({ BackupJobId: jobId })))
      if (!o.BackupJobId) throw badResponse({ service: 'backup', operation: op }, 'no BackupJobId in the answer')
      return normaliseBackupJob(o, accountId, region)
    }
    case 'copy': {
      const o = await backupCall(c, accountId, region, op, (cl) => cl.send(new DescribeCopyJobCommand({ CopyJobId: jobId })))
      if (!o.CopyJob?.CopyJobId) throw badResponse({ service: 'backup', operation: op }, 'no CopyJob in the answer')
      return normaliseCopyJob(o.CopyJob, accountId, region)
    }
    case 'restore': {
      const o = await backupCall(c, accountId, region, op, (cl) => cl.send(new DescribeRestoreJobCommand({ RestoreJobId: jobId })))
      if (!o.RestoreJobId) throw badResponse({ service: 'backup', operation: op }, 'no RestoreJobId in the answer')
      return normaliseRestoreJob(o, accountId, region)
    }
  }
}

export type FindOutcome =
  | { kind: 'found'; job: JobEvidence }
  | { kind: 'not-found' }
  | { kind: 'failed'; errors: AwsCallError[] }

/**
 * Describes the id as each candidate type in parallel. `found` as soon as one
 * answers; `not-found` when every describe said not-found (or rejected the id
 * as invalid for its kind); otherwise `failed` with the errors.
 */
export async function findJob(c: Chain, jobId: string, types: readonly JobType[], accountId: string, region: string): Promise<FindOutcome> {
  const forks = types.map(() => c.fork())
  const attempts = types.map((t, i) => describeJob(forks[i]!, t, jobId, accountId, region))
  // The first answer wins; the other describes (their not-found answers, slower to read) are
  // not waited for: they finish beside the rest of the collection, which awaits every call.
  const first = await Promise.any(attempts.map((p, i) => p.then((job) => ({ job, i })))).catch(() => null)
  if (first !== null) {
    c.join(forks[first.i]!)
    return { kind: 'found', job: first.job }
  }
  const settled = await Promise.allSettled(attempts)
  c.join(...forks)
  const errors: AwsCallError[] = []
  for (const s of settled) {
    if (s.status === 'rejected') errors.push(AwsCallError.from(s.reason, { service: 'backup', operation: 'Describe' }))
  }
  if (errors.every((e) => e.errorClass === 'not-found' || e.errorClass === 'invalid')) return { kind: 'not-found' }
  return { kind: 'failed', errors }
}

/** Pages listed per type in the organization-wide search: 1000 jobs a page. */
const MAX_LIST_PAGES = 20

/**
 * From a management account: find which member account holds a job id, by
 * listing the organization's jobs (`ByAccountId: '*'`, 30 days of history)
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListBackupJobs.html).
 * Returns the account id, or null.
 */
export async function findJobAccountOrgWide(c: Chain, jobId: string, types: readonly JobType[], mgmt: string, region: string): Promise<{ accountId: string; type: JobType } | null> {
  const want = jobId.toLowerCase()
  const forks = types.map(() => c.fork())
  const results = await Promise.all(types.map(async (type, i) => {
    const f = forks[i]!
    let token: string | undefined
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const common = { ByAccountId: '*', MaxResults: 1000, ...(token ? { NextToken: token } : {}) }
      let found: string | undefined
      let next: string | undefined
      if (type === 'backup') {
        const o = await backupCall(f, mgmt, region, 'ListBackupJobs', (cl) => cl.send(new ListBackupJobsCommand(common)))
        found = o.BackupJobs?.find((j) => j.BackupJobId?.toLowerCase() === want)?.AccountId
        next = o.NextToken
      } else if (type === 'copy') {
        const o = await backupCall(f, mgmt, region, 'ListCopyJobs', (cl) => cl.send(new ListCopyJobsCommand(common)))
        found = o.CopyJobs?.find((j) => j.CopyJobId?.toLowerCase() === want)?.AccountId
        next = o.NextToken
      } else {
        const o = await backupCall(f, mgmt, region, 'ListRestoreJobs', (cl) => cl.send(new ListRestoreJobsCommand(common)))
        found = o.RestoreJobs?.find((j) => j.RestoreJobId?.toLowerCase() === want)?.AccountId
        next = o.NextToken
      }
      if (isAccountId(found)) return { accountId: found, type }
      if (!next) return null
      token = next
    }
    return null
  }).map((p) => p.catch(() => null)))
  c.join(...forks)
  return results.find((r) => r !== null) ?? null
}
