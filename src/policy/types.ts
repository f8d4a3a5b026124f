/**
 * The public interface of the IAM policy evaluator (src/policy/). The
 * diagnostic checks call only what is declared here (through src/policy/index.ts),
 * never a policy's raw `Statement`.
 *
 * Evaluation follows AWS's "Policy evaluation logic" (IAM User Guide):
 * explicit deny anywhere wins; then RCPs and SCPs (every level of the path must
 * allow); then resource-based policies; then identity policies; then the
 * permissions boundary. Cross-account requests need both the identity side and
 * the resource side to allow. KMS key policies are required to allow (IAM alone
 * is not enough) unless the key policy delegates to the account.
 */

export type Decision = 'allowed' | 'implicit-deny' | 'explicit-deny'

export type PolicyKind = 'identity' | 'boundary' | 'trust' | 'vault' | 'scp' | 'rcp' | 'kms-key' | 'resource'

/** Condition-key values as the request context carries them. Keys are matched case-insensitively. */
export type ContextValue = string | string[] | boolean | number
export type RequestContext = Record<string, ContextValue>

export type PrincipalType =
  /** An assumed-role session: arn:aws:sts::ACCT:assumed-role/ROLE/SESSION (the job role as AWS Backup uses it). */
  | 'assumed-role'
  /** An IAM role ARN itself (arn:aws:iam::ACCT:role/PATH/NAME). */
  | 'role'
  | 'user'
  | 'root'
  /** An AWS service principal such as backup.amazonaws.com. SCPs/RCPs and identity policies do not apply. */
  | 'service'

export interface Principal {
  type: PrincipalType
  /** The principal's ARN (session ARN for assumed-role) or, for a service, the service name. */
  arn: string
  /** For an assumed-role session: the role ARN (arn:aws:iam::ACCT:role/path/name). Matched by role ARN principals. */
  roleArn?: string
  accountId: string | null
  /** AWSServiceRoleFor* roles: SCPs and RCPs do not apply to them. */
  isServiceLinkedRole?: boolean
  /** The organization's management account: SCPs do not apply to its principals. */
  inManagementAccount?: boolean
}

export interface EvalRequest {
  principal: Principal
  /** e.g. "ec2:CreateSnapshot" */
  action: string
  /** The resource ARN, or "*" for actions without a resource. */
  resource: string
  /** Owner of the resource; null when unknown (treated as the principal's account). */
  resourceAccount: string | null
  context: RequestContext
}

/** A policy as handed to the evaluator: its document (unparsed JSON or a parsed object) and who it is. */
export interface PolicyInput {
  kind: PolicyKind
  /** Policy ARN, inline policy name, SCP/RCP id (p-...), vault ARN, key ARN, or role ARN for trust. */
  id: string
  name?: string
  document: unknown
}

/** One level of the organization path (root, OU, account) and the SCPs or RCPs attached there. */
export interface OrgLevelPolicies {
  levelId: string
  policies: PolicyInput[]
}

export interface PolicySet {
  /** Identity-based policies of the principal (inline + managed). */
  identity?: PolicyInput[]
  /** Permissions boundary; undefined/null = none. */
  boundary?: PolicyInput | null
  /** SCPs by level, root first; undefined/null = not applicable (no organization). */
  scps?: OrgLevelPolicies[] | null
  /** RCPs by level, root first; undefined/null = not applicable. */
  rcps?: OrgLevelPolicies[] | null
  /** The resource-based policy of the target (vault access policy, KMS key policy, role trust policy, bucket policy). */
  resourcePolicy?: PolicyInput | null
  /**
   * The kind of resource policy the target would carry, used when `resourcePolicy`
   * is null (e.g. 'vault' for a vault without an access policy, so a cross-account
   * implicit deny is attributed to the vault). Defaults to 'resource'.
   */
  resourcePolicyKind?: PolicyKind
  /** Facts about the target that are not condition keys (see PolicySetFacts). */
  facts?: PolicySetFacts
}

export interface StatementRef {
  policyKind: PolicyKind
  policyId: string
  policyName?: string
  /** The Sid when present, otherwise the zero-based index as a string (root-causes.md). */
  statement: string
  index: number
  effect: 'Allow' | 'Deny'
  /** For SCP/RCP statements: the org level (root/OU/account id) the policy is attached to. */
  levelId?: string
  /** The statement's conditions as the request saw them (absent when it had none). */
  conditions?: ConditionTrace[]
  /**
   * For resource-policy allows: how the statement's Principal matched —
   * 'account' (delegation to the account: the identity side must also allow),
   * 'role' (the role ARN of a session), 'session', 'exact' (user, service, federated)
   * or 'wildcard' ("*").
   */
  principalMatch?: PrincipalMatch
}

export type PrincipalMatch = 'wildcard' | 'account' | 'role' | 'session' | 'exact'

/** How one policy type voted. */
export interface PolicyTypeResult {
  kind: PolicyKind
  /** `not-applicable` when this policy type plays no part (e.g. SCPs for a service-linked role). */
  decision: Decision | 'not-applicable'
  allows: StatementRef[]
  denies: StatementRef[]
  /** SCP/RCP: levels where nothing allowed the action (each level must allow). */
  levelsWithoutAllow?: string[]
  /** Human-readable one-liner, e.g. "denied by SCP p-x statement DenyOutsideEU because aws:RequestedRegion=us-east-1". */
  explanation: string
}

export interface EvalResult {
  decision: Decision
  /** The policy type whose vote decided the outcome (the first explicit deny, or the type that did not allow). */
  decidedBy: PolicyKind | null
  /** The statement that decided, when one did (an explicit deny, or the allow that granted). */
  decidingStatement: StatementRef | null
  byType: Partial<Record<PolicyKind, PolicyTypeResult>>
  /** Condition keys that conditions referenced but the context did not carry. */
  missingContextKeys: string[]
  explanation: string
}

export interface PolicyParseErrorInfo {
  policyKind: PolicyKind
  policyId: string
  /** JSON-pointer-like path, e.g. "/Statement/2/Condition/StringEquals". */
  path: string
  reason: string
}

// ---------------------------------------------------------------------------
// Additions by the evaluator (additive; nothing above is renamed).
// ---------------------------------------------------------------------------

/** How one condition of a matched statement saw the request (for explanations). */
export interface ConditionTrace {
  /** The operator as written, e.g. "StringNotEquals" or "ForAnyValue:StringLike". */
  operator: string
  /** The key as written in the policy. */
  key: string
  /** The policy's values for the key. */
  values: string[]
  /** The request's values for the key; null when the key was absent from the context. */
  contextValues: string[] | null
}

/**
 * Extra facts about the request that are not condition keys.
 * (Kept apart from RequestContext so they can never match a policy condition.)
 */
export interface PolicySetFacts {
  /**
   * The target is an AWS managed KMS key (alias aws/...). AWS managed keys cannot
   * be used by other accounts and RCPs do not apply to them (AWS KMS Developer
   * Guide, "AWS managed keys"; AWS Organizations, "Resource control policies").
   */
  awsManagedKey?: boolean
}
