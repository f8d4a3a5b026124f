/**
 * IpAddress / NotIpAddress — the context address lies in one of the CIDR ranges
 * (IAM User Guide, Condition operators, IP address condition operators; RFC 4632
 * notation, IPv4 and IPv6).
 */
import { ipInRange, parseIpRange } from './shared.js'
import { negationOf, type OperatorDef } from './types.js'

export const IpAddress: OperatorDef = {
  name: 'IpAddress',
  negated: false,
  variables: false,
  validate: (v) => (parseIpRange(v) === null ? 'not an IP address or CIDR range' : null),
  match: (ctx, pol) => {
    const ip = parseIpRange(ctx)
    const range = parseIpRange(pol.text)
    return ip !== null && range !== null && ipInRange(ip, range)
  },
}

export const NotIpAddress = negationOf(IpAddress, 'NotIpAddress')
