/**
 * Types of the diagnostic pipeline and of the diagnosis it returns
 * (../shared/contract/api.md, root-causes.md). The pipeline is a pure function
 * of an `Evidence` object: no AWS calls.
 */
import type { Evidence, JobType } from '../src/evidence/types.js'
import type { PolicyKind } from '../src/policy/types.js'

export type Entity = 'job-role' | 'service-linked-role' | 'caller' | 'none'
export type Confidence = 'high' | 'medium' | 'low'
export type FindingStatus = 'pass' | 'fail' | 'warn' | 'skipped' | 'unknown'

export interface PolicyPointer {
  kind: PolicyKind
  id: string
  /** Sid when present, otherwise the zero-based statement index as a string; null when no statement is at fault (e.g. nothing allows). */
  statement: string | null
}

export interface RootCause {
  code: string
  entity: Entity
  summary: string
  policy: PolicyPointer | null
  action: string | null
  resource: string | null
}

export interface Remediation {
  steps: string[]
  /** The exact statement to add or remove, or the policy to attach, as JSON; null when no policy change fixes it. */
  policySnippet: Record<string, unknown> | null
}

export interface Finding {
  check: string
  order: number
  title: string
  status: FindingStatus
  message: string
  /** Set on `fail` (and sometimes `warn`): the root cause this finding supports. */
  rootCause?: RootCause
  remediation?: Remediation
  /** Structured facts for reports and tests (message id, data); tests assert these, not prose. */
  messageId?: string
  data?: Record<string, unknown>
}

export interface Gap {
  what: string
  reason: string
}

export interface JobSummary {
  id: string
  type: JobType
  accountId: string
  region: string
  state: string
  statusMessage: string | null
  resourceType: string | null
  resourceArn: string | null
  iamRoleArn: string | null
  creationDate: string | null
}

export interface Diagnosis {
  job: JobSummary
  rootCause: RootCause
  confidence: Confidence
  remediation: Remediation
  findings: Finding[]
  gaps: Gap[]
  /** Optional extras beyond the contract's stable core. */
  messageHint?: { codes: string[]; action: string | null; policyType: string | null } | null
  evidenceStats?: Evidence['stats']
}
