/**
 * IAM evidence: a role with everything that decides what it may do — trust
 * policy, inline policies, attached managed policies (their default version
 * documents) and permissions boundary.
 *
 * The role lists (ListRolePolicies, ListAttachedRolePolicies) need only the role
 * name, so they start together with GetRole; only the boundary waits for
 * GetRole. Managed policies chain GetPolicy (DefaultVersionId) → GetPolicyVersion.
 * IAM returns every policy document URL-encoded (RFC 3986)
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html).
 */
import {
  GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand, ListRolePoliciesCommand,
} from '@aws-sdk/client-iam'
import type { IAMClient } from '@aws-sdk/client-iam'
import { AwsCallError } from '../aws/errors.js'
import type { Chain } from './flow.js'
import { absent, badResponse, fullyRead, item, notCollected, read, unreadable } from './flow.js'
import type { Item, NamedPolicy, PolicyDocument, RoleEvidence } from './types.js'

/** Pages are bounded: a role has at most a few hundred policies (IAM quotas). */
const MAX_PAGES = 50

/** Parses a policy document as IAM sends it (URL-encoded JSON), or as plain JSON. */
export function decodePolicyDocument(raw: string | undefined, meta: { service: string; operation: string }): PolicyDocument {
  if (typeof raw !== 'string' || raw === '') throw badResponse(meta, 'no policy document in the answer')
  let text = raw.trimStart()
  if (!text.startsWith('{')) {
    try {
      text = decodeURIComponent(raw)
    } catch {
      throw new AwsCallError({ errorName: 'MalformedPolicyDocument', errorClass: 'invalid', ...meta, message: 'policy document is not URL-encoded JSON' })
    }
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw new AwsCallError({ errorName: 'MalformedPolicyDocument', errorClass: 'invalid', ...meta, message: 'policy document is not valid JSON' })
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new AwsCallError({ errorName: 'MalformedPolicyDocument', errorClass: 'invalid', ...meta, message: 'policy document is not a JSON object' })
  }
  return doc as PolicyDocument
}

function iamMeta(operation: string, accountId: string, c: Chain) {
  return { service: 'iam', operation, accountId, region: c.ctx.config.defaultRegion }
}

function iamCall<T>(c: Chain, accountId: string, operation: string, send: (cl: IAMClient) => Promise<T>): Promise<T> {
  return c.call(iamMeta(operation, accountId, c), () => c.ctx.iam(accountId), send)
}

export function isAwsManagedPolicyArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn)
}

/**
 * A managed policy's default version. GetPolicy is cached per account (AWS managed: stable, customer: volatile,
 * as the default version may change); a version document never changes, so it is cached for long.
 */
export function readManagedPolicy(c: Chain, accountId: string, arn: string): Promise<Item<NamedPolicy>> {
  const awsManaged = isAwsManagedPolicyArn(arn)
  return c.cached(`${accountId}|iam:managed|${arn}`, awsManaged ? 'stable' : 'volatile', async (f) => {
    const meta = iamMeta('GetPolicy', accountId, f)
    let policy
    try {
      policy = (await iamCall(f, accountId, 'GetPolicy', (cl) => cl.send(new GetPolicyCommand({ PolicyArn: arn })))).Policy
    } catch (e) {
      if (e instanceof AwsCallError && e.errorClass === 'not-found') return absent<NamedPolicy>(`no managed policy ${arn} (${e.errorName})`)
      return unreadable<NamedPolicy>(e)
    }
    const versionId = policy?.DefaultVersionId
    if (typeof versionId !== 'string') return unreadable<NamedPolicy>(badResponse(meta, 'GetPolicy returned no DefaultVersionId'))
    const name = policy?.PolicyName ?? arn.slice(arn.lastIndexOf('/') + 1)
    // AWS managed documents are the same in every account: share them; customer ones stay per account.
    const docKey = awsManaged ? `aws|iam:version|${arn}|${versionId}` : `${accountId}|iam:version|${arn}|${versionId}`
    const doc = await f.cached(docKey, 'immutable', (g) => item(
      iamCall(g, accountId, 'GetPolicyVersion', (cl) => cl.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })))
        .then((o) => decodePolicyDocument(o.PolicyVersion?.Document, { service: 'iam', operation: 'GetPolicyVersion' })),
      `no version ${versionId} of ${arn}`,
    ), fullyRead)
    if (doc.state !== 'read') return doc as Item<NamedPolicy>
    return read<NamedPolicy>({ id: arn, name, kind: awsManaged ? 'aws-managed' : 'customer-managed', versionId, document: doc.value })
  }, fullyRead)
}

async function listInline(c: Chain, accountId: string, roleName: string): Promise<string[]> {
  const names: string[] = []
  let marker: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await iamCall(c, accountId, 'ListRolePolicies', (cl) =>
      cl.send(new ListRolePoliciesCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) })))
    names.push(...(out.PolicyNames ?? []))
    if (out.IsTruncated !== true || !out.Marker) return names
    marker = out.Marker
  }
  throw badResponse(iamMeta('ListRolePolicies', accountId, c), 'too many pages')
}

async function listAttached(c: Chain, accountId: string, roleName: string): Promise<{ arn: string; name: string }[]> {
  const out: { arn: string; name: string }[] = []
  let marker: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await iamCall(c, accountId, 'ListAttachedRolePolicies', (cl) =>
      cl.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) })))
    for (const p of r.AttachedPolicies ?? []) if (p.PolicyArn) out.push({ arn: p.PolicyArn, name: p.PolicyName ?? p.PolicyArn })
    if (r.IsTruncated !== true || !r.Marker) return out
    marker = r.Marker
  }
  throw badResponse(iamMeta('ListAttachedRolePolicies', accountId, c), 'too many pages')
}

async function readInlinePolicies(c: Chain, accountId: string, roleName: string): Promise<Item<Record<string, Item<NamedPolicy>>>> {
  let names: string[]
  try {
    names = await listInline(c, accountId, roleName)
  } catch (e) {
    return unreadable(e)
  }
  const forks = names.map(() => c.fork())
  const docs = await Promise.all(names.map((name, i) => item(
    iamCall(forks[i]!, accountId, 'GetRolePolicy', (cl) => cl.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name })))
      .then((o): NamedPolicy => ({ id: name, name, kind: 'inline', document: decodePolicyDocument(o.PolicyDocument, { service: 'iam', operation: 'GetRolePolicy' }) })),
    `inline policy ${name} is gone`,
  )))
  c.join(...forks)
  return read(Object.fromEntries(names.map((n, i) => [n, docs[i]!])))
}

async function readAttachedPolicies(c: Chain, accountId: string, roleName: string): Promise<Item<Record<string, Item<NamedPolicy>>>> {
  let attached: { arn: string; name: string }[]
  try {
    attached = await listAttached(c, accountId, roleName)
  } catch (e) {
    return unreadable(e)
  }
  const forks = attached.map(() => c.fork())
  const docs = await Promise.all(attached.map((p, i) => readManagedPolicy(forks[i]!, accountId, p.arn)))
  c.join(...forks)
  return read(Object.fromEntries(attached.map((p, i) => [p.arn, docs[i]!])))
}

const SLR_POLICIES_NOT_READ = 'not read: only the role itself is needed (a service-linked role\'s permissions are defined by AWS and cannot be edited)'

/**
 * Reads a role by name with all its policies (`policies: false`: GetRole only,
 * for a role whose existence and trust policy are all a diagnosis needs). `absent` when IAM has no role of
 * that name. Names are unique per account whatever the path, so the caller
 * compares the returned ARN with the one it expected.
 * Cached (volatile) per account and name; a result with unreadable parts is not kept.
 */
export function readRole(c: Chain, accountId: string, roleName: string, opts: { policies?: boolean } = {}): Promise<Item<RoleEvidence>> {
  const withPolicies = opts.policies ?? true
  return c.cached(`${accountId}|iam:${withPolicies ? 'role' : 'role-only'}|${roleName}`, 'volatile', async (f) => {
    const [fr, fi, fa] = [f.fork(), f.fork(), f.fork()]
    const notRead = notCollected<Record<string, Item<NamedPolicy>>>(SLR_POLICIES_NOT_READ)
    // Attached first: GetPolicy then GetPolicyVersion follow it, the longest chain of a role.
    const attachedP = withPolicies ? readAttachedPolicies(fa, accountId, roleName) : Promise.resolve(notRead)
    const inlineP = withPolicies ? readInlinePolicies(fi, accountId, roleName) : Promise.resolve(notRead)
    let role
    try {
      role = (await iamCall(fr, accountId, 'GetRole', (cl) => cl.send(new GetRoleCommand({ RoleName: roleName })))).Role
    } catch (e) {
      // Let the parallel lists settle (they fail the same way) so no promise is left dangling.
      await Promise.allSettled([inlineP, attachedP])
      f.join(fr, fi, fa)
      if (e instanceof AwsCallError && e.errorClass === 'not-found') return absent<RoleEvidence>(`no role named ${roleName} in account ${accountId} (${e.errorName})`)
      return unreadable<RoleEvidence>(e)
    }
    if (role?.Arn === undefined || role.RoleName === undefined) {
      await Promise.allSettled([inlineP, attachedP])
      return unreadable<RoleEvidence>(badResponse({ service: 'iam', operation: 'GetRole' }, 'GetRole returned no role'))
    }
    let trustPolicy: PolicyDocument
    try {
      trustPolicy = decodePolicyDocument(role.AssumeRolePolicyDocument, { service: 'iam', operation: 'GetRole' })
    } catch (e) {
      await Promise.allSettled([inlineP, attachedP])
      return unreadable<RoleEvidence>(e)
    }
    const boundaryArn = role.PermissionsBoundary?.PermissionsBoundaryArn
    const boundaryP: Promise<Item<NamedPolicy>> = !withPolicies
      ? Promise.resolve(notCollected(SLR_POLICIES_NOT_READ))
      : boundaryArn
      ? readManagedPolicy(fr, accountId, boundaryArn)
      : Promise.resolve(absent('the role has no permissions boundary'))
    const [inlinePolicies, attachedPolicies, permissionsBoundary] = await Promise.all([inlineP, attachedP, boundaryP])
    f.join(fr, fi, fa)
    const tags: Record<string, string> = {}
    for (const t of role.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? ''
    return read<RoleEvidence>({
      arn: role.Arn,
      name: role.RoleName,
      path: role.Path ?? '/',
      accountId,
      roleId: role.RoleId ?? null,
      trustPolicy,
      inlinePolicies,
      attachedPolicies,
      permissionsBoundary,
      ...(boundaryArn ? { permissionsBoundaryArn: boundaryArn } : {}),
      tags,
    })
  }, fullyRead)
}
