/**
 * StringEqualsIgnoreCase / StringNotEqualsIgnoreCase — exact matching ignoring case
 * (IAM User Guide, Condition operators, String condition operators).
 */
import { negationOf, type OperatorDef } from './types.js'

export const StringEqualsIgnoreCase: OperatorDef = {
  name: 'StringEqualsIgnoreCase',
  negated: false,
  variables: true,
  match: (ctx, pol) => ctx.toLowerCase() === pol.text.toLowerCase(),
}

export const StringNotEqualsIgnoreCase = negationOf(StringEqualsIgnoreCase, 'StringNotEqualsIgnoreCase')
