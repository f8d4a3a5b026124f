/**
 * STS (awsQuery, API version 2011-06-15). AssumeRole issues temporary
 * credentials that the sandbox maps back to the assumed role, so later calls
 * signed with them read that account's state
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
 */
import { AwsError } from '../aws-error.js'
import { type Handler, intParam, required } from './context.js'

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role(\/(?:.*\/)?)([\w+=,.@-]{1,64})$/

export const sts: Record<string, Handler> = {
  GetCallerIdentity(ctx) {
    return { UserId: ctx.caller.userId, Account: ctx.caller.accountId, Arn: ctx.caller.arn }
  },

  AssumeRole(ctx, input) {
    const roleArn = required(input, 'RoleArn', 'ValidationError')
    const sessionName = required(input, 'RoleSessionName', 'ValidationError')
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      throw new AwsError('ValidationError', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`)
    }
    const duration = intParam(input, 'DurationSeconds', 900, 43200, 'ValidationError') ?? 3600
    const m = ROLE_ARN.exec(roleArn)
    if (!m) throw new AwsError('ValidationError', `${roleArn} is invalid`)
    const [, accountId, path, name] = m as unknown as [string, string, string, string]
    const denied = () => new AwsError('AccessDenied', `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`)
    if (!ctx.model.account(accountId)) throw denied()
    // A role the world lists (matched with its path), or the reader role every account has.
    const listed = ctx.model.role(accountId, name)
    let rolePath: string
    if (listed && (listed.path ?? '/') === path) rolePath = path
    else if (name === ctx.model.readerRoleName && path === '/') rolePath = '/'
    else throw denied()
    const roleName = listed?.name ?? name
    const roleId = ctx.model.roleId(accountId, roleName)
    const creds = ctx.credentials.issue(accountId, { name: roleName, path: rolePath, arn: `arn:aws:iam::${accountId}:role${rolePath}${roleName}`, roleId }, sessionName, duration, ctx.now)
    return {
      Credentials: {
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        SessionToken: creds.sessionToken,
        Expiration: creds.expiration,
      },
      AssumedRoleUser: {
        AssumedRoleId: `${roleId}:${sessionName}`,
        Arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      },
    }
  },

  DecodeAuthorizationMessage(ctx, input) {
    const encoded = required(input, 'EncodedMessage', 'ValidationError')
    const found = ctx.model.world.authorizationMessages?.find((m) => m.encoded === encoded)
    if (!found) throw new AwsError('InvalidAuthorizationMessageException', 'The message provided is not a valid encoded authorization message.')
    return { DecodedMessage: JSON.stringify(found.decoded) }
  },
}
