import t from 'tap'
import check from '../../../diagnostics/checks/pass-role.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, aRestoreEvidence, aRole, allow, deny, doc, notCollected, withRole } from '../../helpers/evidence-builders.js'

const PASSED = `arn:aws:iam::${ACCT}:role/app-instance-role`
const restoreRole = (...stmts: Record<string, unknown>[]) => withRole(aRestoreEvidence(), aRole({ name: 'AWSBackupROLEEC2', inline: { 'restore-ec2': doc(...stmts) } }))

runCheckCases(t, check, [
  { name: 'default role (restore policy allows PassRole to ec2)', evidence: aRestoreEvidence(), status: 'pass', messageId: 'allowed' },
  {
    name: 'custom restore role without iam:PassRole', evidence: restoreRole(allow(['ec2:*', 'backup:*', 'kms:*'])),
    status: 'fail', messageId: 'not-allowed', code: 'PASSROLE_NOT_ALLOWED', entity: 'job-role', policy: { kind: 'identity', statement: null },
    action: 'iam:PassRole', resource: PASSED, verdict: 'PASSROLE_NOT_ALLOWED',
  },
  { name: 'PassRole allowed for the role', evidence: restoreRole(allow(['ec2:*', 'backup:*']), allow('iam:PassRole', PASSED)), status: 'pass', messageId: 'allowed' },
  {
    name: 'PassRole allowed only to another service', evidence: restoreRole(allow(['ec2:*']), allow('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } })),
    status: 'fail', messageId: 'not-allowed', code: 'PASSROLE_NOT_ALLOWED',
  },
  {
    name: 'PassRole explicitly denied', evidence: restoreRole(allow(['ec2:*', 'iam:PassRole']), { Sid: 'NoPass', ...deny('iam:PassRole') }),
    status: 'fail', messageId: 'explicit-deny', code: 'PASSROLE_NOT_ALLOWED', policy: { statement: 'NoPass' },
  },
  {
    name: 'no instance profile to pass', evidence: restoreRole(allow('ec2:*')).restoreMetadata.state === 'read'
      ? { ...restoreRole(allow('ec2:*')), restoreMetadata: notCollected('none'), passedRoles: {} } : restoreRole(allow('ec2:*')),
    status: 'pass', messageId: 'nothing-to-pass',
  },
])
