import t from 'tap'
import check from '../../../diagnostics/checks/job-role-exists.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, aRole, absent, anEvidence, notCollected, read, unreadable } from '../../helpers/evidence-builders.js'

const DEFAULT = `arn:aws:iam::${ACCT}:role/service-role/AWSBackupDefaultServiceRole`

runCheckCases(t, check, [
  { name: 'role exists', evidence: anEvidence(), status: 'pass', messageId: 'exists' },
  {
    name: 'role missing', evidence: anEvidence({ jobRole: absent() }, { iamRoleArn: `arn:aws:iam::${ACCT}:role/Gone` }),
    status: 'fail', messageId: 'not-found', code: 'JOB_ROLE_NOT_FOUND', entity: 'job-role', resource: `arn:aws:iam::${ACCT}:role/Gone`, verdict: 'JOB_ROLE_NOT_FOUND',
  },
  {
    name: 'default role at the wrong path',
    evidence: anEvidence({ jobRole: absent(), alternateDefaultRole: read(aRole({ name: 'AWSBackupDefaultServiceRole', path: '/' })) }),
    status: 'fail', messageId: 'wrong-path', code: 'DEFAULT_ROLE_WRONG_PATH', entity: 'job-role', resource: DEFAULT,
    data: { existingArn: `arn:aws:iam::${ACCT}:role/AWSBackupDefaultServiceRole` }, verdict: 'DEFAULT_ROLE_WRONG_PATH',
  },
  {
    name: 'reverse confusion: job names role/ without service-role/',
    evidence: anEvidence({ jobRole: absent(), alternateDefaultRole: read(aRole()) }, { iamRoleArn: `arn:aws:iam::${ACCT}:role/AWSBackupDefaultServiceRole` }),
    status: 'fail', messageId: 'wrong-path', code: 'DEFAULT_ROLE_WRONG_PATH',
  },
  {
    name: 'default role missing, no role at the other path', evidence: anEvidence({ jobRole: absent(), alternateDefaultRole: absent() }),
    status: 'fail', messageId: 'not-found', code: 'JOB_ROLE_NOT_FOUND',
  },
  { name: 'role unreadable → unknown', evidence: anEvidence({ jobRole: unreadable('iam:GetRole') }), status: 'unknown', messageId: 'evidence-unreadable', data: { call: 'iam:GetRole' } },
  { name: 'role not collected', evidence: anEvidence({ jobRole: notCollected('x') }), status: 'warn', messageId: 'not-collected' },
  { name: 'no role on the job', evidence: anEvidence({ jobRole: notCollected('no role') }, { iamRoleArn: null }), status: 'warn', messageId: 'no-role' },
])

t.test('a missing role skips the checks that read it', async (t) => {
  const { diagnose } = await import('../../../diagnostics/index.js')
  const d = diagnose(anEvidence({ jobRole: absent() }, { iamRoleArn: `arn:aws:iam::${ACCT}:role/Gone` }))
  for (const id of ['trust-policy', 'identity-policies', 'permissions-boundary']) {
    t.equal(d.findings.find((f) => f.check === id)?.status, 'skipped', id)
  }
})
