/**
 * Policy snippets for remediation: the exact statement to add, or a pointer to
 * the statement to remove. Snippets are built from what checks know (actions,
 * resources, principals); the statement to remove is quoted from the policy
 * document for the report only — no decision is taken on it here.
 */
import type { StatementRef } from '../../src/policy/index.js'

export function allowStatement(sid: string, actions: string[], resources: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: sid, Effect: 'Allow', ...extra, Action: actions.length === 1 ? actions[0] : actions, Resource: resources.length === 1 ? resources[0] : resources }],
  }
}

export function removeStatement(ref: StatementRef, document: unknown): Record<string, unknown> {
  return { Remove: { policy: ref.policyId, statement: ref.statement, ...(ref.levelId ? { attachedTo: ref.levelId } : {}), quoted: quote(document, ref.index) } }
}

export function attachManagedPolicy(roleArn: string, policyArns: string[]): Record<string, unknown> {
  return { AttachRolePolicy: { RoleName: roleArn.split('/').pop(), PolicyArns: policyArns } }
}

/** The statement at `index` as written, for display in the report; null when it cannot be located. */
function quote(document: unknown, index: number): unknown {
  if (typeof document === 'string') {
    try {
      return quote(JSON.parse(document), index)
    } catch {
      return null
    }
  }
  if (typeof document !== 'object' || document === null) return null
  const list = (document as Record<string, unknown>)['Statement']
  if (Array.isArray(list)) return list[index] ?? null
  return index === 0 && typeof list === 'object' ? list : null
}
