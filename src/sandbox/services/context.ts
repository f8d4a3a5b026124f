/**
 * What a service handler receives: the world, the caller (from SigV4), the
 * region of the call and the credential store (for sts:AssumeRole). Handlers
 * are plain functions from an input object (the SDK's member names) to an
 * output object; the wire layer decodes and encodes.
 */
import { AwsError } from '../aws-error.js'
import type { Caller, CredentialStore } from '../identity.js'
import type { Model } from '../model.js'
import { decodeToken, encodeToken } from '../wire/encode.js'

export interface CallContext {
  model: Model
  caller: Caller
  region: string
  credentials: CredentialStore
  now: Date
}

export type Input = Record<string, unknown>
export type Handler = (ctx: CallContext, input: Input) => unknown

export function str(input: Input, name: string): string | undefined {
  const v = input[name]
  if (v === undefined || v === null) return undefined
  return typeof v === 'string' ? v : String(v)
}

export function required(input: Input, name: string, code: string, message?: string): string {
  const v = str(input, name)
  if (v === undefined || v === '') throw new AwsError(code, message ?? `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`)
  return v
}

/** Integer parameter in [min, max]; undefined when absent. */
export function intParam(input: Input, name: string, min: number, max: number, code: string): number | undefined {
  const v = input[name]
  if (v === undefined || v === null || v === '') return undefined
  const n = typeof v === 'number' ? v : Number(v)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AwsError(code, `1 validation error detected: Value '${String(v)}' at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must have value between ${min} and ${max}`)
  }
  return n
}

export interface Page<T> { items: T[]; next?: string }

/**
 * One page of `all`, starting at the offset a token encodes. `scope` names the
 * listing (operation + filters) so a token is only valid for the listing that made it.
 */
export function paginate<T>(all: T[], limit: number, token: string | undefined, scope: string, invalid: () => AwsError): Page<T> {
  let start = 0
  if (token !== undefined && token !== '') {
    const decoded = decodeToken(token, scope)
    if (decoded === undefined || decoded > all.length) throw invalid()
    start = decoded
  }
  const items = all.slice(start, start + limit)
  const end = start + items.length
  return end < all.length ? { items, next: encodeToken(end, scope) } : { items }
}

/** The policy document as IAM serves it: JSON, percent-encoded per RFC 3986. */
export function iamEncode(doc: unknown): string {
  return encodeURIComponent(JSON.stringify(doc))
}
