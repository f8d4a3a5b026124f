/**
 * ArnEquals / ArnNotEquals — case-sensitive ARN matching. AWS documents ArnEquals
 * and ArnLike identically: "each of the six colon-delimited components of the ARN
 * is checked separately and each can include multi-character match wildcards (*)
 * or single-character match wildcards (?)" (IAM User Guide, Condition operators,
 * Amazon Resource Name (ARN) condition operators).
 */
import { arnMatch, arnMatchParts } from '../wildcard.js'
import { negationOf, type OperatorDef } from './types.js'

export const ArnEquals: OperatorDef = {
  name: 'ArnEquals',
  negated: false,
  variables: true,
  match: (ctx, pol) => (pol.parts === null ? arnMatch(pol.text, ctx) : arnMatchParts(pol.parts, ctx)),
}

export const ArnNotEquals = negationOf(ArnEquals, 'ArnNotEquals')
