/**
 * IAM (awsQuery, API version 2010-05-08): the role and policy reads a
 * diagnosis needs. IAM is global: the region of the call does not matter, the
 * calling account's roles and policies are served. Documents are returned
 * URL-encoded exactly where IAM does so
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html,
 * API_GetRolePolicy.html, API_PolicyVersion.html).
 */
import { AwsError } from '../aws-error.js'
import { DERIVED_CREATE_DATE, type PolicySource } from '../model.js'
import { type CallContext, type Handler, type Input, iamEncode, intParam, paginate, required, str } from './context.js'

const MISSING = 'ValidationError'

function roleName(input: Input): string {
  const name = required(input, 'RoleName', MISSING)
  if (!/^[\w+=,.@-]{1,64}$/.test(name)) {
    throw new AwsError(MISSING, `1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`)
  }
  return name
}

function findRole(ctx: CallContext, name: string) {
  const role = ctx.model.role(ctx.caller.accountId, name)
  if (!role) throw new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`)
  return role
}

function maxItems(input: Input): number {
  return intParam(input, 'MaxItems', 1, 1000, MISSING) ?? 100
}

function invalidMarker(): AwsError {
  return new AwsError('InvalidInput', 'Invalid Marker.')
}

function policyArn(input: Input): string {
  const arn = required(input, 'PolicyArn', MISSING)
  if (!/^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/./.test(arn)) {
    throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`)
  }
  return arn
}

/**
 * A policy the caller may read: AWS managed ones, and the customer managed
 * policies of its own account. Another account's policy is AccessDenied, as
 * IAM answers for a resource outside the caller's account.
 */
function readablePolicy(ctx: CallContext, arn: string): PolicySource {
  const account = arn.split(':')[4]
  if (account !== 'aws' && account !== ctx.caller.accountId) {
    throw new AwsError('AccessDenied', `User: ${ctx.caller.arn} is not authorized to perform: iam:GetPolicy on resource: policy ${arn} because no resource-based policy allows the iam:GetPolicy action`)
  }
  const p = ctx.model.policy(arn)
  if (!p) throw new AwsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`)
  return p
}

export const iam: Record<string, Handler> = {
  GetRole(ctx, input) {
    const role = findRole(ctx, roleName(input))
    const accountId = ctx.caller.accountId
    const boundary = role.permissionsBoundaryArn
    return {
      Role: {
        Path: role.path ?? '/',
        RoleName: role.name,
        RoleId: ctx.model.roleId(accountId, role.name),
        Arn: ctx.model.roleArn(accountId, role),
        CreateDate: DERIVED_CREATE_DATE,
        AssumeRolePolicyDocument: iamEncode(role.trustPolicy),
        Description: role.description,
        MaxSessionDuration: 3600,
        PermissionsBoundary: boundary ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary } : undefined,
      },
    }
  },

  ListAttachedRolePolicies(ctx, input) {
    const name = roleName(input)
    const role = findRole(ctx, name)
    const prefix = str(input, 'PathPrefix') ?? '/'
    const attached = (role.attachedPolicyArns ?? [])
      .map((arn) => {
        const cut = arn.lastIndexOf('/')
        const path = arn.slice(arn.indexOf(':policy') + ':policy'.length, cut + 1)
        return { PolicyName: arn.slice(cut + 1), PolicyArn: arn, path }
      })
      .filter((p) => p.path.startsWith(prefix))
      .map(({ PolicyName, PolicyArn }) => ({ PolicyName, PolicyArn }))
    const page = paginate(attached, maxItems(input), str(input, 'Marker'), `iam:lar:${ctx.caller.accountId}:${name}:${prefix}`, invalidMarker)
    return { AttachedPolicies: page.items, IsTruncated: page.next !== undefined, Marker: page.next }
  },

  ListRolePolicies(ctx, input) {
    const name = roleName(input)
    const role = findRole(ctx, name)
    const names = Object.keys(role.inlinePolicies ?? {})
    const page = paginate(names, maxItems(input), str(input, 'Marker'), `iam:lrp:${ctx.caller.accountId}:${name}`, invalidMarker)
    return { PolicyNames: page.items, IsTruncated: page.next !== undefined, Marker: page.next }
  },

  GetRolePolicy(ctx, input) {
    const role = findRole(ctx, roleName(input))
    const policyName = required(input, 'PolicyName', MISSING)
    const doc = role.inlinePolicies?.[policyName]
    if (!doc || !Object.hasOwn(role.inlinePolicies ?? {}, policyName)) {
      throw new AwsError('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`)
    }
    return { RoleName: role.name, PolicyName: policyName, PolicyDocument: iamEncode(doc) }
  },

  GetPolicy(ctx, input) {
    const p = readablePolicy(ctx, policyArn(input))
    return {
      Policy: {
        PolicyName: p.name,
        PolicyId: ctx.model.policyId(p.arn),
        Arn: p.arn,
        Path: p.path,
        DefaultVersionId: p.versionId,
        AttachmentCount: ctx.model.attachmentCount(ctx.caller.accountId, p.arn),
        PermissionsBoundaryUsageCount: ctx.model.boundaryUsageCount(ctx.caller.accountId, p.arn),
        IsAttachable: true,
        CreateDate: DERIVED_CREATE_DATE,
        UpdateDate: DERIVED_CREATE_DATE,
      },
    }
  },

  GetPolicyVersion(ctx, input) {
    const p = readablePolicy(ctx, policyArn(input))
    const versionId = required(input, 'VersionId', MISSING)
    if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(versionId)) {
      throw new AwsError(MISSING, `1 validation error detected: Value '${versionId}' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?`)
    }
    // The world holds one version per policy: its default.
    if (versionId !== p.versionId) throw new AwsError('NoSuchEntity', `Policy ${p.arn} version ${versionId} does not exist or is not attachable.`)
    return {
      PolicyVersion: {
        Document: iamEncode(p.document),
        VersionId: p.versionId,
        IsDefaultVersion: true,
        CreateDate: DERIVED_CREATE_DATE,
      },
    }
  },
}
