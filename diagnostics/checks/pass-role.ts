/**
 * A restore that launches an EC2 instance with its backed-up instance profile
 * passes that profile's role to EC2, so the job role needs iam:PassRole on it
 * with iam:PassedToService = ec2.amazonaws.com ("Restoring an Amazon EC2
 * instance", https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html;
 * https://repost.aws/knowledge-center/aws-backup-encoded-authorization-failure).
 * Roles to pass (lib/pass-role-calls.ts, shared with the SCP and boundary checks, which
 * judge the same call): the restore metadata's IamInstanceProfileName, roles evidence
 * collection read for it, and a role a decoded authorization message names.
 * Fail → PASSROLE_NOT_ALLOWED (resource = the passed role ARN).
 */
import { defineCheck } from '../define-check.js'
import { identityInputs, roleCall, votes } from '../lib/iam.js'
import { valueOf } from '../lib/evidence.js'
import { rolesToPass } from '../lib/pass-role-calls.js'
import { allowStatement, removeStatement } from '../lib/snippets.js'

export default defineCheck({
  id: 'pass-role',
  title: 'Job role may pass the instance profile role to EC2',
  severity: 'high',
  appliesTo: ['restore'],
  requires: ['job', 'jobRole', 'jobRole.policies'],
  after: ['job-role-exists'],
  rootCauses: ['PASSROLE_NOT_ALLOWED'],
  passesWithoutEvidence: ['nothing-to-pass'],
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html',
  messages: {
    'nothing-to-pass': 'The restore passes no IAM role.',
    allowed: 'The job role may pass {{roles}} to EC2.',
    'explicit-deny': 'Statement {{statement}} of {{policyId}} denies iam:PassRole on {{passedRole}} to the job role.',
    'not-allowed': 'The job role {{roleArn}} may not iam:PassRole {{passedRole}} to EC2; allow it, or restore without the instance profile.',
  },
  run({ evidence, job, hint }) {
    const role = valueOf(evidence.jobRole)!
    const roles = rolesToPass(evidence, job, hint)
    if (roles.length === 0) return { status: 'pass', messageId: 'nothing-to-pass', data: {} }
    const policies = identityInputs(role)
    for (const passedRole of roles) {
      const req = roleCall(evidence, job, role.arn, 'iam:PassRole', passedRole, { passedToService: 'ec2.amazonaws.com' })
      const v = votes(policies, req)
      const cause = { code: 'PASSROLE_NOT_ALLOWED', entity: 'job-role', action: 'iam:PassRole', resource: passedRole } as const
      const deny = v.denies[0]
      if (deny) {
        return {
          status: 'fail', messageId: 'explicit-deny', data: { roleArn: role.arn, passedRole, policyId: deny.policyId, statement: deny.statement },
          cause: { ...cause, policy: { kind: 'identity', id: deny.policyId, statement: deny.statement } },
          remediation: { steps: [`Remove or narrow statement ${deny.statement} of ${deny.policyId}.`], policySnippet: removeStatement(deny, policies.find((p) => p.id === deny.policyId)?.document) },
        }
      }
      if (v.allows.length === 0) {
        return {
          status: 'fail', messageId: 'not-allowed', data: { roleArn: role.arn, passedRole },
          cause: { ...cause, policy: { kind: 'identity', id: role.arn, statement: null } },
          remediation: {
            steps: [
              `Add the statement below to a policy of ${role.arn},`,
              'or restore choosing "Proceed without an IAM role" and attach the instance profile afterwards.',
            ],
            policySnippet: allowStatement('AllowPassInstanceProfileRole', ['iam:PassRole'], [passedRole], {}),
          },
        }
      }
    }
    return { status: 'pass', messageId: 'allowed', data: { roles } }
  },
})
