/**
 * BinaryEquals — compares base-64 encoded binary values byte for byte (IAM User
 * Guide, Condition operators, Binary condition operators).
 */
import type { OperatorDef } from './types.js'

const B64 = /^[A-Za-z0-9+/]*={0,2}$/

function decode(s: string): Buffer | null {
  const t = s.trim()
  if (t.length % 4 !== 0 || !B64.test(t)) return null
  return Buffer.from(t, 'base64')
}

export const BinaryEquals: OperatorDef = {
  name: 'BinaryEquals',
  negated: false,
  variables: false,
  validate: (v) => (decode(v) === null ? 'not base-64' : null),
  match: (ctx, pol) => {
    const a = decode(ctx)
    const b = decode(pol.text)
    return a !== null && b !== null && a.equals(b)
  },
}
