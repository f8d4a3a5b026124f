/**
 * The interfaces the integrations code needs from the rest of the service,
 * stated structurally so that the real `DiagnosisService` (src/service/) and
 * `AwsContext` (src/aws/) fit them and tests can pass small fakes.
 */
import type { BackupClient } from '@aws-sdk/client-backup'
import type { Diagnosis } from '../../diagnostics/types.js'
import type { AwsErrorClass, Evidence, JobType } from '../evidence/types.js'

export interface JobRef {
  jobId: string
  jobType?: JobType
  accountId?: string
  region?: string
}

/** Same shape as src/service/diagnosis-service.ts `DiagnosisService`. */
export interface DiagnosisServiceLike {
  diagnose(ref: JobRef): Promise<{ diagnosis: Diagnosis; evidence: Evidence }>
}

/** Same shape as src/aws/index.ts `AwsCallEvent`. */
export interface AwsCallEventLike {
  service: string
  operation: string
  accountId: string
  region: string
  outcome: 'ok' | 'error'
  errorName?: string
  errorClass?: AwsErrorClass
  latencyMs: number
}

/** The part of `AwsContext` the metrics plugin reads. */
export interface AwsTelemetrySource {
  onCall(listener: (e: AwsCallEventLike) => void): () => void
  cacheStats(): { hits: number; misses: number }
}

/** The part of `AwsContext` the fleet listing uses. */
export interface FleetAwsContext {
  serviceIdentity(): Promise<{ accountId: string; arn: string }>
  backup(accountId: string, region: string): Promise<BackupClient>
  call<T>(meta: { service: string; operation: string; accountId: string; region: string }, fn: () => Promise<T>): Promise<T>
}

/** Minimal logger (pino and Fastify's logger fit). */
export interface LoggerLike {
  info(obj: unknown, msg?: string): void
  warn(obj: unknown, msg?: string): void
  error(obj: unknown, msg?: string): void
}
