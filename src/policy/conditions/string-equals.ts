/**
 * StringEquals / StringNotEquals — exact, case-sensitive matching
 * (IAM User Guide, Condition operators, String condition operators).
 * Policy variables are substituted in the values.
 */
import { negationOf, type OperatorDef } from './types.js'

export const StringEquals: OperatorDef = {
  name: 'StringEquals',
  negated: false,
  variables: true,
  match: (ctx, pol) => ctx === pol.text,
}

export const StringNotEquals = negationOf(StringEquals, 'StringNotEquals')
