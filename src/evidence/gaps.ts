/**
 * evidenceGaps(): one entry per unreadable item of an Evidence, saying what
 * could not be read and why (`<error> on <service>:<Operation>`). Derived, never
 * stored, so a replayed evidence file yields the same gaps.
 */
import type { Evidence, Item, NamedPolicy, RoleEvidence } from './types.js'

export interface Gap {
  what: string
  reason: string
}

function reasonOf(i: Extract<Item<unknown>, { state: 'unreadable' }>): string {
  return `${i.error} on ${i.call}`
}

export function evidenceGaps(e: Evidence): Gap[] {
  const gaps: Gap[] = []
  const visit = <T>(i: Item<T> | undefined, what: string, inner?: (v: T) => void) => {
    if (i === undefined) return
    if (i.state === 'unreadable') gaps.push({ what, reason: reasonOf(i) })
    else if (i.state === 'read' && inner) inner(i.value)
  }
  const policies = (items: Item<Record<string, Item<NamedPolicy>>>, label: string, role: string) => {
    visit(items, `${label} of role ${role}`, (m) => {
      for (const [id, p] of Object.entries(m)) visit(p, `${label === 'inline policies' ? 'inline policy' : 'managed policy'} ${id} of role ${role}`)
    })
  }
  const role = (i: Item<RoleEvidence>, what: string) => visit(i, what, (r) => {
    policies(r.inlinePolicies, 'inline policies', r.arn)
    policies(r.attachedPolicies, 'attached policies', r.arn)
    visit(r.permissionsBoundary, `permissions boundary of role ${r.arn}`)
  })

  visit(e.job, `job ${e.request.jobId}`)
  role(e.jobRole, `job role ${e.job.state === 'read' ? e.job.value.iamRoleArn ?? '' : ''}`.trim())
  role(e.alternateDefaultRole, 'AWSBackupDefaultServiceRole at the other path')
  for (const [arn, r] of Object.entries(e.passedRoles)) role(r, `passed role ${arn}`)
  visit(e.restoreMetadata, 'restore metadata of the recovery point')
  visit(e.sourceVault, 'the job\'s backup vault', (v) => visit(v.accessPolicy, `access policy of vault ${v.arn}`))
  visit(e.destinationVault, 'the destination backup vault', (v) => visit(v.accessPolicy, `access policy of vault ${v.arn}`))
  visit(e.recoveryPoint, 'the recovery point')
  for (const [arn, k] of Object.entries(e.keys)) {
    visit(k, `KMS key ${arn}`, (v) => {
      visit(v.policy, `key policy of ${arn}`)
      visit(v.aliases, `aliases of ${arn}`)
    })
  }
  visit(e.organization, 'the organization', (o) => {
    for (const [acct, a] of Object.entries(o.accounts)) {
      visit(a, `organization membership of account ${acct}`, (v) => visit(v.path, `organization path of account ${acct}`, (levels) => {
        for (const l of levels) {
          const where = l.type === 'ACCOUNT' ? `account ${l.id}` : `${l.type === 'ROOT' ? 'root' : 'OU'} ${l.id} (above account ${acct})`
          visit(l.scps, `SCPs of ${where}`)
          visit(l.rcps, `RCPs of ${where}`)
        }
      }))
    }
  })
  for (const [acct, r] of Object.entries(e.serviceLinkedRoles)) role(r, `AWSServiceRoleForBackup in account ${acct}`)
  visit(e.backupSettings, 'AWS Backup global settings of the management account')
  for (const m of e.authorizationMessages) visit(m.decoded, 'decoded authorization failure message')
  return gaps
}
