/**
 * Injected faults (world `faults`): a matching call fails with the fault's
 * error and/or is slowed by its latency. `count` is the number of matching
 * calls affected in total, across every operation the fault matches; a fault's
 * `accountId` is the account whose credentials sign the call.
 */
import { AwsError, defaultStatus } from './aws-error.js'
import type { WorldFault } from './world.js'

export interface FaultOutcome {
  latencyMs: number
  error?: AwsError
}

export class FaultInjector {
  private readonly remaining: (number | undefined)[]

  constructor(private readonly faults: readonly WorldFault[]) {
    this.remaining = faults.map((f) => f.count)
  }

  /**
   * Applies (and consumes) every fault matching the call. `callerArn` words the
   * default AccessDenied message the way AWS does.
   */
  apply(service: string, operation: string, accountId: string, callerArn = `arn:aws:iam::${accountId}:root`): FaultOutcome {
    const outcome: FaultOutcome = { latencyMs: 0 }
    this.faults.forEach((f, i) => {
      if (f.service !== service) return
      if (f.operation !== '*' && f.operation !== operation) return
      if (f.accountId !== undefined && f.accountId !== accountId) return
      const left = this.remaining[i]
      if (left !== undefined) {
        if (left <= 0) return
        this.remaining[i] = left - 1
      }
      outcome.latencyMs += f.latencyMs ?? 0
      if (f.error !== undefined && outcome.error === undefined) {
        outcome.error = new AwsError(f.error, f.message ?? defaultMessage(f.error, service, operation, callerArn), f.httpStatus ?? defaultStatus(f.error, service))
      }
    })
    return outcome
  }
}

function defaultMessage(code: string, service: string, operation: string, callerArn: string): string {
  if (/^AccessDenied/.test(code)) return `User: ${callerArn} is not authorized to perform: ${service}:${operation}`
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(code)) return 'Rate exceeded'
  if (/Unavailable/.test(code)) return 'Service is unavailable. Please try again later.'
  return `Injected fault: ${code}`
}
