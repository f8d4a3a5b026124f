/**
 * ArnLike / ArnNotLike — same matching as ArnEquals (IAM User Guide, Condition
 * operators, ARN condition operators).
 */
import { ArnEquals } from './arn-equals.js'
import { negationOf, type OperatorDef } from './types.js'

export const ArnLike: OperatorDef = { ...ArnEquals, name: 'ArnLike' }

export const ArnNotLike = negationOf(ArnLike, 'ArnNotLike')
