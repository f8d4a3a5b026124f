// Builders for evaluator tests: small policies, principals and requests.
import type { EvalRequest, PolicyInput, PolicyKind, Principal, RequestContext } from '../../src/policy/types.js'

export const ACCT = '111111111111'
export const OTHER = '222222222222'
export const ROLE_ARN = `arn:aws:iam::${ACCT}:role/service-role/BackupRole`
export const SESSION_ARN = `arn:aws:sts::${ACCT}:assumed-role/BackupRole/AWSBackup-BackupRole`

export function session(roleArn = ROLE_ARN, account = ACCT): Principal {
  const name = roleArn.slice(roleArn.lastIndexOf('/') + 1)
  return { type: 'assumed-role', arn: `arn:aws:sts::${account}:assumed-role/${name}/AWSBackup-${name}`, roleArn, accountId: account }
}

export function req(action: string, resource = '*', context: RequestContext = {}, principal: Principal = session(), resourceAccount: string | null = null): EvalRequest {
  return { principal, action, resource, resourceAccount, context }
}

let n = 0
export function policy(kind: PolicyKind, statements: unknown, id?: string): PolicyInput {
  n++
  return { kind, id: id ?? `${kind}-${n}`, document: { Version: '2012-10-17', Statement: statements } }
}

export const allowAll = (kind: PolicyKind = 'identity'): PolicyInput => policy(kind, [{ Effect: 'Allow', Action: '*', Resource: '*' }], `${kind}-allow-all`)
