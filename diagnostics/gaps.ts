/**
 * Gaps of a diagnosis: every evidence item that could not be read, named for a
 * person ("SCPs attached to ou-x (path of 111111111111)") with the error and the
 * API call. Pure: derived from the evidence alone.
 */
import type { Evidence } from '../src/evidence/types.js'
import type { EvidenceRef } from './define-check.js'
import type { Gap } from './types.js'
import { resolveRef } from './evidence-refs.js'

const ALL_REFS: readonly EvidenceRef[] = [
  'job', 'jobRole.policies', 'jobRole.boundary', 'alternateDefaultRole', 'passedRoles', 'restoreMetadata',
  'sourceVault.accessPolicy', 'destinationVault.accessPolicy', 'recoveryPoint', 'keys.policies',
  'organization.scps', 'organization.rcps', 'serviceLinkedRoles', 'backupSettings',
]

export function evidenceGapsOf(evidence: Evidence): Gap[] {
  const gaps: Gap[] = []
  const seen = new Set<string>()
  for (const ref of ALL_REFS) {
    for (const [what, item] of resolveRef(evidence, ref)) {
      if (item.state !== 'unreadable' || seen.has(what)) continue
      seen.add(what)
      gaps.push({ what, reason: `${item.error} on ${item.call}` })
    }
  }
  evidence.authorizationMessages.forEach((m, i) => {
    if (m.decoded.state === 'unreadable') gaps.push({ what: `encoded authorization message ${i + 1}`, reason: `${m.decoded.error} on ${m.decoded.call}` })
  })
  return gaps
}
