/**
 * The parts of the service the integrations code depends on, named once. They
 * are the real types (narrowed with Pick where the integrations need less), so
 * the real `DiagnosisService` and `AwsContext` fit by construction and tests can
 * pass small fakes of just the narrowed part.
 */
import type { AwsCallEvent, AwsContext } from '../aws/index.js'
import type { DiagnosisService } from '../service/diagnosis-service.js'

export type { JobRef } from '../evidence/index.js'

export type DiagnosisServiceLike = DiagnosisService
export type AwsCallEventLike = AwsCallEvent

/** The part of `AwsContext` the metrics plugin reads. */
export type AwsTelemetrySource = Pick<AwsContext, 'onCall' | 'cacheStats'>

/** The part of `AwsContext` the fleet listing uses. */
export type FleetAwsContext = Pick<AwsContext, 'serviceIdentity' | 'backup' | 'call'>

/** Minimal logger (pino and Fastify's logger fit). */
export interface LoggerLike {
  info(obj: unknown, msg?: string): void
  warn(obj: unknown, msg?: string): void
  error(obj: unknown, msg?: string): void
}
