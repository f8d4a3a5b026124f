/**
 * Encoded authorization failure messages. AWS services put
 * "Encoded authorization failure message: <blob>" in errors when a call was
 * denied; sts:DecodeAuthorizationMessage in the account where the denial
 * happened returns the JSON (principal, action, resource, matched statements)
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html).
 */
import { DecodeAuthorizationMessageCommand } from '@aws-sdk/client-sts'
import { AwsCallError } from '../aws/errors.js'
import type { Chain } from './flow.js'
import { badResponse, fullyRead, item } from './flow.js'
import type { DecodedAuthorizationMessage } from './types.js'

const ENCODED = /Encoded authorization failure message:\s*([A-Za-z0-9_\-+/=]{8,})/gi

export function findEncodedMessages(statusMessage: string | null): string[] {
  if (!statusMessage) return []
  return [...new Set([...statusMessage.matchAll(ENCODED)].map((m) => m[1]!))]
}

export async function decodeMessages(c: Chain, accountId: string, region: string, statusMessage: string | null): Promise<DecodedAuthorizationMessage[]> {
  const encoded = findEncodedMessages(statusMessage)
  const forks = encoded.map(() => c.fork())
  const out = await Promise.all(encoded.map(async (enc, i): Promise<DecodedAuthorizationMessage> => {
    const decoded = await forks[i]!.cached(`${accountId}|sts:decode|${enc}`, 'immutable', (f) => item(
      f.call({ service: 'sts', operation: 'DecodeAuthorizationMessage', accountId, region }, () => f.ctx.sts(accountId, region), (cl) =>
        cl.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: enc }))).then((o) => {
        const meta = { service: 'sts', operation: 'DecodeAuthorizationMessage' }
        if (typeof o.DecodedMessage !== 'string') throw badResponse(meta, 'no DecodedMessage')
        let v: unknown
        try {
          v = JSON.parse(o.DecodedMessage)
        } catch {
          throw new AwsCallError({ errorName: 'MalformedDecodedMessage', errorClass: 'invalid', ...meta, message: 'decoded message is not JSON' })
        }
        if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badResponse(meta, 'decoded message is not a JSON object')
        return v as Record<string, unknown>
      }),
    ), fullyRead)
    return { encoded: enc, decoded }
  }))
  c.join(...forks)
  return out
}

/** Role ARNs a decoded message says were to be passed (`iam:PassRole` on a role). */
export function passRoleTargets(messages: DecodedAuthorizationMessage[]): string[] {
  const out = new Set<string>()
  for (const m of messages) {
    if (m.decoded.state !== 'read') continue
    const ctx = m.decoded.value.context as { action?: unknown; resource?: unknown } | undefined
    if (ctx && typeof ctx.action === 'string' && ctx.action.toLowerCase() === 'iam:passrole' && typeof ctx.resource === 'string') out.add(ctx.resource)
  }
  return [...out]
}
