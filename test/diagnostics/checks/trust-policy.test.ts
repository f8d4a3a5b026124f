import t from 'tap'
import check from '../../../diagnostics/checks/trust-policy.js'
import { runCheckCases } from '../../helpers/check-tester.js'
import { ACCT, aRole, anEvidence, doc, withRole } from '../../helpers/evidence-builders.js'

const trust = (stmt: Record<string, unknown>, ...more: Record<string, unknown>[]) => withRole(anEvidence(), aRole({ name: 'Backup-Role', trust: doc(stmt, ...more) }))
const ROLE = `arn:aws:iam::${ACCT}:role/Backup-Role`
const backupAssume = { Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }

runCheckCases(t, check, [
  { name: 'trusts backup', evidence: trust(backupAssume), status: 'pass', messageId: 'trusted' },
  {
    name: 'trusts ec2 only', evidence: trust({ ...backupAssume, Principal: { Service: 'ec2.amazonaws.com' } }),
    status: 'fail', messageId: 'not-trusted', code: 'TRUST_POLICY_DENIES_BACKUP', entity: 'job-role', policy: { kind: 'trust', id: ROLE, statement: null }, action: 'sts:AssumeRole', resource: ROLE,
    verdict: 'TRUST_POLICY_DENIES_BACKUP',
  },
  {
    name: 'explicit deny', evidence: trust(backupAssume, { Sid: 'NoBackup', Effect: 'Deny', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    status: 'fail', messageId: 'explicit-deny', code: 'TRUST_POLICY_DENIES_BACKUP', policy: { kind: 'trust', statement: 'NoBackup' },
  },
  {
    name: 'aws:SourceAccount matches the job account', evidence: trust({ ...backupAssume, Condition: { StringEquals: { 'aws:SourceAccount': ACCT } } }),
    status: 'pass', messageId: 'trusted',
  },
  {
    name: 'aws:SourceAccount names another account', evidence: trust({ ...backupAssume, Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } }),
    status: 'fail', messageId: 'not-trusted', code: 'TRUST_POLICY_DENIES_BACKUP',
  },
  {
    name: 'aws:SourceArn scoped to the job account\'s Backup resources', evidence: trust({ ...backupAssume, Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:backup:us-east-1:${ACCT}:*` } } }),
    status: 'pass', messageId: 'trusted',
  },
  {
    name: 'aws:SourceArn scoped to another account', evidence: trust({ ...backupAssume, Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:backup:us-east-1:999999999999:*' } } }),
    status: 'fail', messageId: 'not-trusted', code: 'TRUST_POLICY_DENIES_BACKUP',
  },
])
