/**
 * A resource-based policy on the protected resource itself (e.g. an S3 bucket
 * policy) does not deny the job role. Evidence collection does not read
 * resource policies of protected resources, so this check rests on IAM's
 * message ("... with an explicit deny in a resource-based policy" /
 * "because no resource-based policy allows", for an action of the resource's
 * service, https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
 * Vault, key and trust policies have their own checks. Fail → RESOURCE_POLICY_DENIES.
 */
import { defineCheck } from '../define-check.js'

const OWN_CHECKS = /^(backup|kms|sts):/i

export default defineCheck({
  id: 'resource-policy',
  title: 'No resource-based policy on the resource denies the job role',
  severity: 'medium',
  appliesTo: ['backup', 'restore', 'copy'],
  requires: ['job'],
  rootCauses: ['RESOURCE_POLICY_DENIES'],
  passesWithoutEvidence: ['not-named'],
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html',
  messages: {
    'not-named': 'The status message names no resource-based policy denial.',
    denied: 'A resource-based policy on {{resource}} {{how}} {{action}} to the job role (per the status message); allow the job role in that policy.',
  },
  run({ hint, job }) {
    if (hint.kind !== 'access-denied' || hint.policyType !== 'resource' || !hint.action || OWN_CHECKS.test(hint.action)) {
      return { status: 'pass', messageId: 'not-named', data: {} }
    }
    const resource = hint.resource ?? job.resourceArn
    return {
      status: 'fail', messageId: 'denied', data: { resource, action: hint.action, how: hint.explicitDeny ? 'explicitly denies' : 'does not allow' },
      cause: { code: 'RESOURCE_POLICY_DENIES', entity: 'job-role', policy: { kind: 'resource', id: resource ?? 'unknown', statement: null }, action: hint.action, resource },
      remediation: {
        steps: [`Review the resource policy of ${resource ?? 'the resource'} (e.g. the S3 bucket policy): remove the Deny that matches ${job.iamRoleArn ?? 'the job role'} or allow it ${hint.action}.`],
        policySnippet: null,
      },
    }
  },
})
