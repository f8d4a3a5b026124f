/**
 * NumericLessThanEquals — Less than or equal (IAM User Guide, Condition operators, Numeric
 * condition operators). A context value that is not a number never matches.
 */
import { parseNumber } from './shared.js'
import type { OperatorDef } from './types.js'

export const NumericLessThanEquals: OperatorDef = {
  name: 'NumericLessThanEquals',
  negated: false,
  variables: false,
  validate: (v) => (parseNumber(v) === null ? 'not a number' : null),
  match: (ctx, pol) => {
    const a = parseNumber(ctx)
    const b = parseNumber(pol.text)
    return a !== null && b !== null && a <= b
  },
}
