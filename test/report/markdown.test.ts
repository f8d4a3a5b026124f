/**
 * The Markdown report: verdict first, the policy/statement, remediation with the
 * snippet in a fenced JSON block, the findings table, gaps. Snapshot-tested on
 * two diagnoses (a cross-account KMS failure and a partial-evidence one), plus
 * structural assertions that survive snapshot updates.
 */
import t from 'tap'
import { renderMarkdown } from '../../src/report/markdown.js'
import { diagnose } from '../../diagnostics/index.js'
import { ACCT, KEY_ID, aCopyEvidence, aKey, aLevel, aRole, allow, anEvidence, anOrg, doc, keyArn, keyPolicyDelegating, read, unreadable, withRole } from '../helpers/evidence-builders.js'

const kms = (() => {
  const base = aCopyEvidence({}, { statusMessage: 'Given key ID is not accessible' })
  return diagnose({ ...base, keys: { ...base.keys, [keyArn(KEY_ID)]: read(aKey({ policy: read(keyPolicyDelegating(ACCT)) })) } })
})()

const partial = diagnose(withRole(anEvidence({
  organization: anOrg([ACCT], { levels: { [ACCT]: [{ ...aLevel('r-ex12'), scps: unreadable('organizations:ListPoliciesForTarget', 'AccessDeniedException') }] } }),
}, { statusMessage: 'User: arn:aws:sts::111111111111:assumed-role/BackupRole-Ebs/AWSBackup-BackupRole-Ebs is not authorized to perform: ec2:CreateSnapshot on resource: arn:aws:ec2:us-east-1:111111111111:volume/vol-0a1b2c3d4e5f67890 because no identity-based policy allows the ec2:CreateSnapshot action' }),
aRole({ name: 'BackupRole-Ebs', inline: { 'ebs-backup': doc(allow(['ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:CreateTags'])) } })))

t.test('cross-account KMS failure', async (t) => {
  const md = renderMarkdown(kms)
  t.matchSnapshot(md)
  t.match(md, /^# KMS_KEY_POLICY_DENIES — high confidence\n/, 'verdict first')
  t.match(md, /\| Policy \| kms-key `arn:aws:kms:us-east-1:111111111111:key\/1a2b3c4d-1111-4a4a-8b8b-0c0c0c0c0c01`/)
  t.match(md, /```json\n\{\n {2}"Sid": "AllowBackupCopyFrom222222222222"/, 'snippet in a fenced JSON block')
  const json = /```json\n([\s\S]*?)\n```/.exec(md)?.[1]
  t.same(JSON.parse(json!), kms.remediation.policySnippet, 'the snippet parses back to the remediation')
  t.equal(md.split('\n').filter((l) => /^\| \d+ \|/.test(l)).length, kms.findings.length, 'one table row per finding')
  t.match(md, /None: every piece of evidence was read\./)
})

t.test('partial evidence', async (t) => {
  const md = renderMarkdown(partial)
  t.matchSnapshot(md)
  t.match(md, /^# IDENTITY_POLICY_MISSING_PERMISSION — medium confidence/)
  t.match(md, /## Gaps\n\n- \*\*.+\*\*: AccessDeniedException on organizations:ListPoliciesForTarget/)
  t.match(md, /❔ unknown/)
})

t.test('table cells cannot be broken by pipes or newlines', async (t) => {
  const d = diagnose(anEvidence({}, { statusMessage: 'a | b\nc' }))
  const md = renderMarkdown(d)
  t.match(md, /a \\\| b c/)
  for (const line of md.split('\n').filter((l) => l.startsWith('| '))) t.ok(line.endsWith('|'), line)
})
