import type { PatternPart } from '../wildcard.js'

/**
 * A policy value as an operator sees it. `parts` is set when the value held policy
 * variables: resolved variable values and `${*}`-style escapes are literal there
 * and must not act as wildcards.
 */
export interface PolicyValue {
  text: string
  parts: readonly PatternPart[] | null
}

/** One condition operator (the base name, without ForAnyValue:/ForAllValues: and IfExists). */
export interface OperatorDef {
  name: string
  /**
   * Negated operators (StringNotEquals, NotIpAddress, ArnNotLike, ...) match when
   * the context value matches NONE of the policy values; on a missing key they
   * match (IAM User Guide, Condition operators: "...if the key is not present...
   * the negated operators return true").
   */
  negated: boolean
  /** Whether policy variables are substituted in this operator's values (string and ARN operators). */
  variables: boolean
  /** Parse-time check of a literal policy value; returns why it is invalid, or null. */
  validate?(value: string): string | null
  /** Positive match of one context value against one policy value. */
  match(contextValue: string, policyValue: PolicyValue): boolean
}

export function negationOf(def: OperatorDef, name: string): OperatorDef {
  return { ...def, name, negated: true }
}
