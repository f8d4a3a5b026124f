/**
 * KMS evidence: for each key involved, its metadata (KeyManager AWS/CUSTOMER,
 * KeyState, Enabled), aliases and `default` key policy, read in the key's own
 * account (reader role there) and region, in parallel.
 * An AWS managed key (KeyManager AWS) can never be shared with another account
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html).
 */
import { DescribeKeyCommand, GetKeyPolicyCommand, ListAliasesCommand } from '@aws-sdk/client-kms'
import type { KMSClient } from '@aws-sdk/client-kms'
import { AwsCallError } from '../aws/errors.js'
import { parseKeyArn } from './arn.js'
import type { Chain } from './flow.js'
import { absent, badResponse, fullyRead, item, read, unreadable } from './flow.js'
import type { Item, KeyEvidence, PolicyDocument } from './types.js'

const MAX_PAGES = 20

function kmsCall<T>(c: Chain, accountId: string, region: string, operation: string, send: (cl: KMSClient) => Promise<T>): Promise<T> {
  return c.call({ service: 'kms', operation, accountId, region }, () => c.ctx.kms(accountId, region), send)
}

async function listAliases(c: Chain, accountId: string, region: string, keyId: string): Promise<string[]> {
  const names: string[] = []
  let marker: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await kmsCall(c, accountId, region, 'ListAliases', (cl) => cl.send(new ListAliasesCommand({ KeyId: keyId, ...(marker ? { Marker: marker } : {}) })))
    for (const a of out.Aliases ?? []) if (a.AliasName) names.push(a.AliasName)
    if (out.Truncated !== true || !out.NextMarker) return names
    marker = out.NextMarker
  }
  throw badResponse({ service: 'kms', operation: 'ListAliases' }, 'too many pages')
}

function parseKeyPolicy(raw: string | undefined): PolicyDocument {
  const meta = { service: 'kms', operation: 'GetKeyPolicy' }
  if (typeof raw !== 'string') throw badResponse(meta, 'no key policy in the answer')
  let doc: unknown
  try {
    doc = JSON.parse(raw)
  } catch {
    throw new AwsCallError({ errorName: 'MalformedPolicyDocument', errorClass: 'invalid', ...meta, message: 'key policy is not valid JSON' })
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new AwsCallError({ errorName: 'MalformedPolicyDocument', errorClass: 'invalid', ...meta, message: 'key policy is not a JSON object' })
  }
  return doc as PolicyDocument
}

/** One key by ARN. `absent` when KMS has no such key; cached (volatile) per key ARN (which names the account). */
export function readKey(c: Chain, keyArn: string): Promise<Item<KeyEvidence>> {
  const k = parseKeyArn(keyArn)
  if (k === null) {
    return Promise.resolve(unreadable<KeyEvidence>(new AwsCallError({ errorName: 'InvalidArn', errorClass: 'invalid', service: 'kms', operation: 'DescribeKey', message: `not a KMS key ARN: ${keyArn}` })))
  }
  const { accountId, region } = k
  return c.cached(`${accountId}|${region}|kms:key|${keyArn}`, 'volatile', async (f) => {
    let keyId = k.keyId
    const [fd, fp, fa] = [f.fork(), f.fork(), f.fork()]
    const describe = () => kmsCall(fd, accountId, region, 'DescribeKey', (cl) => cl.send(new DescribeKeyCommand({ KeyId: keyArn })))
    let metaP = describe()
    if (k.isAlias) {
      // GetKeyPolicy takes no alias: resolve it first.
      try {
        const m = await metaP
        if (m.KeyMetadata?.KeyId) keyId = m.KeyMetadata.KeyId
        fp.join(fd)
        fa.join(fd)
      } catch {
        // Handled below with the other outcomes.
      }
      metaP = Promise.resolve(metaP)
    }
    const policyP = item(
      kmsCall(fp, accountId, region, 'GetKeyPolicy', (cl) => cl.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' })))
        .then((o) => parseKeyPolicy(o.Policy)),
      'the key has no default policy',
    )
    const aliasesP = item(listAliases(fa, accountId, region, keyId))
    let meta
    try {
      meta = (await metaP).KeyMetadata
    } catch (e) {
      await Promise.all([policyP, aliasesP])
      f.join(fd, fp, fa)
      if (e instanceof AwsCallError && e.errorClass === 'not-found') return absent<KeyEvidence>(`no KMS key ${keyArn} (${e.errorName})`)
      return unreadable<KeyEvidence>(e)
    }
    const [policy, aliases] = await Promise.all([policyP, aliasesP])
    f.join(fd, fp, fa)
    if (meta === undefined) return unreadable<KeyEvidence>(badResponse({ service: 'kms', operation: 'DescribeKey' }, 'no KeyMetadata'))
    return read<KeyEvidence>({
      arn: meta.Arn ?? keyArn,
      keyId: meta.KeyId ?? keyId,
      accountId,
      region,
      keyManager: meta.KeyManager ?? null,
      keyState: meta.KeyState ?? null,
      enabled: meta.Enabled ?? null,
      aliases,
      policy,
    })
  }, fullyRead)
}
