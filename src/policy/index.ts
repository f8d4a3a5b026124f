/**
 * The IAM policy evaluator's public API. Diagnostic checks call only these
 * functions (and the types in ./types.ts), never a policy's raw Statement.
 * See docs/evaluator.md for the semantics and the AWS documentation they follow.
 */
import { lookupFor } from './context-lookup.js'
import { matchPolicy, type MatchOptions } from './match.js'
import { isParsedPolicy, parsePolicy, type ParsedPolicy } from './parse.js'
import type { EvalRequest, PolicyInput, StatementRef } from './types.js'

export { parsePolicy, tryParsePolicy, PolicyParseError } from './parse.js'
export type { ParsedPolicy, ParsedStatement, PrincipalSpec } from './parse.js'
export { evaluate } from './evaluate.js'
export { buildBackupJobContext, buildTrustRequest, backupRoleSession, roleNameOf } from './context.js'
export type { BackupJobContextInput, TrustRequestInput } from './context.js'
export { RCP_SUPPORTED_SERVICES, rcpAppliesTo } from './rcp-services.js'
export { describeRef } from './explain.js'
export type { MatchOptions } from './match.js'
export type * from './types.js'

/**
 * The statements of ONE policy that apply to the request (Effect, Action/NotAction,
 * Resource/NotResource, Principal/NotPrincipal, Condition), split by effect, with
 * the condition keys the request lacked. Throws PolicyParseError for a malformed policy.
 */
export function matchStatements(
  policy: PolicyInput | ParsedPolicy,
  request: EvalRequest,
  options: MatchOptions = {},
): { allows: StatementRef[]; denies: StatementRef[]; missingContextKeys: string[] } {
  const parsed = isParsedPolicy(policy) ? policy : parsePolicy(policy)
  const missing: string[] = []
  const r = matchPolicy(parsed, request, request.action.toLowerCase(), lookupFor(request.context), missing, options)
  return { ...r, missingContextKeys: [...new Set(missing)] }
}
