/**
 * Fleet triage: every failed, aborted or expired backup, copy and restore job
 * in scope, each diagnosed, grouped by root cause.
 *
 * Listing uses ListBackupJobs / ListCopyJobs / ListRestoreJobs with ByState
 * (ByStatus for restores) and ByCreatedAfter. Only the states each API has are
 * asked for (AWS Backup API reference: backup jobs can be FAILED, ABORTED or
 * EXPIRED; copy jobs FAILED; restore jobs FAILED or ABORTED). Without an
 * account the listing is organization-wide: from the management account,
 * ByAccountId `*` returns the jobs of every member account (ListBackupJobs,
 * "ByAccountId ... Use the value ANY to return job statuses for all accounts
 * in your organization" — `*` works too, see ../shared/notes/aws-wire-facts.md).
 * Where AWS refuses `*` (not the management account or a delegated
 * administrator), that API lists the service's own account instead and the
 * page says so (`warnings`, and `scope: account` when no API listed org-wide).
 *
 * Pages: the listing (not the diagnoses) is taken once per query and kept for a
 * minute; `nextToken` is an opaque offset into it bound to the query. Only the
 * jobs of the requested page are diagnosed, with bounded concurrency, all
 * through the one DiagnosisService and so the one AwsContext, whose caches make
 * a hundred jobs sharing a role read that role once.
 */
import { createHash } from 'node:crypto'
import { ListBackupJobsCommand, ListCopyJobsCommand, ListRestoreJobsCommand, type BackupJobState, type CopyJobState, type RestoreJobStatus } from '@aws-sdk/client-backup'
import { LRUCache } from 'lru-cache'
import type { Confidence, Entity, JobSummary, PolicyPointer } from '../../diagnostics/types.js'
import { AppError } from '../errors.js'
import type { JobType } from '../evidence/types.js'
import { isAccountId, isRegion } from '../validate.js'
import { mapLimit } from './concurrency.js'
import { problemOf } from './failure-notifier.js'
import type { DiagnosisServiceLike, FleetAwsContext } from './types.js'

export type FailureState = 'FAILED' | 'ABORTED' | 'EXPIRED'
export const ALL_FAILURE_STATES: readonly FailureState[] = ['FAILED', 'ABORTED', 'EXPIRED']

const STATES_BY_TYPE: Readonly<Record<JobType, readonly FailureState[]>> = {
  backup: ['FAILED', 'ABORTED', 'EXPIRED'],
  copy: ['FAILED'],
  restore: ['FAILED', 'ABORTED'],
}

export interface FleetQuery {
  since?: string
  accountId?: string
  region?: string
  states?: readonly FailureState[]
  limit?: number
  nextToken?: string
}

/** A listed job: the same summary a diagnosis carries. */
export type ListedJob = JobSummary

export interface TriagedJob {
  job: ListedJob
  rootCause: { code: string; entity: Entity; summary: string; policy: PolicyPointer | null; action: string | null } | null
  confidence: Confidence | null
  /** Set when the job could not be diagnosed (e.g. AWS throttled past retries). */
  error: { code: string; detail: string } | null
}

export interface FailedJobsPage {
  scope: 'organization' | 'account'
  accountId: string
  region: string
  states: FailureState[]
  since: string | null
  /** Jobs in the whole listing (every page). */
  total: number
  /** True when the listing stopped at `maxListed` jobs. */
  truncated: boolean
  /** What the listing could not cover (e.g. AWS refused an organization-wide listing for one API). */
  warnings: string[]
  jobs: TriagedJob[]
  /** Root causes of this page's jobs, most frequent first. */
  groups: Array<{ code: string; count: number; jobIds: string[] }>
  /** Jobs of this page that could not be diagnosed, by error code. */
  undiagnosed: Array<{ code: string; count: number; jobIds: string[] }>
  nextToken: string | null
}

export interface FleetTriageOptions {
  aws: FleetAwsContext
  diagnosis: DiagnosisServiceLike
  defaultRegion: string
  concurrency?: number
  listingTtlMs?: number
  /** Safety bound on one listing. */
  maxListed?: number
}

interface Listing {
  scope: 'organization' | 'account'
  accountId: string
  jobs: ListedJob[]
  truncated: boolean
  warnings: string[]
}

const iso = (d: Date | undefined): string | null => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : null)

export class FleetTriage {
  private readonly opts: Required<FleetTriageOptions>
  private readonly listings: LRUCache<string, Promise<Listing>>

  constructor(opts: FleetTriageOptions) {
    this.opts = { concurrency: 4, listingTtlMs: 60_000, maxListed: 5000, ...opts }
    // At most 16 listings of at most `maxListed` jobs (~0.5 KB each) are kept: bounded memory.
    this.listings = new LRUCache({ max: 16, ttl: this.opts.listingTtlMs })
  }

  async list(q: FleetQuery): Promise<FailedJobsPage> {
    const region = q.region ?? this.opts.defaultRegion
    if (!isRegion(region)) throw new AppError('BAD_REQUEST', 'region is not an AWS region name')
    if (q.accountId !== undefined && !isAccountId(q.accountId)) throw new AppError('BAD_REQUEST', 'accountId must be 12 digits')
    const states = [...new Set(q.states && q.states.length > 0 ? q.states : ALL_FAILURE_STATES)].sort() as FailureState[]
    const since = q.since === undefined ? null : parseSince(q.since)
    const limit = q.limit ?? 20
    const key = createHash('sha256')
      .update(JSON.stringify([region, q.accountId ?? '*', states, since]))
      .digest('base64url')
      .slice(0, 16)
    const offset = q.nextToken === undefined ? 0 : decodeToken(q.nextToken, key)

    let pending = this.listings.get(key)
    if (!pending) {
      pending = this.listAll(region, q.accountId, states, since)
      this.listings.set(key, pending)
      pending.catch(() => this.listings.delete(key))
    }
    let listing: Listing
    try {
      listing = await pending
    } catch (err) {
      throw toAppError(err, 'ListBackupJobs')
    }
    const pageJobs = listing.jobs.slice(offset, offset + limit)
    const jobs = await mapLimit(pageJobs, this.opts.concurrency, (job) => this.triage(job))
    const next = offset + limit < listing.jobs.length ? encodeToken(key, offset + limit) : null
    return {
      scope: listing.scope,
      accountId: listing.accountId,
      region,
      states,
      since,
      total: listing.jobs.length,
      truncated: listing.truncated,
      warnings: listing.warnings,
      jobs,
      groups: group(jobs.filter((j) => j.rootCause !== null).map((j) => [j.rootCause?.code as string, j.job.id])),
      undiagnosed: group(jobs.filter((j) => j.error !== null).map((j) => [j.error?.code as string, j.job.id])),
      nextToken: next,
    }
  }

  private async triage(job: ListedJob): Promise<TriagedJob> {
    try {
      const { diagnosis } = await this.opts.diagnosis.diagnose({ jobId: job.id, jobType: job.type, accountId: job.accountId, region: job.region })
      const rc = diagnosis.rootCause
      return {
        job,
        rootCause: { code: rc.code, entity: rc.entity, summary: rc.summary, policy: rc.policy, action: rc.action },
        confidence: diagnosis.confidence,
        error: null,
      }
    } catch (err) {
      return { job, rootCause: null, confidence: null, error: problemOf(err) }
    }
  }

  private async listAll(region: string, accountId: string | undefined, states: FailureState[], since: string | null): Promise<Listing> {
    const own = (await this.opts.aws.serviceIdentity()).accountId
    const orgWide = accountId === undefined
    const target = accountId ?? own
    const client = await this.opts.aws.backup(target, region)
    const after = since === null ? undefined : new Date(since)
    const max = this.opts.maxListed
    let truncated = false
    let streams = 0
    let fellBack = 0
    const warnings = new Set<string>()

    const collect = async <P>(operation: string, byAccount: '*' | undefined, page: Page<P>): Promise<P[]> => {
      const out: P[] = []
      let token: string | undefined
      do {
        const res = await this.opts.aws.call({ service: 'backup', operation, accountId: target, region }, () => page(byAccount, token))
        out.push(...res.items)
        token = res.next
        if (out.length >= max) {
          truncated = token !== undefined || out.length > max
          break
        }
      } while (token)
      return out
    }

    // One stream per (API, state). Org-wide, each asks for ByAccountId `*`; when AWS
    // refuses it (not the management account or a delegated administrator, or an
    // API that does not take `*`), that stream lists the service's own account and
    // the page says so in `warnings`.
    const run = async <P>(operation: string, page: Page<P>): Promise<P[]> => {
      streams++
      try {
        if (!orgWide) return await collect(operation, undefined, page)
        try {
          return await collect(operation, '*', page)
        } catch (err) {
          const e = err as { errorClass?: string; errorName?: string; name?: string }
          if (e.errorClass !== 'access-denied' && e.errorClass !== 'invalid') throw err
          fellBack++
          warnings.add(`${operation}: AWS refused ByAccountId=* (${e.errorName ?? e.name ?? 'error'}); only account ${own} is listed`)
          return await collect(operation, undefined, page)
        }
      } catch (err) {
        throw toAppError(err, operation)
      }
    }

    const tasks: Array<Promise<ListedJob[]>> = []
    const base = (state: FailureState) => ({ region, statusMessage: null, resourceType: null, resourceArn: null, iamRoleArn: null, creationDate: null, state })
    for (const state of states) {
      if (STATES_BY_TYPE.backup.includes(state)) {
        tasks.push(
          run('ListBackupJobs', async (ByAccountId, NextToken) => {
            const r = await client.send(new ListBackupJobsCommand({ ByState: state as BackupJobState, ByCreatedAfter: after, ByAccountId, MaxResults: 1000, NextToken }))
            return { items: r.BackupJobs ?? [], next: r.NextToken }
          }).then((items) =>
            items.flatMap((j): ListedJob[] =>
              j.BackupJobId === undefined
                ? []
                : [{ ...base(state), id: j.BackupJobId, type: 'backup', accountId: j.AccountId ?? target, state: j.State ?? state, statusMessage: j.StatusMessage ?? null, resourceType: j.ResourceType ?? null, resourceArn: j.ResourceArn ?? null, iamRoleArn: j.IamRoleArn ?? null, creationDate: iso(j.CreationDate) }],
            ),
          ),
        )
      }
      if (STATES_BY_TYPE.copy.includes(state)) {
        tasks.push(
          run('ListCopyJobs', async (ByAccountId, NextToken) => {
            const r = await client.send(new ListCopyJobsCommand({ ByState: state as CopyJobState, ByCreatedAfter: after, ByAccountId, MaxResults: 1000, NextToken }))
            return { items: r.CopyJobs ?? [], next: r.NextToken }
          }).then((items) =>
            items.flatMap((j): ListedJob[] =>
              j.CopyJobId === undefined
                ? []
                : [{ ...base(state), id: j.CopyJobId, type: 'copy', accountId: j.AccountId ?? target, state: j.State ?? state, statusMessage: j.StatusMessage ?? null, resourceType: j.ResourceType ?? null, resourceArn: j.ResourceArn ?? null, iamRoleArn: j.IamRoleArn ?? null, creationDate: iso(j.CreationDate) }],
            ),
          ),
        )
      }
      if (STATES_BY_TYPE.restore.includes(state)) {
        tasks.push(
          run('ListRestoreJobs', async (ByAccountId, NextToken) => {
            const r = await client.send(new ListRestoreJobsCommand({ ByStatus: state as RestoreJobStatus, ByCreatedAfter: after, ByAccountId, MaxResults: 1000, NextToken }))
            return { items: r.RestoreJobs ?? [], next: r.NextToken }
          }).then((items) =>
            items.flatMap((j): ListedJob[] =>
              j.RestoreJobId === undefined
                ? []
                : [{ ...base(state), id: j.RestoreJobId, type: 'restore', accountId: j.AccountId ?? target, state: j.Status ?? state, statusMessage: j.StatusMessage ?? null, resourceType: j.ResourceType ?? null, resourceArn: j.CreatedResourceArn ?? null, iamRoleArn: j.IamRoleArn ?? null, creationDate: iso(j.CreationDate) }],
            ),
          ),
        )
      }
    }
    const all = (await Promise.all(tasks)).flat()
    // Newest first, then by id, so pages are stable.
    all.sort((a, b) => (b.creationDate ?? '').localeCompare(a.creationDate ?? '') || a.id.localeCompare(b.id))
    if (all.length > max) truncated = true
    const scope = orgWide && fellBack < streams ? 'organization' : 'account'
    return { scope, accountId: scope === 'organization' ? '*' : target, jobs: all.slice(0, max), truncated, warnings: [...warnings] }
  }
}

type Page<P> = (byAccount: '*' | undefined, token: string | undefined) => Promise<{ items: P[]; next: string | undefined }>

function group(pairs: Array<[string, string]>): Array<{ code: string; count: number; jobIds: string[] }> {
  const m = new Map<string, string[]>()
  for (const [code, id] of pairs) m.set(code, [...(m.get(code) ?? []), id])
  return [...m.entries()].map(([code, jobIds]) => ({ code, count: jobIds.length, jobIds })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
}

const SINCE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/

/** An ISO 8601 date or date-time; normalised to a UTC date-time string. */
export function parseSince(s: string): string {
  const t = Date.parse(s)
  if (!SINCE.test(s) || Number.isNaN(t)) throw new AppError('BAD_REQUEST', '`since` must be an ISO 8601 date or date-time, e.g. 2026-11-20T00:00:00Z')
  return new Date(t).toISOString()
}

function encodeToken(key: string, offset: number): string {
  return Buffer.from(JSON.stringify({ k: key, o: offset }), 'utf8').toString('base64url')
}

function decodeToken(token: string, key: string): number {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; o?: unknown }
    if (v.k === key && typeof v.o === 'number' && Number.isSafeInteger(v.o) && v.o >= 0) return v.o
  } catch {
    // fall through
  }
  throw new AppError('BAD_REQUEST', '`nextToken` is not valid for this query')
}

/** AWS failures of the listing itself, mapped to the error catalogue (never echoing internals). */
function toAppError(err: unknown, operation: string): AppError {
  if (err instanceof AppError) return err
  const e = err as { errorClass?: string; errorName?: string; name?: string }
  const name = e.errorName ?? e.name ?? 'Error'
  switch (e.errorClass) {
    case 'throttled':
      return new AppError('AWS_THROTTLED', `AWS throttled backup:${operation}`, { retryAfter: 5, cause: err })
    case 'timeout':
      return new AppError('AWS_TIMEOUT', `backup:${operation} did not answer in time`, { cause: err })
    case 'access-denied':
      return new AppError('AWS_BAD_RESPONSE', `${name} on backup:${operation}: the reader role may not list jobs`, { cause: err })
    default:
      return new AppError('AWS_BAD_RESPONSE', `backup:${operation} failed (${name})`, { cause: err })
  }
}
