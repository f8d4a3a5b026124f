/**
 * The job role's permissions boundary allows every action its identity policies
 * allow the job: with a boundary, an action is allowed only when both the
 * identity policy and the boundary allow it ("Permissions boundaries for IAM
 * entities", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 * Fail → PERMISSION_BOUNDARY_BLOCKS with policy.id = the boundary's ARN
 * (statement: the Deny, or null when nothing allows). Pass when there is no boundary.
 */
import { defineCheck } from '../define-check.js'
import { boundaryInput, identityInputs, roleCall, votes } from '../lib/iam.js'
import { jobRoleActions } from '../lib/job-actions.js'
import { valueOf } from '../lib/evidence.js'
import { allowStatement, removeStatement } from '../lib/snippets.js'

export default defineCheck({
  id: 'permissions-boundary',
  title: 'Permissions boundary allows what the job needs',
  severity: 'high',
  appliesTo: ['backup', 'restore', 'copy'],
  requires: ['job', 'jobRole', 'jobRole.policies', 'jobRole.boundary'],
  after: ['job-role-exists'],
  rootCauses: ['PERMISSION_BOUNDARY_BLOCKS'],
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
  messages: {
    'no-boundary': 'The job role has no permissions boundary.',
    allows: 'The permissions boundary {{boundaryArn}} allows every action the job needs.',
    'explicit-deny': 'Statement {{statement}} of the permissions boundary {{boundaryArn}} denies {{action}} to the job role.',
    'not-allowed': 'The permissions boundary {{boundaryArn}} does not allow {{action}}{{more}}, which the identity policies allow; add it to the boundary.',
  },
  run({ evidence, job, hint }) {
    const role = valueOf(evidence.jobRole)!
    const boundary = boundaryInput(role)
    if (!boundary) return { status: 'pass', messageId: 'no-boundary', data: {} }
    const identity = identityInputs(role)
    const blocked: { action: string; resource: string }[] = []
    for (const need of jobRoleActions(job, hint)) {
      const req = roleCall(evidence, job, role.arn, need.action, need.resource)
      const b = votes([boundary], req)
      const deny = b.denies[0]
      const cause = { code: 'PERMISSION_BOUNDARY_BLOCKS', entity: 'job-role', action: need.action, resource: need.resource } as const
      if (deny) {
        return {
          status: 'fail', messageId: 'explicit-deny', data: { boundaryArn: boundary.id, statement: deny.statement, action: need.action },
          cause: { ...cause, policy: { kind: 'boundary', id: boundary.id, statement: deny.statement } },
          remediation: { steps: [`Remove or narrow statement ${deny.statement} of the boundary ${boundary.id}.`], policySnippet: removeStatement(deny, boundary.document) },
        }
      }
      // The boundary is the cause only for actions the identity policies allow (else identity-policies fails first).
      if (b.allows.length === 0 && b.missingContextKeys.length === 0 && votes(identity, req).allows.length > 0) blocked.push(need)
    }
    if (blocked.length === 0) return { status: 'pass', messageId: 'allows', data: { boundaryArn: boundary.id } }
    const first = blocked[0]!
    return {
      status: 'fail', messageId: 'not-allowed',
      data: { boundaryArn: boundary.id, action: first.action, blocked: blocked.map((b) => b.action), more: blocked.length > 1 ? ` (and ${blocked.length - 1} more)` : '' },
      cause: { code: 'PERMISSION_BOUNDARY_BLOCKS', entity: 'job-role', policy: { kind: 'boundary', id: boundary.id, statement: null }, action: first.action, resource: first.resource },
      remediation: {
        steps: [`Add the actions below to the permissions boundary ${boundary.id} (a new policy version), or remove the boundary from ${role.arn}.`],
        policySnippet: allowStatement('AllowAwsBackupJobActions', [...new Set(blocked.map((b) => b.action))], ['*']),
      },
    }
  },
})
