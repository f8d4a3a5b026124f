/**
 * The actions the job role must be allowed for this job: the required-actions
 * table for its type and resource, plus the action the status message names
 * when IAM's text says the job role itself was denied it (the message can name
 * an action the table does not list). KMS and iam:PassRole are judged by their
 * own checks.
 */
import type { JobEvidence } from '../../src/evidence/types.js'
import type { MessageHint } from '../message-classifier.js'
import { requiredActionsFor } from '../required-actions.js'
import { roleName } from './evidence.js'

export interface NeededAction {
  action: string
  resource: string
  /** `table`: required-actions.ts (policy + Sid it derives from); `message`: named by the status message. */
  source: 'table' | 'message'
  managedPolicy?: string
  sid?: string
  /** Actions that serve instead of `action` (any one allowed suffices). */
  alternatives?: readonly string[]
}

const OWN_CHECKS = /^(kms:|iam:passrole$|sts:assumerole$)/i

/** Whether IAM's message names the job role's session (arn:aws:sts::ACCT:assumed-role/ROLE/...). */
export function hintIsAboutRole(hint: MessageHint, roleArn: string | null): boolean {
  if (hint.principal === null || roleArn === null) return hint.principal === null
  return hint.principal.includes(`:assumed-role/${roleName(roleArn)}/`) || hint.principal === roleArn
}

export function jobRoleActions(job: JobEvidence, hint: MessageHint): NeededAction[] {
  const out: NeededAction[] = []
  const seen = new Set<string>()
  const add = (a: NeededAction) => {
    const key = `${a.action.toLowerCase()} ${a.resource}`
    if (seen.has(a.action.toLowerCase()) && a.source === 'table') return
    if (seen.has(key)) return
    seen.add(key)
    seen.add(a.action.toLowerCase())
    out.push(a)
  }
  if (hint.kind === 'access-denied' && hint.action && !OWN_CHECKS.test(hint.action) && hintIsAboutRole(hint, job.iamRoleArn)) {
    add({ action: hint.action, resource: hint.resource ?? job.resourceArn ?? '*', source: 'message' })
  }
  for (const r of requiredActionsFor(job)) {
    if (OWN_CHECKS.test(r.action)) continue
    add({ action: r.action, resource: r.resourceArn, source: 'table', managedPolicy: r.policy, sid: r.sid, ...(r.alternatives ? { alternatives: r.alternatives } : {}) })
  }
  return out
}
