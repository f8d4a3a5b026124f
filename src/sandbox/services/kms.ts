/**
 * AWS KMS (awsJson1_1, target prefix TrentService). Keys are regional and
 * belong to the calling account; a key of another account is not readable
 * here (the sandbox does not evaluate key policies for cross-account reads).
 * KeyId forms: https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
 */
import { AwsError } from '../aws-error.js'
import { DERIVED_CREATE_DATE } from '../model.js'
import type { WorldKey } from '../world.js'
import { type CallContext, type Handler, type Input, intParam, paginate, required, str } from './context.js'

interface Resolved { key: WorldKey; arn: string }

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/

/**
 * Resolves a KeyId (id, key ARN, and where `aliases` is true alias name or alias ARN).
 * `operation` names the action in AccessDenied messages.
 */
function resolveKey(ctx: CallContext, keyId: string, aliases: boolean, operation: string): Resolved {
  let region = ctx.region
  let account = ctx.caller.accountId
  let ref = keyId
  const m = KEY_ARN.exec(keyId)
  if (m) {
    region = m[1]!
    account = m[2]!
    ref = m[3]!
  } else if (keyId.startsWith('arn:')) {
    throw new AwsError('InvalidArnException', `Invalid arn ${keyId}`)
  }
  const notFound = () => new AwsError('NotFoundException', ref.startsWith('alias/')
    ? `Alias ${ctx.model.aliasArn(account, region, ref)} is not found.`
    : `Key '${ctx.model.keyArn(account, { id: ref.replace(/^key\//, ''), region, policy: { Statement: [] } })}' does not exist`)
  if (ref.startsWith('alias/') && !aliases) throw notFound()
  if (region !== ctx.region) throw notFound()
  if (account !== ctx.caller.accountId) {
    if (ref.startsWith('alias/')) throw notFound()
    throw new AwsError('AccessDeniedException', `User: ${ctx.caller.arn} is not authorized to perform: kms:${operation} on resource: ${keyId} because no resource-based policy allows the kms:${operation} action`)
  }
  const keys = ctx.model.keys(account, region)
  const key = ref.startsWith('alias/')
    ? keys.find((k) => k.aliases?.includes(ref))
    : keys.find((k) => k.id === ref.replace(/^key\//, ''))
  if (!key) throw notFound()
  return { key, arn: ctx.model.keyArn(account, key) }
}

function keyIdParam(input: Input): string {
  return required(input, 'KeyId', 'ValidationException', "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null")
}

export const kms: Record<string, Handler> = {
  DescribeKey(ctx, input) {
    const { key, arn } = resolveKey(ctx, keyIdParam(input), true, 'DescribeKey')
    const state = key.keyState ?? 'Enabled'
    return {
      KeyMetadata: {
        AWSAccountId: ctx.caller.accountId,
        KeyId: key.id,
        Arn: arn,
        CreationDate: DERIVED_CREATE_DATE,
        Enabled: state === 'Enabled',
        Description: key.description ?? '',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyState: state,
        Origin: 'AWS_KMS',
        KeyManager: key.keyManager ?? 'CUSTOMER',
        CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        MultiRegion: false,
      },
    }
  },

  GetKeyPolicy(ctx, input) {
    // GetKeyPolicy takes a key id or key ARN only, and is not a cross-account operation.
    const { key } = resolveKey(ctx, keyIdParam(input), false, 'GetKeyPolicy')
    const name = str(input, 'PolicyName') ?? 'default'
    if (name !== 'default') throw new AwsError('NotFoundException', `Policy ${name} does not exist on key ${key.id}`)
    return { Policy: JSON.stringify(key.policy), PolicyName: 'default' }
  },

  ListAliases(ctx, input) {
    const limit = intParam(input, 'Limit', 1, 100, 'ValidationException') ?? 50
    const filter = str(input, 'KeyId')
    let keys = ctx.model.keys(ctx.caller.accountId, ctx.region)
    if (filter !== undefined) keys = [resolveKey(ctx, filter, false, 'ListAliases').key]
    const aliases = keys.flatMap((k) => (k.aliases ?? []).map((name) => ({
      AliasName: name,
      AliasArn: ctx.model.aliasArn(ctx.caller.accountId, ctx.region, name),
      TargetKeyId: k.id,
      CreationDate: DERIVED_CREATE_DATE,
      LastUpdatedDate: DERIVED_CREATE_DATE,
    })))
    const page = paginate(aliases, limit, str(input, 'Marker'), `kms:la:${ctx.caller.accountId}:${ctx.region}:${filter ?? ''}`,
      () => new AwsError('InvalidMarkerException', 'Invalid marker'))
    return { Aliases: page.items, NextMarker: page.next, Truncated: page.next !== undefined }
  },
}
