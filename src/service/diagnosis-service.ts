/**
 * The one way every transport diagnoses a job (HTTP routes, Slack, events, fleet):
 * collect the evidence (src/evidence) → run the pure diagnostic pipeline
 * (diagnostics/) → attach the gaps derived from the evidence. Errors that concern
 * the job itself (not found, AWS throttling/timeouts on reading it) arrive as
 * AppError from the collector and pass through unchanged; anything else that throws
 * becomes INTERNAL here, so no raw SDK error reaches a transport.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Diagnosis, Gap } from '../../diagnostics/types.js'
import type { Evidence, JobType } from '../evidence/types.js'
import { AppError, isAppError } from '../errors.js'
import { isAccountId, isJobId, isRegion } from '../validate.js'

export interface JobRef {
  jobId: string
  jobType?: JobType
  accountId?: string
  region?: string
}

export interface DiagnosisService {
  diagnose(ref: JobRef): Promise<{ diagnosis: Diagnosis; evidence: Evidence }>
}

/** The three engine steps, injectable for tests. */
export interface DiagnosisEngine {
  collect(ref: JobRef, opts: { deadlineMs: number }): Promise<Evidence>
  diagnose(evidence: Evidence): Diagnosis
  gaps(evidence: Evidence): Gap[]
}

export type ServiceLogger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>

export interface DiagnosisServiceOptions {
  engine: DiagnosisEngine
  logger: ServiceLogger
  /** Budget for evidence collection; pending reads past it become gaps. */
  deadlineMs?: number
  /** Hard stop past the deadline (the collector should have returned by then): 504. */
  graceMs?: number
}

/** Gaps of the pipeline and of the evidence, once each. */
function mergeGaps(a: Gap[], b: Gap[]): Gap[] {
  const seen = new Set<string>()
  const out: Gap[] = []
  for (const g of [...a, ...b]) {
    const k = `${g.what}\u0000${g.reason}`
    if (!seen.has(k)) {
      seen.add(k)
      out.push(g)
    }
  }
  return out
}

export function createDiagnosisService(opts: DiagnosisServiceOptions): DiagnosisService {
  const deadlineMs = opts.deadlineMs ?? 20_000
  const graceMs = opts.graceMs ?? 3_000
  const { engine, logger } = opts

  return {
    async diagnose(ref) {
      // Defence in depth: the routes validate too, but every transport comes through here.
      if (!isJobId(ref.jobId)) throw new AppError('BAD_REQUEST', 'jobId is not a well-formed AWS Backup job id')
      if (ref.accountId !== undefined && !isAccountId(ref.accountId)) throw new AppError('BAD_REQUEST', 'accountId must be 12 digits')
      if (ref.region !== undefined && !isRegion(ref.region)) throw new AppError('BAD_REQUEST', 'region is not an AWS region name')

      const started = Date.now()
      let timer: NodeJS.Timeout | undefined
      try {
        const evidence = await Promise.race([
          engine.collect(ref, { deadlineMs }),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new AppError('AWS_TIMEOUT', `Evidence collection exceeded ${deadlineMs + graceMs} ms`)),
              deadlineMs + graceMs,
            )
          }),
        ])
        const diagnosis = engine.diagnose(evidence)
        diagnosis.gaps = mergeGaps(diagnosis.gaps ?? [], engine.gaps(evidence))
        logger.info(
          {
            jobId: ref.jobId,
            jobType: diagnosis.job.type,
            accountId: diagnosis.job.accountId,
            region: diagnosis.job.region,
            rootCause: diagnosis.rootCause.code,
            confidence: diagnosis.confidence,
            gaps: diagnosis.gaps.length,
            awsCalls: evidence.stats?.awsCalls,
            ms: Date.now() - started,
          },
          'diagnosis',
        )
        return { diagnosis, evidence }
      } catch (e) {
        if (isAppError(e)) throw e
        logger.error({ err: e, jobId: ref.jobId }, 'diagnosis failed')
        throw new AppError('INTERNAL', 'The diagnosis failed', { cause: e })
      } finally {
        if (timer) clearTimeout(timer)
      }
    },
  }
}
