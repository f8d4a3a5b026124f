/**
 * Null — "checks whether a condition key is absent": value "true" matches when the
 * key is absent (or, for AWS, "null"), "false" when it is present (IAM User Guide,
 * Condition operators, Condition operator to check existence of condition keys).
 * Evaluated specially by the condition engine, which sees presence, not values.
 */
import type { OperatorDef } from './types.js'

export const Null: OperatorDef = {
  name: 'Null',
  negated: false,
  variables: false,
  validate: (v) => (/^(true|false)$/i.test(v) ? null : 'must be "true" or "false"'),
  // `ctx` is "true" when the key is absent, "false" when present.
  match: (ctx, pol) => ctx === pol.text.toLowerCase(),
}
