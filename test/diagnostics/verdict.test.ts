/**
 * The verdict, decided in one place: hint picks among failing findings; else the
 * first failing finding; disagreement and partial evidence lower confidence;
 * the message alone gives a low-confidence verdict; UNDETERMINED only when
 * nothing supports one; the more specific code wins.
 */
import t from 'tap'
import { decideVerdict } from '../../diagnostics/verdict.js'
import { classifyMessage } from '../../diagnostics/message-classifier.js'
import { diagnose } from '../../diagnostics/index.js'
import type { Finding } from '../../diagnostics/types.js'
import { ACCT, DEST, aCopyEvidence, aLevel, absent, anEvidence, anOrg, aRole, allow, doc, notCollected, read, slr, unreadable, withRole } from '../helpers/evidence-builders.js'

const fail = (check: string, order: number, code: string, action: string | null = null): Finding => ({
  check, order, title: check, status: 'fail', message: `${code} found`, messageId: 'x',
  rootCause: { code, entity: 'job-role', summary: `${code} found`, policy: null, action, resource: null },
})
const pass = (check: string, order: number): Finding => ({ check, order, title: check, status: 'pass', message: 'ok', messageId: 'ok' })
const unknown = (check: string, order: number): Finding => ({ check, order, title: check, status: 'unknown', message: '?', messageId: 'evidence-unreadable' })
const hint = (message: string | null, jobType: 'backup' | 'copy' | 'restore' = 'backup') => classifyMessage({ message, jobType, resourceType: 'EBS' })
const SCP_MSG = `User: arn:aws:sts::${ACCT}:assumed-role/R/AWSBackup-R is not authorized to perform: ec2:CreateSnapshot on resource: * with an explicit deny in a service control policy`

t.test('first failing finding wins without a hint', async (t) => {
  const v = decideVerdict([pass('a', 1), fail('b', 2, 'IDENTITY_POLICY_MISSING_PERMISSION'), fail('c', 3, 'SCP_DENIES')], hint(null), [])
  t.equal(v.rootCause.code, 'IDENTITY_POLICY_MISSING_PERMISSION')
  t.equal(v.confidence, 'high')
  t.equal(v.basis, 'b')
  t.ok(v.remediation.steps.some((s) => s.includes('Also failing (c)')), 'other failing findings are named')
})

t.test('a strong hint picks among failing findings', async (t) => {
  const v = decideVerdict([fail('b', 2, 'IDENTITY_POLICY_MISSING_PERMISSION'), fail('c', 3, 'SCP_DENIES')], hint(SCP_MSG), [])
  t.equal(v.rootCause.code, 'SCP_DENIES')
  t.equal(v.confidence, 'high')
})

t.test('a weak hint never picks', async (t) => {
  const v = decideVerdict([fail('k', 10, 'KMS_KEY_POLICY_DENIES'), fail('s', 11, 'SERVICE_LINKED_ROLE_MISSING')], hint('Insufficient privileges to perform this action', 'copy'), [])
  t.equal(v.rootCause.code, 'KMS_KEY_POLICY_DENIES')
})

t.test('evidence and message disagree → evidence decides, medium confidence, said in the summary', async (t) => {
  const v = decideVerdict([fail('b', 2, 'IDENTITY_POLICY_MISSING_PERMISSION')], hint(SCP_MSG), [])
  t.equal(v.rootCause.code, 'IDENTITY_POLICY_MISSING_PERMISSION')
  t.equal(v.confidence, 'medium')
  t.match(v.rootCause.summary, /SCP_DENIES/)
})

t.test('more specific codes agree with the general hint', async (t) => {
  const v = decideVerdict([fail('r', 3, 'DEFAULT_ROLE_WRONG_PATH')], hint('The provided role arn:aws:iam::1:role/x cannot be assumed by AWS Backup.'), [])
  t.equal(v.rootCause.code, 'DEFAULT_ROLE_WRONG_PATH')
  t.equal(v.confidence, 'high')
})

t.test('partial evidence lowers confidence', async (t) => {
  const v = decideVerdict([fail('b', 2, 'IDENTITY_POLICY_MISSING_PERMISSION'), unknown('scp', 8)], hint(null), [{ what: 'SCPs', reason: 'AccessDenied on organizations:ListPoliciesForTarget' }])
  t.equal(v.confidence, 'medium')
})

t.test('a non-permission cause stated by the message keeps its code beside gaps, at lowered confidence (api.md)', async (t) => {
  const v = decideVerdict([unknown('scp', 8), fail('np', 21, 'QUOTA_EXCEEDED')], hint('Subscriber limit exceeded: You have reached the maximum concurrent number of backups'), [{ what: 'SCPs', reason: 'x' }])
  t.equal(v.rootCause.code, 'QUOTA_EXCEEDED')
  t.equal(v.confidence, 'medium')
})

t.test('any gap lowers confidence, even when no check went unknown or the verdict is terminal', async (t) => {
  // A vault that does not exist (read, and stated by the message) beside a job role the reader could not read.
  const gap = [{ what: 'job role', reason: 'AccessDenied on iam:GetRole' }]
  const v1 = decideVerdict([fail('tv', 9, 'VAULT_NOT_FOUND')], hint('Backup job failed because backup vault arn:aws:backup:us-east-1:1:backup-vault:v does not exist.'), gap)
  t.equal(v1.rootCause.code, 'VAULT_NOT_FOUND')
  t.equal(v1.confidence, 'medium')
  const v2 = decideVerdict([fail('job-state', 1, 'STOPPED_BY_USER'), unknown('r', 3)], hint('Backup job was stopped by user.'), gap)
  t.equal(v2.rootCause.code, 'STOPPED_BY_USER')
  t.equal(v2.confidence, 'medium')
  t.equal(decideVerdict([fail('tv', 9, 'VAULT_NOT_FOUND')], hint(null), []).confidence, 'high', 'no gap: high')
})

t.test('message only: low confidence, or medium when unread evidence could hold the cause', async (t) => {
  const m = 'Access Denied trying to call AWS Backup service'
  const v1 = decideVerdict([pass('a', 1)], hint(m, 'copy'), [])
  t.equal(v1.rootCause.code, 'VAULT_POLICY_DENIES')
  t.equal(v1.confidence, 'low')
  t.equal(v1.basis, null)
  const v2 = decideVerdict([pass('a', 1), unknown('v', 10)], hint(m, 'copy'), [{ what: 'vault policy', reason: 'x' }])
  t.equal(v2.confidence, 'medium')
})

t.test('UNDETERMINED only when nothing supports a verdict', async (t) => {
  const v = decideVerdict([pass('a', 1), unknown('b', 2)], hint(null), [{ what: 'role', reason: 'AccessDenied on iam:GetRole' }])
  t.equal(v.rootCause.code, 'UNDETERMINED')
  t.equal(v.confidence, 'low')
})

t.test('JOB_NOT_FAILED is final whatever else fails', async (t) => {
  const v = decideVerdict([fail('job-state', 1, 'JOB_NOT_FAILED'), fail('np', 21, 'UNSUPPORTED_CONFIGURATION')], hint('Windows VSS Backup attempt failed because of unsupported Windows Server version.'), [])
  t.equal(v.rootCause.code, 'JOB_NOT_FAILED')
  t.same(v.remediation.steps.filter((s) => s.startsWith('Also failing')), [])
})

t.test('end to end: several independent causes, the message names the one that failed the job', async (t) => {
  // Destination SLR missing AND destination vault without policy; the message is the vault's.
  const e = aCopyEvidence({
    serviceLinkedRoles: { [ACCT]: read(slr(ACCT)), [DEST]: absent() },
    destinationVault: (() => { const v = aCopyEvidence().destinationVault; return v.state === 'read' ? read({ ...v.value, accessPolicy: absent('no policy') }) : v })(),
  }, { statusMessage: 'Access Denied trying to call AWS Backup service' })
  const d = diagnose(e)
  t.equal(d.rootCause.code, 'VAULT_POLICY_DENIES')
  t.ok(d.remediation.steps.some((s) => s.includes('service-linked-role')), 'the other cause is named too')
})

t.test('end to end: partial evidence (SCPs unreadable) still names the identity cause, with lower confidence and a gap', async (t) => {
  const org = anOrg([ACCT], { levels: { [ACCT]: [{ ...aLevel('r-ex12'), scps: unreadable('organizations:ListPoliciesForTarget', 'AccessDeniedException') }] } })
  const e = withRole(anEvidence({ organization: org }), aRole({ name: 'BackupRole-Ebs', inline: { p: doc(allow(['ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:CreateTags'])) } }))
  const d = diagnose(e)
  t.equal(d.rootCause.code, 'IDENTITY_POLICY_MISSING_PERMISSION')
  t.equal(d.confidence, 'medium')
  t.ok(d.gaps.length >= 1)
  t.match(d.gaps[0], { reason: /AccessDeniedException on organizations:ListPoliciesForTarget/ })
})

t.test('message-only verdicts still point at the policy the code implies', async (t) => {
  // The reader may not read the job role: identity cause from the message, pointing at the role's identity policies.
  const e1 = anEvidence({ jobRole: unreadable('iam:GetRole', 'AccessDenied') }, {
    iamRoleArn: `arn:aws:iam::${ACCT}:role/BackupRole-Ebs`,
    statusMessage: `User: arn:aws:sts::${ACCT}:assumed-role/BackupRole-Ebs/AWSBackup-BackupRole-Ebs is not authorized to perform: ec2:CreateSnapshot on resource: * because no identity-based policy allows the ec2:CreateSnapshot action`,
  })
  const d1 = diagnose(e1)
  t.match(d1.rootCause, { code: 'IDENTITY_POLICY_MISSING_PERMISSION', entity: 'job-role', policy: { kind: 'identity', id: `arn:aws:iam::${ACCT}:role/BackupRole-Ebs` }, action: 'ec2:CreateSnapshot' })
  t.equal(d1.confidence, 'medium')
  // The source key policy is unreadable in a cross-account copy: the key and the destination's SLR.
  const base = aCopyEvidence({}, { statusMessage: 'Given key ID is not accessible' })
  const keyArnOf = Object.keys(base.keys)[0]!
  const k = base.keys[keyArnOf]!
  const e2 = { ...base, keys: { ...base.keys, [keyArnOf]: k.state === 'read' ? read({ ...k.value, policy: unreadable('kms:GetKeyPolicy', 'AccessDeniedException') }) : k } }
  const d2 = diagnose(e2)
  t.match(d2.rootCause, { code: 'KMS_KEY_POLICY_DENIES', entity: 'service-linked-role', policy: { kind: 'kms-key', id: keyArnOf } })
  t.equal(d2.confidence, 'medium')
  // The boundary document is unreadable but GetRole named it: the boundary's ARN, not the role's.
  const boundaryArn = `arn:aws:iam::${ACCT}:policy/workload-boundary`
  const role = { ...aRole({ name: 'BackupRole-Rds' }), permissionsBoundary: unreadable('iam:GetPolicyVersion', 'Throttling'), permissionsBoundaryArn: boundaryArn }
  const d3 = diagnose(withRole(anEvidence({}, {
    statusMessage: `User: arn:aws:sts::${ACCT}:assumed-role/BackupRole-Rds/AWSBackup-BackupRole-Rds is not authorized to perform: ec2:CreateSnapshot on resource: * because no permissions boundary allows the ec2:CreateSnapshot action`,
  }), role))
  t.match(d3.rootCause, { code: 'PERMISSION_BOUNDARY_BLOCKS', policy: { kind: 'boundary', id: boundaryArn } })
})

t.test('message only: a code the evidence read rules out is never named', async (t) => {
  const ruledOut = (...codes: string[]) => (code: string) => codes.includes(code)
  // An IAM denial without its "because" clause hints the identity policies; they were read and allow the action.
  const bare = hint(`User: arn:aws:sts::${ACCT}:assumed-role/R/AWSBackup-R is not authorized to perform: ec2:CreateSnapshot on resource: *`)
  const gaps = [{ what: 'SCPs', reason: 'TooManyRequestsException on organizations:ListParents' }]
  const v = decideVerdict([pass('identity-policies', 5), unknown('service-control-policies', 11)], bare, gaps, undefined, ruledOut('IDENTITY_POLICY_MISSING_PERMISSION'))
  t.equal(v.rootCause.code, 'UNDETERMINED')
  t.equal(v.confidence, 'low')
  t.match(v.rootCause.summary, /IDENTITY_POLICY_MISSING_PERMISSION, which the evidence read rules out/)
  // Nothing ruled out: the message's code stands, medium beside unread evidence.
  const v2 = decideVerdict([unknown('identity-policies', 5)], bare, gaps, undefined, ruledOut())
  t.equal(v2.rootCause.code, 'IDENTITY_POLICY_MISSING_PERMISSION')
  t.equal(v2.confidence, 'medium')
  // A generic copy text: the SLR was read and exists, so the next candidate is named.
  const v3 = decideVerdict([pass('service-linked-role', 16), unknown('vault-access-policy', 10)], hint('Insufficient privileges to perform this action', 'copy'), gaps, undefined, ruledOut('SERVICE_LINKED_ROLE_MISSING'))
  t.equal(v3.rootCause.code, 'VAULT_POLICY_DENIES')
})

t.test('end to end: SCPs unreadable, identity policies read and allowing, bare IAM denial → UNDETERMINED, not the identity policy', async (t) => {
  const org = anOrg([ACCT], { levels: { [ACCT]: [{ ...aLevel('r-ex12'), scps: unreadable('organizations:ListPoliciesForTarget', 'TooManyRequestsException') }] } })
  const e = withRole(anEvidence({ organization: org }, {
    statusMessage: `User: arn:aws:sts::${ACCT}:assumed-role/BackupRole-Ebs/AWSBackup-BackupRole-Ebs is not authorized to perform: ec2:CreateSnapshot on resource: arn:aws:ec2:us-east-1:${ACCT}:volume/vol-0a1b2c3d4e5f67890`,
  }), aRole({ name: 'BackupRole-Ebs', inline: { p: doc(allow('*')) } }))
  const d = diagnose(e)
  t.equal(d.findings.find((f) => f.check === 'identity-policies')?.status, 'pass')
  t.equal(d.rootCause.code, 'UNDETERMINED')
  t.equal(d.confidence, 'low')
  t.ok(d.gaps.length >= 1)
})

t.test('end to end: a pass on evidence not read in full, or that judged nothing, rules nothing out', async (t) => {
  const bare = `User: arn:aws:sts::${ACCT}:assumed-role/BackupRole-Ebs/AWSBackup-BackupRole-Ebs is not authorized to perform: ec2:CreateSnapshot on resource: arn:aws:ec2:us-east-1:${ACCT}:volume/vol-0a1b2c3d4e5f67890`
  // The job role was not collected: the identity check cannot have judged the message's action.
  const d1 = diagnose(anEvidence({ jobRole: notCollected('test'), organization: unreadable('organizations:DescribeOrganization', 'TooManyRequestsException') }, { statusMessage: bare }))
  t.equal(d1.rootCause.code, 'IDENTITY_POLICY_MISSING_PERMISSION')
  // An EC2 restore refused with the generic text and no role to pass known: "nothing to pass" is no proof.
  const generic = 'You are not authorized to perform this operation. Please consult the permissions associated with your AWS Backup role(s), and refer to the AWS Backup documentation for more details.'
  const d2 = diagnose(anEvidence({ restoreMetadata: unreadable('backup:GetRecoveryPointRestoreMetadata', 'AccessDeniedException') }, { type: 'restore', resourceType: 'EC2', statusMessage: generic }))
  t.equal(d2.findings.find((f) => f.check === 'pass-role')?.messageId, 'nothing-to-pass')
  t.equal(d2.rootCause.code, 'PASSROLE_NOT_ALLOWED')
})
