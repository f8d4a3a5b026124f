/**
 * The job role's permissions boundary allows every action its identity policies
 * allow the job: with a boundary, an action is allowed only when both the
 * identity policy and the boundary allow it ("Permissions boundaries for IAM
 * entities", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 * The job role's KMS calls on the keys it uses (lib/job-actions.ts `jobRoleKeyCalls`)
 * are judged too, with the key policy when it was read: a key-policy grant that
 * names the role ARN is still limited by the boundary (same page, "resource-based
 * policies": only grants to a role session ARN or an IAM user escape it), so a
 * boundary without kms actions blocks the job even where the key policy lets the
 * role in by name. A restore's iam:PassRole of the instance profile's role
 * (lib/pass-role-calls.ts) is judged too: pass-role only judges the identity side.
 * Fail → PERMISSION_BOUNDARY_BLOCKS with policy.id = the boundary's ARN
 * (statement: the Deny, or null when nothing allows). Pass when there is no boundary.
 */
import { defineCheck, type CheckResult } from '../define-check.js'
import { evaluate, tryParsePolicy } from '../../src/policy/index.js'
import { boundaryInput, identityInputs, policyInput, roleCall, votes } from '../lib/iam.js'
import { jobRoleActions, jobRoleKeyCalls } from '../lib/job-actions.js'
import { passRoleCalls } from '../lib/pass-role-calls.js'
import { lookupKey, valueOf } from '../lib/evidence.js'
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
    const needs: { action: string; resource: string; passedToService?: string }[] = [...jobRoleActions(job, hint), ...passRoleCalls(evidence, job, hint)]
    for (const need of needs) {
      const req = roleCall(evidence, job, role.arn, need.action, need.resource, need.passedToService ? { passedToService: need.passedToService } : {})
      const b = votes([boundary], req)
      const deny = b.denies[0]
      if (deny) return explicitDeny(boundary.id, deny.statement, need.action, need.resource, removeStatement(deny, boundary.document))
      // The boundary is the cause only for actions the identity policies allow (else identity-policies fails first).
      if (b.allows.length === 0 && b.missingContextKeys.length === 0 && votes(identity, req).allows.length > 0) blocked.push(need)
    }
    const parsedIdentity = identity.filter((p) => tryParsePolicy(p).ok)
    for (const call of jobRoleKeyCalls(evidence, job, hint)) {
      const req = roleCall(evidence, job, role.arn, call.action, call.resource, { kmsViaService: call.kmsViaService })
      const item = lookupKey(evidence, call.resource)
      const key = item ? valueOf(item) : null
      const keyPolicy = key && key.policy.state === 'read' ? policyInput('kms-key', key.arn, key.policy.value) : null
      if (keyPolicy === null) {
        // The key policy is out of sight (an RDS instance's key, a key named by the message): the identity side must allow.
        const b = votes([boundary], req)
        const deny = b.denies[0]
        if (deny) return explicitDeny(boundary.id, deny.statement, call.action, call.resource, removeStatement(deny, boundary.document))
        if (b.allows.length === 0 && b.missingContextKeys.length === 0 && votes(identity, req).allows.length > 0) blocked.push(call)
        continue
      }
      const r = evaluate(req, { identity: parsedIdentity, boundary, resourcePolicy: keyPolicy })
      if (r.decision === 'allowed' || r.decidedBy !== 'boundary' || r.missingContextKeys.length > 0) continue
      if (r.decision === 'explicit-deny' && r.decidingStatement) {
        return explicitDeny(boundary.id, r.decidingStatement.statement, call.action, call.resource, removeStatement(r.decidingStatement, boundary.document))
      }
      blocked.push(call)
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

function explicitDeny(boundaryArn: string, statement: string, action: string, resource: string, policySnippet: ReturnType<typeof removeStatement>): CheckResult<'no-boundary' | 'allows' | 'explicit-deny' | 'not-allowed'> {
  return {
    status: 'fail', messageId: 'explicit-deny', data: { boundaryArn, statement, action },
    cause: { code: 'PERMISSION_BOUNDARY_BLOCKS', entity: 'job-role', policy: { kind: 'boundary', id: boundaryArn, statement }, action, resource },
    remediation: { steps: [`Remove or narrow statement ${statement} of the boundary ${boundaryArn}.`], policySnippet },
  }
}
