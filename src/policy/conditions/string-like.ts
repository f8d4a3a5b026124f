/**
 * StringLike / StringNotLike — case-sensitive matching where the value "can include
 * multi-character match wildcards (*) and single-character match wildcards (?)
 * anywhere in the string" (IAM User Guide, Condition operators, String condition
 * operators). Characters that came from a policy variable or `${*}` are literal.
 */
import { globMatch, globMatchParts } from '../wildcard.js'
import { negationOf, type OperatorDef } from './types.js'

export const StringLike: OperatorDef = {
  name: 'StringLike',
  negated: false,
  variables: true,
  match: (ctx, pol) => (pol.parts === null ? globMatch(pol.text, ctx) : globMatchParts(pol.parts, ctx)),
}

export const StringNotLike = negationOf(StringLike, 'StringNotLike')
