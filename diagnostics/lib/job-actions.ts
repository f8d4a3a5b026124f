/**
 * The actions the job role must be allowed for this job: the required-actions
 * table for its type and resource, plus the action the status message names
 * when IAM's text says the job role itself was denied it (the message can name
 * an action the table does not list). KMS and iam:PassRole are judged by their
 * own checks.
 */
import type { Evidence, JobEvidence } from '../../src/evidence/types.js'
import type { MessageHint } from '../message-classifier.js'
import { jobRoleKmsActions, requiredActionsFor } from '../required-actions.js'
import { arnAccount, isCrossAccountCopy, keyUses, roleName } from './evidence.js'
import { kmsViaServiceFor } from './iam.js'
import { jobPartition } from './partition.js'

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

/** Whether IAM's message names the job role's session (arn:PARTITION:sts::ACCT:assumed-role/ROLE/...). */
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

export interface KeyCall {
  action: string
  /** The key's ARN; `arn:PARTITION:kms:REGION:ACCOUNT:key/*` when only the status message says a key was used. */
  resource: string
  kmsViaService: string
  source: 'evidence' | 'message'
}

/**
 * The KMS calls the JOB ROLE makes (the managed policy's KMS actions for the job, see
 * jobRoleKmsActions) on the keys it uses: the recovery point's key, a backup's vault key, a
 * same-account copy's destination vault key — a cross-account copy's destination key is used by
 * the destination account's service-linked role, which no SCP restricts. KMS authorizes these
 * calls, even when a service makes them on the role's behalf, with the role's own permissions
 * ("Forward access sessions", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html).
 * The key an EBS or RDS backup uses is its source's, which the evidence does not hold: when the
 * status message says the job role was refused a key ("... KMS key does not exist, is not enabled
 * or you do not have permissions to access it", or IAM's text naming a kms: action of the role),
 * the calls are made on the key the message names, or on any key of the job's account and region.
 */
export function jobRoleKeyCalls(evidence: Evidence, job: JobEvidence, hint: MessageHint): KeyCall[] {
  const via = kmsViaServiceFor(job)
  const actions = jobRoleKmsActions(job)
  const keys: string[] = []
  for (const use of keyUses(evidence, job)) {
    if (use.role === 'destination-vault' && isCrossAccountCopy(job)) continue
    if (!keys.includes(use.keyArn)) keys.push(use.keyArn)
  }
  const out: KeyCall[] = keys.flatMap((k) => actions.map((action) => ({ action, resource: k, kmsViaService: via, source: 'evidence' as const })))
  const namedAction = hint.kind === 'access-denied' && hint.action !== null && /^kms:/i.test(hint.action) && hintIsAboutRole(hint, job.iamRoleArn) ? hint.action : null
  const keyRefused = hint.kind === 'access-denied' && hint.codes.includes('KMS_KEY_POLICY_DENIES')
  if (namedAction === null && !keyRefused) return out
  const named = hint.resource !== null && /^arn:aws[a-z-]*:kms:/.test(hint.resource) ? hint.resource : null
  const wildcard = `arn:${jobPartition(job)}:kms:${job.region}:${arnAccount(job.resourceArn) ?? job.accountId}:key/*`
  // The key the message names; else the keys the evidence shows; else any key of the job's account.
  const targets = named !== null ? [named] : keys.length > 0 ? keys : [wildcard]
  for (const resource of targets) {
    for (const action of namedAction !== null ? [namedAction] : actions) out.push({ action, resource, kmsViaService: via, source: 'message' })
  }
  return out
}
