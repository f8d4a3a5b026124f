/**
 * The condition engine: the operator registry and the evaluation of one
 * condition (operator + key + values) against a request context.
 *
 * Rules (IAM User Guide, "IAM JSON policy elements: Condition", "Condition
 * operators", "Set operators for multivalued context keys"):
 * - several values for one key are ORed; several keys, and several operators, ANDed
 *   (the caller ANDs the conditions);
 * - a missing key makes a positive operator false and a negated one true;
 *   `...IfExists` makes a missing key true;
 * - `ForAnyValue:` — true if at least one context value matches; false for a
 *   missing key or an empty set;
 * - `ForAllValues:` — true if every context value matches; true for a missing key
 *   or an empty set;
 * - without a set operator a multivalued context value matches when any of its
 *   values matches (negated: when none does).
 */
import type { ContextLookup } from '../context-lookup.js'
import { resolveTemplate, partsToString, type Template } from '../variables.js'
import { ArnEquals, ArnNotEquals } from './arn-equals.js'
import { ArnLike, ArnNotLike } from './arn-like.js'
import { BinaryEquals } from './binary-equals.js'
import { Bool } from './bool.js'
import { DateEquals, DateNotEquals } from './date-equals.js'
import { DateGreaterThan } from './date-greater-than.js'
import { DateGreaterThanEquals } from './date-greater-than-equals.js'
import { DateLessThan } from './date-less-than.js'
import { DateLessThanEquals } from './date-less-than-equals.js'
import { IpAddress, NotIpAddress } from './ip-address.js'
import { Null } from './null.js'
import { NumericEquals, NumericNotEquals } from './numeric-equals.js'
import { NumericGreaterThan } from './numeric-greater-than.js'
import { NumericGreaterThanEquals } from './numeric-greater-than-equals.js'
import { NumericLessThan } from './numeric-less-than.js'
import { NumericLessThanEquals } from './numeric-less-than-equals.js'
import { StringEquals, StringNotEquals } from './string-equals.js'
import { StringEqualsIgnoreCase, StringNotEqualsIgnoreCase } from './string-equals-ignore-case.js'
import { StringLike, StringNotLike } from './string-like.js'
import type { OperatorDef, PolicyValue } from './types.js'

export type { OperatorDef, PolicyValue } from './types.js'

/** Every operator AWS documents, by base name. */
export const OPERATORS: readonly OperatorDef[] = [
  StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike,
  NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals, NumericGreaterThan, NumericGreaterThanEquals,
  DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals, DateGreaterThan, DateGreaterThanEquals,
  Bool, BinaryEquals, IpAddress, NotIpAddress,
  ArnEquals, ArnNotEquals, ArnLike, ArnNotLike, Null,
]

const BY_NAME = new Map(OPERATORS.map((o) => [o.name.toLowerCase(), o]))

export interface OperatorSpec {
  def: OperatorDef
  set: 'any' | 'all' | null
  ifExists: boolean
}

/** Parses "ForAnyValue:StringLikeIfExists" into its parts; null for an unknown operator. */
export function parseOperator(name: string): OperatorSpec | null {
  let rest = name
  let set: OperatorSpec['set'] = null
  const colon = rest.indexOf(':')
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase()
    if (prefix === 'foranyvalue') set = 'any'
    else if (prefix === 'forallvalues') set = 'all'
    else return null
    rest = rest.slice(colon + 1)
  }
  let ifExists = false
  let def = BY_NAME.get(rest.toLowerCase())
  if (def === undefined && rest.toLowerCase().endsWith('ifexists')) {
    def = BY_NAME.get(rest.slice(0, -'IfExists'.length).toLowerCase())
    ifExists = true
    // "You can add IfExists to the end of any condition operator name except the Null condition."
    if (def === Null) return null
  }
  if (def === undefined) return null
  return { def, set, ifExists }
}

export interface ConditionValue {
  text: string
  /** Set when the value holds policy variables (and the operator supports them). */
  template: Template | null
}

export interface ParsedCondition extends OperatorSpec {
  /** The operator as written in the policy. */
  operator: string
  /** The key as written in the policy; matched case-insensitively. */
  key: string
  keyLower: string
  values: ConditionValue[]
}

export interface ConditionOutcome {
  matched: boolean
  /** A policy variable in a value had no value: the statement is invalid for this request. */
  unresolved: boolean
  /** The context values the condition saw (null = key absent). */
  contextValues: readonly string[] | null
}

/** Policy values with variables substituted; null when a variable has no value (the statement is then invalid). */
function resolveValues(c: ParsedCondition, ctx: ContextLookup, missing: string[]): PolicyValue[] | null {
  const out: PolicyValue[] = []
  let ok = true
  for (const v of c.values) {
    if (v.template === null) {
      out.push({ text: v.text, parts: null })
      continue
    }
    const parts = resolveTemplate(v.template, ctx, missing)
    if (parts === null) ok = false
    else out.push({ text: partsToString(parts), parts })
  }
  return ok ? out : null
}

export function evaluateCondition(c: ParsedCondition, ctx: ContextLookup, missing: string[]): ConditionOutcome {
  const values = ctx.get(c.keyLower)
  if (values === undefined) missing.push(c.key)
  if (c.def === Null) {
    const absent = values === undefined ? 'true' : 'false'
    return { matched: c.values.some((v) => v.text.toLowerCase() === absent), unresolved: false, contextValues: values ?? null }
  }
  if (values === undefined) {
    let matched: boolean
    if (c.ifExists) matched = true
    else if (c.set === 'all') matched = true
    else if (c.set === 'any') matched = false
    else matched = c.def.negated
    return { matched, unresolved: false, contextValues: null }
  }
  const pols = resolveValues(c, ctx, missing)
  if (pols === null) return { matched: false, unresolved: true, contextValues: values }
  const def = c.def
  const positive = (cv: string): boolean => {
    for (const p of pols) if (def.match(cv, p)) return true
    return false
  }
  let matched: boolean
  if (c.set === 'any') matched = values.some((cv) => positive(cv) !== def.negated)
  else if (c.set === 'all') matched = values.every((cv) => positive(cv) !== def.negated)
  else matched = values.some(positive) !== def.negated
  return { matched, unresolved: false, contextValues: values }
}
