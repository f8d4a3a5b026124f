/**
 * The decision for one request over every applicable policy type, following the
 * IAM User Guide, "Policy evaluation logic":
 *
 *  1. Deny evaluation — an applicable Deny statement in any policy (SCP, RCP,
 *     resource-based, identity, boundary) is final: explicit-deny.
 *  2. RCPs — "RCPs apply to resources of the accounts they are attached to";
 *     every level of the path root → OUs → account must have an applicable
 *     Allow. Only for services that support RCPs (rcp-services.ts), never for AWS
 *     managed KMS keys or service-linked roles. They DO apply to service
 *     principals: AWS KMS's own RCP example "RCPEnforceConfusedDeputyProtection"
 *     restricts service principals' access to customer managed keys (AWS KMS
 *     Developer Guide, "Resource control policies in AWS KMS").
 *  3. SCPs — every level must have an Allow. SCPs never apply to service-linked
 *     roles, to service principals, or to principals of the management account
 *     (AWS Organizations, "Service control policies": "Tasks and entities not
 *     restricted by SCPs").
 *  4. Resource-based policy, identity policies and permissions boundary:
 *     - Same account ("Policy evaluation for requests within a single account"):
 *       an Allow in the identity policy OR in the resource policy suffices.
 *       A resource-policy grant naming the role session's own ARN, an IAM
 *       user's ARN, or "*" is not limited by the boundary; a grant naming the
 *       role ARN counts as if the identity side allowed, so the boundary still
 *       has to allow ("Permissions boundaries for IAM entities", resource-based
 *       policies). A grant to the account principal (`arn:aws:iam::ACCT:root` or
 *       the bare id) only delegates to the account: the identity policy must
 *       allow ("IAM JSON policy elements: Principal", AWS account principals).
 *     - Cross account ("Cross-account policy evaluation logic"): the resource
 *       policy must allow (the principal directly or its account) AND the
 *       identity policy must allow (AND the boundary, when there is one).
 *  5. KMS key policies and role trust policies are required: "Unless the key
 *     policy explicitly allows it, you cannot use IAM policies to allow access to
 *     a KMS key" (AWS KMS Developer Guide, "Key policies"), and a role can only
 *     be assumed when its trust policy allows the principal. A key policy that
 *     allows the account principal delegates to IAM, so the identity policy must
 *     also allow. AWS managed keys cannot be used from another account (AWS KMS,
 *     "AWS managed keys"; "Allowing users in other accounts to use a KMS key").
 *  6. Service principals (backup.amazonaws.com assuming the job role) have no
 *     identity policies and SCPs do not apply to them: after RCPs, only the
 *     resource (trust) policy decides.
 *
 * Malformed policies: evaluate() throws the PolicyParseError (it never evaluates
 * a policy it could not read, so it can never allow on the basis of one); use
 * tryParsePolicy first to report such policies as evidence problems.
 */
import { lookupFor } from './context-lookup.js'
import { describeRef, KIND_LABEL } from './explain.js'
import { matchPolicy, type MatchOptions } from './match.js'
import { isParsedPolicy, parsePolicy, type ParsedPolicy } from './parse.js'
import { rcpAppliesTo } from './rcp-services.js'
import type {
  Decision,
  EvalRequest,
  EvalResult,
  OrgLevelPolicies,
  PolicyInput,
  PolicyKind,
  PolicySet,
  PolicyTypeResult,
  PrincipalMatch,
  StatementRef,
} from './types.js'

function asParsed(p: PolicyInput | ParsedPolicy): ParsedPolicy {
  return isParsedPolicy(p) ? p : parsePolicy(p)
}

interface Votes {
  allows: StatementRef[]
  denies: StatementRef[]
}

interface Run {
  req: EvalRequest
  actionLower: string
  ctx: ReturnType<typeof lookupFor>
  missing: string[]
  opts: MatchOptions
}

function votesOf(run: Run, policies: readonly PolicyInput[], levelId?: string): Votes {
  const allows: StatementRef[] = []
  const denies: StatementRef[] = []
  for (const p of policies) {
    const v = matchPolicy(asParsed(p), run.req, run.actionLower, run.ctx, run.missing, run.opts, levelId)
    allows.push(...v.allows)
    denies.push(...v.denies)
  }
  return { allows, denies }
}

function orgVotes(run: Run, levels: readonly OrgLevelPolicies[]): Votes & { levelsWithoutAllow: string[] } {
  const allows: StatementRef[] = []
  const denies: StatementRef[] = []
  const levelsWithoutAllow: string[] = []
  for (const level of levels) {
    const v = votesOf(run, level.policies, level.levelId)
    if (v.allows.length === 0) levelsWithoutAllow.push(level.levelId)
    allows.push(...v.allows)
    denies.push(...v.denies)
  }
  return { allows, denies, levelsWithoutAllow }
}

function notApplicable(kind: PolicyKind, why: string): PolicyTypeResult {
  return { kind, decision: 'not-applicable', allows: [], denies: [], explanation: `${KIND_LABEL[kind]}: not applicable (${why})` }
}

function typeResult(kind: PolicyKind, v: Votes, action: string, levelsWithoutAllow?: string[]): PolicyTypeResult {
  let decision: Decision
  let explanation: string
  const first = v.denies[0]
  if (first !== undefined) {
    decision = 'explicit-deny'
    explanation = `denied by ${describeRef(first)}`
  } else if (levelsWithoutAllow !== undefined ? levelsWithoutAllow.length > 0 : v.allows.length === 0) {
    decision = 'implicit-deny'
    explanation =
      levelsWithoutAllow !== undefined
        ? `no ${KIND_LABEL[kind]} attached to ${levelsWithoutAllow.join(', ')} allows ${action}`
        : `no ${KIND_LABEL[kind]} statement allows ${action}`
  } else {
    decision = 'allowed'
    explanation = `allowed by ${describeRef(v.allows[0] as StatementRef)}`
  }
  const r: PolicyTypeResult = { kind, decision, allows: v.allows, denies: v.denies, explanation }
  if (levelsWithoutAllow !== undefined) r.levelsWithoutAllow = levelsWithoutAllow
  return r
}

/**
 * Resource-policy grants that are not limited by the boundary: they name this very
 * session (or user), or everyone ("*" matches the session principal itself, not
 * its role ARN).
 */
function isUnboundedGrant(m: PrincipalMatch | undefined, principalType: string): boolean {
  if (m === 'session' || m === 'wildcard') return true
  if (m === 'exact') return principalType === 'user' || principalType === 'root' || principalType === 'service'
  return false
}

export function evaluate(request: EvalRequest, policies: PolicySet): EvalResult {
  const p = request.principal
  const isService = p.type === 'service'
  const slr = p.isServiceLinkedRole === true
  const boundary = isService ? null : (policies.boundary ?? null)
  const run: Run = {
    req: request,
    actionLower: request.action.toLowerCase(),
    ctx: lookupFor(request.context),
    missing: [],
    opts: { hasPermissionsBoundary: boundary !== null },
  }
  const action = request.action
  const facts = policies.facts ?? {}
  const byType: Partial<Record<PolicyKind, PolicyTypeResult>> = {}

  // --- which policy types apply, and how each votes -------------------------
  let identity: Votes | null = null
  if (isService) byType.identity = notApplicable('identity', 'service principals have no identity policies')
  else {
    identity = votesOf(run, policies.identity ?? [])
    byType.identity = typeResult('identity', identity, action)
  }

  let bound: Votes | null = null
  if (boundary !== null) {
    bound = votesOf(run, [boundary])
    byType.boundary = typeResult('boundary', bound, action)
  }

  let scp: (Votes & { levelsWithoutAllow: string[] }) | null = null
  if (policies.scps != null) {
    if (isService) byType.scp = notApplicable('scp', 'SCPs do not apply to service principals')
    else if (slr) byType.scp = notApplicable('scp', 'SCPs do not apply to service-linked roles')
    else if (p.inManagementAccount === true) byType.scp = notApplicable('scp', 'SCPs do not apply to principals of the management account')
    else {
      scp = orgVotes(run, policies.scps)
      byType.scp = typeResult('scp', scp, action, scp.levelsWithoutAllow)
    }
  }

  let rcp: (Votes & { levelsWithoutAllow: string[] }) | null = null
  if (policies.rcps != null) {
    if (!rcpAppliesTo(action)) byType.rcp = notApplicable('rcp', `RCPs do not support ${action.split(':')[0]}`)
    else if (facts.awsManagedKey === true) byType.rcp = notApplicable('rcp', 'RCPs do not apply to AWS managed KMS keys')
    else if (slr) byType.rcp = notApplicable('rcp', 'RCPs do not apply to service-linked roles')
    else {
      rcp = orgVotes(run, policies.rcps)
      byType.rcp = typeResult('rcp', rcp, action, rcp.levelsWithoutAllow)
    }
  }

  const resourcePolicy = policies.resourcePolicy ?? null
  const resourceKind: PolicyKind = resourcePolicy?.kind ?? policies.resourcePolicyKind ?? 'resource'
  let resource: Votes | null = null
  if (resourcePolicy !== null) {
    resource = votesOf(run, [resourcePolicy])
    byType[resourceKind] = typeResult(resourceKind, resource, action)
  }

  const missingContextKeys = [...new Set(run.missing)]
  const done = (decision: Decision, decidedBy: PolicyKind | null, decidingStatement: StatementRef | null, explanation: string): EvalResult => ({
    decision,
    decidedBy,
    decidingStatement,
    byType,
    missingContextKeys,
    explanation,
  })

  // --- 1. explicit deny anywhere ---------------------------------------------
  const denyOrder: Array<[PolicyKind, Votes | null]> = [
    ['scp', scp],
    ['rcp', rcp],
    [resourceKind, resource],
    ['identity', identity],
    ['boundary', bound],
  ]
  for (const [kind, v] of denyOrder) {
    const d = v?.denies[0]
    if (d !== undefined) return done('explicit-deny', kind, d, `${action} on ${request.resource} is denied by ${describeRef(d)}`)
  }

  const resourceAccount = request.resourceAccount ?? p.accountId
  const crossAccount = !isService && p.accountId !== null && resourceAccount !== null && p.accountId !== resourceAccount

  // AWS managed keys cannot be shared with other accounts.
  if (facts.awsManagedKey === true && crossAccount) {
    const r = byType['kms-key']
    if (r !== undefined) r.explanation = 'AWS managed keys cannot be used by other accounts; the key policy cannot grant it'
    return done('implicit-deny', 'kms-key', null, `${action} is denied: ${request.resource} is an AWS managed key and cannot be used from account ${p.accountId}`)
  }

  // --- 2./3. RCPs and SCPs: every level must allow ----------------------------
  if (rcp !== null && rcp.levelsWithoutAllow.length > 0) {
    return done('implicit-deny', 'rcp', null, `${action} is not allowed by any RCP attached to ${rcp.levelsWithoutAllow.join(', ')}`)
  }
  if (scp !== null && scp.levelsWithoutAllow.length > 0) {
    return done('implicit-deny', 'scp', null, `${action} is not allowed by any SCP attached to ${scp.levelsWithoutAllow.join(', ')}`)
  }

  // --- 6. service principals: only the resource policy decides (after RCPs) --
  const resAllow = resource?.allows[0]
  if (isService) {
    if (resAllow !== undefined) return done('allowed', resourceKind, resAllow, `${p.arn} may ${action}: allowed by ${describeRef(resAllow)}`)
    return done('implicit-deny', resourceKind, null, `${p.arn} may not ${action}: no ${KIND_LABEL[resourceKind]} statement allows it`)
  }

  const identityAllow = identity?.allows[0]
  const boundaryBlocks = bound !== null && bound.allows.length === 0
  const resourceRequired = resourceKind === 'kms-key' || resourceKind === 'trust'

  // --- 4. cross account: both sides ------------------------------------------
  if (crossAccount) {
    if (resAllow === undefined) {
      const what = resourcePolicy === null ? `${request.resource} has no ${KIND_LABEL[resourceKind]}` : `no ${KIND_LABEL[resourceKind]} statement allows it`
      return done('implicit-deny', resourceKind, null, `cross-account ${action} by ${p.accountId} on ${request.resource} (account ${resourceAccount}) is denied: ${what}`)
    }
    if (identityAllow === undefined) {
      return done('implicit-deny', 'identity', null, `cross-account ${action} is denied: no identity policy of ${p.roleArn ?? p.arn} allows it (the ${KIND_LABEL[resourceKind]} alone is not enough across accounts)`)
    }
    if (boundaryBlocks) return done('implicit-deny', 'boundary', null, `${action} is denied: the permissions boundary does not allow it`)
    return done('allowed', 'identity', identityAllow, `${action} is allowed by ${describeRef(identityAllow)} and ${describeRef(resAllow)}`)
  }

  // --- 4./5. same account -----------------------------------------------------
  if (resourceRequired && resAllow === undefined) {
    const what = resourceKind === 'kms-key' ? 'the key policy does not allow it (IAM policies alone cannot grant use of a KMS key)' : 'the role trust policy does not allow it'
    return done('implicit-deny', resourceKind, null, `${action} on ${request.resource} is denied: ${what}`)
  }
  const resAllows = resource?.allows ?? []
  const unbounded = resAllows.find((r) => isUnboundedGrant(r.principalMatch, p.type))
  if (unbounded !== undefined) return done('allowed', resourceKind, unbounded, `${action} is allowed by ${describeRef(unbounded)}`)
  const boundedGrant = resAllows.find((r) => r.principalMatch !== 'account')
  const rootUser = p.type === 'root'
  if (identityAllow === undefined && boundedGrant === undefined && !rootUser) {
    const why = resAllows.length > 0 ? ` (the ${KIND_LABEL[resourceKind]} only delegates to the account)` : ''
    return done('implicit-deny', 'identity', null, `${action} on ${request.resource} is denied: no identity policy allows it${why}`)
  }
  if (boundaryBlocks) {
    return done('implicit-deny', 'boundary', null, `${action} is allowed by ${identityAllow !== undefined ? 'an identity policy' : `the ${KIND_LABEL[resourceKind]}`} but the permissions boundary does not allow it`)
  }
  const granted = identityAllow ?? boundedGrant ?? null
  const by: PolicyKind | null = identityAllow !== undefined ? 'identity' : boundedGrant !== undefined ? resourceKind : null
  return done('allowed', by, granted, granted !== null ? `${action} is allowed by ${describeRef(granted)}` : `${action} is allowed (account root user)`)
}
