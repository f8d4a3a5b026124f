/**
 * AWS Organizations (awsJson1_1, target prefix AWSOrganizationsV20161128).
 * DescribeOrganization answers any member account; the other reads answer
 * only the management account (delegated administration is out of scope), as
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListPoliciesForTarget.html
 * says: "This operation can be called only from the organization's management account".
 */
import { AwsError } from '../aws-error.js'
import type { Model } from '../model.js'
import { type CallContext, type Handler, intParam, paginate, required, str } from './context.js'

const NOT_IN_USE = "Your account is not a member of an organization."
const DENIED = "You don't have permissions to access this resource."
const POLICY_FILTERS = new Set([
  'SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY', 'DECLARATIVE_POLICY_EC2', 'BACKUP_POLICY', 'TAG_POLICY',
  'CHATBOT_POLICY', 'AISERVICES_OPT_OUT_POLICY', 'SECURITYHUB_POLICY', 'INSPECTOR_POLICY', 'UPGRADE_ROLLOUT_POLICY',
  'BEDROCK_POLICY', 'S3_POLICY', 'NETWORK_SECURITY_DIRECTOR_POLICY',
])

function member(ctx: CallContext) {
  const org = ctx.model.org
  if (!org || !ctx.model.isMember(ctx.caller.accountId)) throw new AwsError('AWSOrganizationsNotInUseException', NOT_IN_USE)
  return org
}

function management(ctx: CallContext) {
  const org = member(ctx)
  if (org.managementAccountId !== ctx.caller.accountId) throw new AwsError('AccessDeniedException', DENIED)
  return org
}

function accountArn(model: Model, accountId: string): string {
  const org = model.org!
  return `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${accountId}`
}

function maxResults(input: Record<string, unknown>): number {
  return intParam(input, 'MaxResults', 1, 20, 'InvalidInputException') ?? 20
}

function invalidToken(): AwsError {
  return new AwsError('InvalidInputException', 'The provided token is invalid.')
}

export const organizations: Record<string, Handler> = {
  DescribeOrganization(ctx) {
    const org = member(ctx)
    const types = new Set((org.policies ?? []).map((p) => p.type))
    return {
      Organization: {
        Id: org.id,
        Arn: `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`,
        FeatureSet: 'ALL',
        MasterAccountArn: accountArn(ctx.model, org.managementAccountId),
        MasterAccountId: org.managementAccountId,
        AvailablePolicyTypes: [...types].map((Type) => ({ Type, Status: 'ENABLED' })),
      },
    }
  },

  DescribeAccount(ctx, input) {
    management(ctx)
    const id = required(input, 'AccountId', 'InvalidInputException')
    if (!/^\d{12}$/.test(id)) throw new AwsError('InvalidInputException', 'You specified an invalid value.')
    if (!ctx.model.isMember(id)) throw new AwsError('AccountNotFoundException', "You specified an account that doesn't exist.")
    const account = ctx.model.account(id)
    return {
      Account: {
        Id: id,
        Arn: accountArn(ctx.model, id),
        Name: account?.name,
        Status: 'ACTIVE',
        State: 'ACTIVE',
      },
    }
  },

  ListParents(ctx, input) {
    management(ctx)
    const child = required(input, 'ChildId', 'InvalidInputException')
    const parent = ctx.model.parentOf(child)
    if (!parent) throw new AwsError('ChildNotFoundException', "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.")
    const page = paginate([{ Id: parent.id, Type: parent.type }], maxResults(input), str(input, 'NextToken'), `org:lp:${child}`, invalidToken)
    return { Parents: page.items, NextToken: page.next }
  },

  ListPoliciesForTarget(ctx, input) {
    management(ctx)
    const target = required(input, 'TargetId', 'InvalidInputException')
    const filter = required(input, 'Filter', 'InvalidInputException')
    if (!POLICY_FILTERS.has(filter)) throw new AwsError('InvalidInputException', 'You specified an invalid value.')
    if (!ctx.model.isTarget(target)) throw new AwsError('TargetNotFoundException', "We can't find a root, OU, account, or policy with the TargetId that you specified.")
    const summaries = (ctx.model.org!.policies ?? [])
      .filter((p) => p.type === filter && p.targets.includes(target))
      .map((p) => ({
        Id: p.id,
        Arn: ctx.model.orgPolicyArn(p),
        Name: p.name,
        Description: p.description ?? '',
        Type: p.type,
        AwsManaged: p.awsManaged ?? false,
      }))
    const page = paginate(summaries, maxResults(input), str(input, 'NextToken'), `org:lpt:${target}:${filter}`, invalidToken)
    return { Policies: page.items, NextToken: page.next }
  },

  DescribePolicy(ctx, input) {
    management(ctx)
    const id = required(input, 'PolicyId', 'InvalidInputException')
    const p = (ctx.model.org!.policies ?? []).find((x) => x.id === id)
    if (!p) throw new AwsError('PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.")
    return {
      Policy: {
        PolicySummary: {
          Id: p.id,
          Arn: ctx.model.orgPolicyArn(p),
          Name: p.name,
          Description: p.description ?? '',
          Type: p.type,
          AwsManaged: p.awsManaged ?? false,
        },
        Content: JSON.stringify(p.content),
      },
    }
  },
}
