/**
 * Bool — "Boolean matching" of values "true"/"false" (IAM User Guide, Condition
 * operators, Boolean condition operators), compared without regard to case.
 */
import type { OperatorDef } from './types.js'

export const Bool: OperatorDef = {
  name: 'Bool',
  negated: false,
  variables: false,
  match: (ctx, pol) => ctx.toLowerCase() === pol.text.toLowerCase(),
}
