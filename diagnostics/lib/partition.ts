/**
 * The AWS partition a job lives in — `aws`, `aws-cn` (China), `aws-us-gov`
 * (GovCloud (US)), … — is the second field of every ARN: a job in cn-north-1 has
 * a role `arn:aws-cn:iam::ACCOUNT:role/…`, AWS managed policies
 * `arn:aws-cn:iam::aws:policy/…` ("ARN format", IAM User Guide,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). Every ARN
 * the diagnostics build (required actions' resources, the service-linked role,
 * account principals of remediations) takes the job's partition from `jobPartition`.
 * Service principals (backup.amazonaws.com) are the same in every partition.
 */
import type { JobEvidence } from '../../src/evidence/types.js'
import { partitionOf } from '../../src/partition.js'

/** The partition of a region: the one table the AWS layer uses too (src/partition.ts). */
export { partitionOf as partitionOfRegion }

/** The partition field of an ARN (`arn:PARTITION:service:…`), null when it is not an ARN. */
export function arnPartition(arn: string | null | undefined): string | null {
  const m = arn ? /^arn:(aws(?:-[a-z]+)*):/.exec(arn) : null
  return m ? (m[1] as string) : null
}

/**
 * The job's partition: that of the ARNs the job itself names (its vault, role, resource,
 * recovery point) — which also covers partitions the region table does not know — else
 * its region's.
 */
export function jobPartition(job: JobEvidence): string {
  for (const arn of [job.backupVaultArn, job.iamRoleArn, job.resourceArn, job.recoveryPointArn]) {
    const p = arnPartition(arn)
    if (p !== null) return p
  }
  return partitionOf(job.region)
}

/** `arn:PARTITION:iam::ACCOUNT:root`, the account as a whole as a policy principal. */
export const accountRootArn = (partition: string, accountId: string): string => `arn:${partition}:iam::${accountId}:root`
