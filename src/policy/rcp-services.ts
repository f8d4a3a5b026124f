/**
 * Services whose resources resource control policies (RCPs) apply to — data, not
 * logic (AWS Organizations User Guide, "Resource control policies (RCPs)", "List
 * of AWS services that support RCPs"). At launch (Nov 2024) AWS listed Amazon S3,
 * AWS STS, AWS KMS, Amazon SQS and AWS Secrets Manager (AWS Control Tower's RCP
 * controls list the same five). The later additions below (ECR, OpenSearch
 * Serverless, Cognito user pools, CloudWatch Logs, DynamoDB) are from AWS's 2025
 * announcements and were not re-checked against the live page here.
 * AWS Backup is not on the list: RCPs never restrict backup:* actions.
 */
export const RCP_SUPPORTED_SERVICES: readonly string[] = Object.freeze([
  's3',
  'sts',
  'kms',
  'sqs',
  'secretsmanager',
  'ecr',
  'aoss',
  'cognito-idp',
  'logs',
  'dynamodb',
])

const SUPPORTED = new Set(RCP_SUPPORTED_SERVICES)

/**
 * Actions of supported services that RCPs still do not restrict: "The
 * kms:RetireGrant permission isn't effective in an RCP, even if the Action element
 * specifies an asterisk" (AWS KMS Developer Guide, "Resource control policies in
 * AWS KMS").
 */
const NOT_RESTRICTED = new Set(['kms:retiregrant'])

/** Whether RCPs can restrict this action ("service:Action"), judged by its service prefix. */
export function rcpAppliesTo(action: string): boolean {
  const colon = action.indexOf(':')
  if (colon <= 0) return false
  const low = action.toLowerCase()
  return SUPPORTED.has(low.slice(0, colon)) && !NOT_RESTRICTED.has(low)
}
