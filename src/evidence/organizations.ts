/**
 * Organizations evidence. DescribeOrganization answers any member account, so
 * it is asked with the job account's credentials (that is the organization the
 * job lives in); every other read answers only the management account, so it
 * goes through the management account's credentials
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListPoliciesForTarget.html).
 *
 * For each involved account: the path account → OUs → root (ListParents, one
 * dependent hop per level; ChildNotFoundException on the account = not a member), and at every level the SCPs and RCPs attached
 * (ListPoliciesForTarget with each filter) with their documents (DescribePolicy).
 * A level's policies are fetched as soon as the level is known, in parallel with
 * the next hop. SCPs and RCPs apply from every level of the path
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html).
 */
import {
  DescribeOrganizationCommand, DescribePolicyCommand, ListParentsCommand, ListPoliciesForTargetCommand,
} from '@aws-sdk/client-organizations'
import type { OrganizationsClient } from '@aws-sdk/client-organizations'
import { AwsCallError } from '../aws/errors.js'
import type { Chain } from './flow.js'
import { absent, badResponse, fullyRead, item, read, unreadable } from './flow.js'
import type { AccountOrgEvidence, Item, OrgLevel, OrgPolicy, PolicyDocument } from './types.js'

const MAX_PAGES = 20
/** Organizations nest OUs at most five deep under the root. */
const MAX_HOPS = 8

type PolicyType = OrgPolicy['type']

function orgCall<T>(c: Chain, accountId: string, operation: string, send: (cl: OrganizationsClient) => Promise<T>): Promise<T> {
  return c.call({ service: 'organizations', operation, accountId, region: c.ctx.config.defaultRegion }, () => c.ctx.organizations(accountId), send)
}

export interface OrgDescription {
  id: string
  managementAccountId: string
}

/** DescribeOrganization with `accountId`'s credentials. `absent` when the account is in no organization. */
export function describeOrganization(c: Chain, accountId: string): Promise<Item<OrgDescription>> {
  return c.cached(`${accountId}|org:describe`, 'stable', (f) => item(
    orgCall(f, accountId, 'DescribeOrganization', (cl) => cl.send(new DescribeOrganizationCommand({}))).then((o) => {
      const id = o.Organization?.Id
      const mgmt = o.Organization?.MasterAccountId
      if (!id || !mgmt) throw badResponse({ service: 'organizations', operation: 'DescribeOrganization' }, 'no organization id or management account')
      return { id, managementAccountId: mgmt }
    }),
    `account ${accountId} is not in an organization`,
  ), fullyRead)
}

function parsePolicyContent(raw: string | undefined): PolicyDocument {
  const meta = { service: 'organizations', operation: 'DescribePolicy' }
  if (typeof raw !== 'string') throw badResponse(meta, 'no policy content')
  let doc: unknown
  try {
    doc = JSON.parse(raw)
  } catch {
    throw new AwsCallError({ errorName: 'MalformedPolicyDocument', errorClass: 'invalid', ...meta, message: 'policy content is not valid JSON' })
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new AwsCallError({ errorName: 'MalformedPolicyDocument', errorClass: 'invalid', ...meta, message: 'policy content is not a JSON object' })
  }
  return doc as PolicyDocument
}

/** One SCP/RCP document, cached by id in the management account. */
function describePolicy(c: Chain, mgmt: string, id: string, type: PolicyType): Promise<OrgPolicy> {
  return c.cached(`${mgmt}|org:policy|${id}`, 'stable', (f) =>
    orgCall(f, mgmt, 'DescribePolicy', (cl) => cl.send(new DescribePolicyCommand({ PolicyId: id }))).then((o): OrgPolicy => {
      const s = o.Policy?.PolicySummary
      return {
        id: s?.Id ?? id,
        name: s?.Name ?? id,
        type: s?.Type === 'RESOURCE_CONTROL_POLICY' || s?.Type === 'SERVICE_CONTROL_POLICY' ? s.Type : type,
        awsManaged: s?.AwsManaged === true,
        document: parsePolicyContent(o.Policy?.Content),
      }
    }))
}

/** The policies of one type attached to one target (root, OU or account), with documents. */
function readLevelPolicies(c: Chain, mgmt: string, target: string, type: PolicyType): Promise<Item<OrgPolicy[]>> {
  return c.cached(`${mgmt}|org:target-policies|${target}|${type}`, 'stable', async (f) => {
    const ids: string[] = []
    try {
      let token: string | undefined
      for (let page = 0; ; page++) {
        if (page >= MAX_PAGES) throw badResponse({ service: 'organizations', operation: 'ListPoliciesForTarget' }, 'too many pages')
        const out = await orgCall(f, mgmt, 'ListPoliciesForTarget', (cl) =>
          cl.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: type, ...(token ? { NextToken: token } : {}) })))
        for (const p of out.Policies ?? []) if (p.Id) ids.push(p.Id)
        if (!out.NextToken) break
        token = out.NextToken
      }
    } catch (e) {
      // A policy type that is not enabled in the organization filters nothing: no such policies apply.
      if (e instanceof AwsCallError && e.errorName === 'PolicyTypeNotEnabledException') {
        return absent<OrgPolicy[]>(`${type} is not enabled in the organization`)
      }
      return unreadable<OrgPolicy[]>(e)
    }
    const forks = ids.map(() => f.fork())
    try {
      const docs = await Promise.all(ids.map((id, i) => describePolicy(forks[i]!, mgmt, id, type)))
      return read(docs)
    } catch (e) {
      // One unreadable document makes the level's set unreadable: a partial set could hide a deny.
      return unreadable<OrgPolicy[]>(e)
    } finally {
      f.join(...forks)
    }
  }, fullyRead)
}

function readLevel(c: Chain, mgmt: string, id: string, type: OrgLevel['type']): Promise<OrgLevel> {
  const [fs, fr] = [c.fork(), c.fork()]
  return Promise.all([readLevelPolicies(fs, mgmt, id, 'SERVICE_CONTROL_POLICY'), readLevelPolicies(fr, mgmt, id, 'RESOURCE_CONTROL_POLICY')])
    .then(([scps, rcps]) => {
      c.join(fs, fr)
      return { id, type, scps, rcps }
    })
}

/** The parent of a child (account or OU), cached: the org tree changes rarely. */
function parentOf(c: Chain, mgmt: string, childId: string): Promise<{ id: string; type: 'ROOT' | 'ORGANIZATIONAL_UNIT' }> {
  return c.cached(`${mgmt}|org:parent|${childId}`, 'stable', (f) =>
    orgCall(f, mgmt, 'ListParents', (cl) => cl.send(new ListParentsCommand({ ChildId: childId }))).then((o) => {
      const p = o.Parents?.[0]
      if (!p?.Id || (p.Type !== 'ROOT' && p.Type !== 'ORGANIZATIONAL_UNIT')) {
        throw badResponse({ service: 'organizations', operation: 'ListParents' }, `no parent for ${childId}`)
      }
      return { id: p.Id, type: p.Type }
    }))
}

/**
 * The path [root, ou..., account] of one account with each level's SCPs and RCPs; `absent` when the
 * account is not a member. Membership needs no call of its own: ListParents on the account answers
 * ChildNotFoundException for an account outside the organization
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html).
 */
export async function readAccountOrg(c: Chain, mgmt: string, accountId: string): Promise<Item<AccountOrgEvidence>> {
  const levelForks: Chain[] = []
  const levels: Promise<OrgLevel>[] = []
  const startLevel = (from: Chain, id: string, type: OrgLevel['type']) => {
    const f = from.fork()
    levelForks.push(f)
    levels.push(readLevel(f, mgmt, id, type))
  }
  // The next hop leaves before a level's policy lists: the hops are the longer chain.
  const hop = c.fork()
  let next = parentOf(hop, mgmt, accountId)
  startLevel(c, accountId, 'ACCOUNT')
  let pathError: unknown
  let notMember = false
  // The account's own ListParents is what says whether it is a member (ChildNotFoundException):
  // when that call fails otherwise (throttled, denied), membership is as unknown as the path.
  let membershipUnknown = false
  try {
    for (let i = 0; i < MAX_HOPS; i++) {
      let p
      try {
        p = await next
      } catch (e) {
        if (i === 0 && e instanceof AwsCallError && e.errorName === 'ChildNotFoundException') notMember = true
        else if (i === 0) membershipUnknown = true
        throw e
      }
      if (p.type === 'ROOT') {
        startLevel(hop, p.id, p.type)
        break
      }
      if (i === MAX_HOPS - 1) throw badResponse({ service: 'organizations', operation: 'ListParents' }, 'path deeper than any organization allows')
      next = parentOf(hop, mgmt, p.id)
      startLevel(hop, p.id, p.type)
    }
  } catch (e) {
    pathError = e
  }
  const levelList = await Promise.all(levels)
  c.join(hop, ...levelForks)
  if (notMember) return absent(`account ${accountId} is not a member of the organization (ChildNotFoundException)`)
  if (membershipUnknown) return unreadable(pathError)
  // Root first, account last.
  const path: Item<OrgLevel[]> = pathError === undefined ? read([...levelList].reverse()) : unreadable(pathError)
  return read({ accountId, path })
}

