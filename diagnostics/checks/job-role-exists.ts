/**
 * The IAM role the job names exists. When it does not, and the job names the
 * default role AWSBackupDefaultServiceRole while the same name exists at the
 * other path (`role/service-role/` vs `role/`), the cause is DEFAULT_ROLE_WRONG_PATH
 * (seeds/002: "When AWS Backup expects the Default role to exist, it looks for the
 * one with service-role in the ARN"); otherwise JOB_ROLE_NOT_FOUND. Pass: GetRole
 * found the role.
 */
import { defineCheck } from '../define-check.js'
import { DEFAULT_ROLE_NAME, roleName } from '../lib/evidence.js'

export default defineCheck({
  id: 'job-role-exists',
  title: 'Job role exists',
  severity: 'critical',
  appliesTo: ['backup', 'restore', 'copy'],
  requires: ['job', 'jobRole'],
  rootCauses: ['JOB_ROLE_NOT_FOUND', 'DEFAULT_ROLE_WRONG_PATH'],
  docs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html',
  messages: {
    exists: 'The job role {{roleArn}} exists.',
    'no-role': 'The job names no IAM role.',
    'not-collected': 'The job role was not read: {{reason}}.',
    'not-found': 'The job role {{roleArn}} does not exist; create it or assign an existing role to the backup plan.',
    'wrong-path': 'The job names {{roleArn}}, which does not exist, while the role {{existingArn}} does: the default role is expected at the other path.',
  },
  run({ evidence, job }) {
    const roleArn = job.iamRoleArn
    if (roleArn === null) return { status: 'warn', messageId: 'no-role', data: {} }
    const role = evidence.jobRole
    if (role.state === 'read') return { status: 'pass', messageId: 'exists', data: { roleArn } }
    if (role.state === 'not-collected') return { status: 'warn', messageId: 'not-collected', data: { roleArn, reason: role.reason } }
    const alt = evidence.alternateDefaultRole
    const cause = { entity: 'job-role', policy: null, action: 'sts:AssumeRole', resource: roleArn } as const
    if (roleName(roleArn) === DEFAULT_ROLE_NAME && alt.state === 'read') {
      return {
        status: 'fail', messageId: 'wrong-path', data: { roleArn, existingArn: alt.value.arn },
        cause: { code: 'DEFAULT_ROLE_WRONG_PATH', ...cause },
        remediation: {
          steps: [
            `Assign the role that exists (${alt.value.arn}) to the backup plan's resource assignment, or create the default role at ${roleArn} (AWS Backup console: choose "Default role" to let it create the role).`,
            'Avoid naming custom roles AWSBackupDefaultServiceRole.',
          ],
          policySnippet: null,
        },
      }
    }
    return {
      status: 'fail', messageId: 'not-found', data: { roleArn },
      cause: { code: 'JOB_ROLE_NOT_FOUND', ...cause },
      remediation: {
        steps: [`Create ${roleArn} with a trust policy allowing backup.amazonaws.com, or assign an existing backup role to the plan.`],
        policySnippet: null,
      },
    }
  },
})
