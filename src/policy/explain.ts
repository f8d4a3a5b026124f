/** Human-readable sentences for evaluation results (for people, never parsed by code). */
import type { ConditionTrace, PolicyKind, StatementRef } from './types.js'

export const KIND_LABEL: Record<PolicyKind, string> = {
  identity: 'identity policy',
  boundary: 'permissions boundary',
  trust: 'trust policy',
  vault: 'vault access policy',
  scp: 'SCP',
  rcp: 'RCP',
  'kms-key': 'key policy',
  resource: 'resource policy',
}

function traceText(c: ConditionTrace): string {
  if (c.contextValues === null) return `${c.key} is absent`
  return `${c.key}=${c.contextValues.length === 1 ? c.contextValues[0] : '[' + c.contextValues.join(',') + ']'}`
}

/** "SCP p-x statement DenyOutsideEU because aws:RequestedRegion=us-east-1" */
export function describeRef(ref: StatementRef): string {
  let s = `${KIND_LABEL[ref.policyKind]} ${ref.policyName ?? ref.policyId} statement ${ref.statement}`
  if (ref.conditions !== undefined && ref.conditions.length > 0) s += ' because ' + ref.conditions.map(traceText).join(' and ')
  if (ref.levelId !== undefined) s += ` (attached to ${ref.levelId})`
  return s
}
