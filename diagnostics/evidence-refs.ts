/**
 * Resolves the evidence names checks declare in `requires` to the evidence items
 * behind them, so the runner can tell, before running a check, whether something
 * it reads could not be read (→ `unknown`). Items that are `absent` or
 * `not-collected` are facts the check itself interprets.
 */
import type { Evidence, Item } from '../src/evidence/types.js'
import type { EvidenceRef } from './define-check.js'

export interface UnreadableRef {
  what: string
  error: string
  call: string
}

type AnyItem = Item<unknown>

function roleItems(role: Evidence['jobRole'], part: 'policies' | 'boundary', label: string): [string, AnyItem][] {
  if (role.state !== 'read') return []
  const r = role.value
  if (part === 'boundary') return [[`permissions boundary of ${label}`, r.permissionsBoundary]]
  const out: [string, AnyItem][] = [
    [`inline policies of ${label}`, r.inlinePolicies],
    [`attached policies of ${label}`, r.attachedPolicies],
  ]
  for (const [kind, list] of [['inline', r.inlinePolicies], ['managed', r.attachedPolicies]] as const) {
    if (list.state !== 'read') continue
    for (const [name, item] of Object.entries(list.value)) out.push([`${kind} policy ${name} of ${label}`, item])
  }
  return out
}

function orgItems(evidence: Evidence, kind: 'scps' | 'rcps'): [string, AnyItem][] {
  const org = evidence.organization
  if (org.state !== 'read') return [['organization', org]]
  const out: [string, AnyItem][] = []
  for (const [accountId, acct] of Object.entries(org.value.accounts)) {
    out.push([`organization membership of account ${accountId}`, acct])
    if (acct.state !== 'read') continue
    out.push([`organization path of account ${accountId}`, acct.value.path])
    if (acct.value.path.state !== 'read') continue
    for (const level of acct.value.path.value) {
      out.push([`${kind === 'scps' ? 'SCPs' : 'RCPs'} attached to ${level.id} (path of ${accountId})`, level[kind]])
    }
  }
  return out
}

export function resolveRef(evidence: Evidence, ref: EvidenceRef): [string, AnyItem][] {
  const jobLabel = evidence.job.state === 'read' ? evidence.job.value.iamRoleArn ?? 'the job role' : 'the job role'
  switch (ref) {
    case 'job': return [['the job', evidence.job]]
    case 'jobRole': return [[`job role ${jobLabel}`, evidence.jobRole]]
    case 'jobRole.policies': return [[`job role ${jobLabel}`, evidence.jobRole], ...roleItems(evidence.jobRole, 'policies', jobLabel)]
    case 'jobRole.boundary': return [[`job role ${jobLabel}`, evidence.jobRole], ...roleItems(evidence.jobRole, 'boundary', jobLabel)]
    case 'alternateDefaultRole': return [['the default service role at its other path', evidence.alternateDefaultRole]]
    case 'passedRoles': return Object.entries(evidence.passedRoles).map(([arn, item]) => [`passed role ${arn}`, item])
    case 'restoreMetadata': return [['restore metadata of the recovery point', evidence.restoreMetadata]]
    case 'sourceVault': return [['the job\'s backup vault', evidence.sourceVault]]
    case 'sourceVault.accessPolicy': {
      const v = evidence.sourceVault
      return v.state === 'read' ? [[`access policy of vault ${v.value.arn}`, v.value.accessPolicy]] : [['the job\'s backup vault', v]]
    }
    case 'destinationVault': return [['the destination backup vault', evidence.destinationVault]]
    case 'destinationVault.accessPolicy': {
      const v = evidence.destinationVault
      return v.state === 'read' ? [[`access policy of vault ${v.value.arn}`, v.value.accessPolicy]] : [['the destination backup vault', v]]
    }
    case 'recoveryPoint': return [['the recovery point', evidence.recoveryPoint]]
    case 'keys': return Object.entries(evidence.keys).map(([arn, item]) => [`KMS key ${arn}`, item])
    case 'keys.policies': {
      const out: [string, AnyItem][] = []
      for (const [arn, item] of Object.entries(evidence.keys)) {
        out.push([`KMS key ${arn}`, item])
        if (item.state === 'read') out.push([`key policy of ${arn}`, item.value.policy])
      }
      return out
    }
    case 'organization': return [['organization', evidence.organization]]
    case 'organization.accounts': {
      const org = evidence.organization
      if (org.state !== 'read') return [['organization', org]]
      return Object.entries(org.value.accounts).map(([acct, item]) => [`organization membership of account ${acct}`, item])
    }
    case 'organization.scps': return orgItems(evidence, 'scps')
    case 'organization.rcps': return orgItems(evidence, 'rcps')
    case 'serviceLinkedRoles': return Object.entries(evidence.serviceLinkedRoles).map(([acct, item]) => [`AWSServiceRoleForBackup in ${acct}`, item])
    case 'backupSettings': return [['AWS Backup global settings of the management account', evidence.backupSettings]]
  }
}

export function unreadableRefs(evidence: Evidence, refs: readonly EvidenceRef[]): UnreadableRef[] {
  const out: UnreadableRef[] = []
  const seen = new Set<string>()
  for (const ref of refs) {
    for (const [what, item] of resolveRef(evidence, ref)) {
      if (item.state !== 'unreadable' || seen.has(what)) continue
      seen.add(what)
      out.push({ what, error: item.error, call: item.call })
    }
  }
  return out
}
