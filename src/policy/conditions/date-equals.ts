/**
 * DateEquals / DateNotEquals — Matching a specific date (IAM User Guide, Condition operators, Date
 * condition operators). Values are ISO 8601 or epoch seconds; a context value
 * that is neither never matches.
 */
import { parseDate } from './shared.js'
import { negationOf, type OperatorDef } from './types.js'

export const DateEquals: OperatorDef = {
  name: 'DateEquals',
  negated: false,
  variables: false,
  validate: (v) => (parseDate(v) === null ? 'not an ISO 8601 date or epoch time' : null),
  match: (ctx, pol) => {
    const a = parseDate(ctx)
    const b = parseDate(pol.text)
    return a !== null && b !== null && a === b
  },
}

export const DateNotEquals = negationOf(DateEquals, 'DateNotEquals')
