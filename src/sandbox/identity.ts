/**
 * Who is calling, from the SigV4 signature: the access key id and the
 * credential scope `<date>/<region>/<service>/aws4_request`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html).
 * Signatures are not verified: the sandbox holds no secrets. Access keys the
 * sandbox did not issue are the long-term credentials of the world's caller
 * account; keys issued by sts:AssumeRole map back to the assumed role.
 */
import { AwsError } from './aws-error.js'

export interface SigV4Scope {
  accessKeyId: string
  date: string
  region: string
  service: string
}

/** Parses the Authorization header (or presigned query parameters). Undefined when unsigned. */
export function parseSigV4(authorization: string | undefined, query?: URLSearchParams): SigV4Scope | undefined {
  let credential: string | undefined
  if (authorization !== undefined) {
    if (!authorization.startsWith('AWS4-HMAC-SHA256 ')) {
      throw new AwsError('IncompleteSignature', `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization.split(' ')[0] ?? ''}`)
    }
    const m = /Credential=([^,\s]+)/.exec(authorization)
    if (!m || !/SignedHeaders=/.test(authorization) || !/Signature=/.test(authorization)) {
      throw new AwsError('IncompleteSignature', "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.")
    }
    credential = m[1]
  } else if (query?.get('X-Amz-Credential')) {
    credential = query.get('X-Amz-Credential') ?? undefined
  } else {
    return undefined
  }
  const parts = (credential ?? '').split('/')
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !parts[0] || !parts[2] || !parts[3]) {
    throw new AwsError('IncompleteSignature', `Credential should be scoped to a valid region and service: ${credential ?? ''}`)
  }
  return { accessKeyId: parts[0], date: parts[1] ?? '', region: parts[2], service: parts[3] }
}

export interface Caller {
  accessKeyId: string
  accountId: string
  /** sts:GetCallerIdentity's Arn. */
  arn: string
  /** sts:GetCallerIdentity's UserId. */
  userId: string
  /** Set for assumed-role sessions. */
  role?: { name: string; path: string; arn: string; sessionName: string }
}

export interface IssuedCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  expiration: Date
}

/** Temporary credentials issued by AssumeRole, keyed by access key id. */
export class CredentialStore {
  private readonly issued = new Map<string, Caller>()
  private counter = 0

  constructor(private readonly defaultAccountId: string) {}

  resolve(accessKeyId: string): Caller {
    const known = this.issued.get(accessKeyId)
    if (known) return known
    // Long-term credentials of the caller account: they answer as the account root.
    return { accessKeyId, accountId: this.defaultAccountId, arn: `arn:aws:iam::${this.defaultAccountId}:root`, userId: this.defaultAccountId }
  }

  issue(accountId: string, role: { name: string; path: string; arn: string; roleId: string }, sessionName: string, durationSeconds: number, now: Date): IssuedCredentials {
    this.counter += 1
    const serial = this.counter.toString(36).toUpperCase().padStart(6, '0')
    const accessKeyId = `ASIASANDBOX${serial}`.slice(0, 20).padEnd(20, 'X')
    const caller: Caller = {
      accessKeyId,
      accountId,
      arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
      userId: `${role.roleId}:${sessionName}`,
      role: { name: role.name, path: role.path, arn: role.arn, sessionName },
    }
    this.issued.set(accessKeyId, caller)
    return {
      accessKeyId,
      secretAccessKey: `sandbox-secret-${serial}`,
      sessionToken: Buffer.from(`sandbox-session:${accessKeyId}:${accountId}:${role.name}`).toString('base64'),
      expiration: new Date(now.getTime() + durationSeconds * 1000),
    }
  }
}
