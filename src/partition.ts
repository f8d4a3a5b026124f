/**
 * The AWS partition of a region — the second field of every ARN: `aws`, `aws-cn`
 * (China), `aws-us-gov` (GovCloud (US)), `aws-iso`, `aws-iso-b`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). One table for
 * the AWS layer (the reader role's ARN) and the diagnostics (every ARN they build);
 * free of the SDK so that the diagnostics can use it.
 */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  if (region.startsWith('us-iso-')) return 'aws-iso'
  if (region.startsWith('us-isob-')) return 'aws-iso-b'
  return 'aws'
}
