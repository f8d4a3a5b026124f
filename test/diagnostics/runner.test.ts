/**
 * The runner owns order, `skipped` and `unknown`: a throwing check becomes an
 * `unknown` finding and never takes the run down; unreadable required evidence
 * makes a check `unknown` without running it; a failed prerequisite or another
 * job type makes it `skipped`.
 */
import t from 'tap'
import { defineCheck, type Check } from '../../diagnostics/define-check.js'
import { runChecks } from '../../diagnostics/runner.js'
import { diagnose } from '../../diagnostics/index.js'
import { classifyMessage } from '../../diagnostics/message-classifier.js'
import { anEvidence, unreadable } from '../helpers/evidence-builders.js'

const hint = classifyMessage({ message: null, jobType: 'backup', resourceType: 'EBS' })
let ran = 0
const make = (id: string, over: Partial<Check> = {}): Check => defineCheck({
  id, title: 'A fact', severity: 'low', appliesTo: ['backup'], requires: ['job'], rootCauses: ['QUOTA_EXCEEDED'], docs: 'https://docs.aws.amazon.com/x',
  messages: { ok: 'fine', bad: 'broken {{what}}' },
  run: () => { ran++; return { status: 'pass', messageId: 'ok' } },
  ...over,
} as Check)

t.test('order, crash-proofing, unknown and skipped', async (t) => {
  const e = anEvidence({ jobRole: unreadable('iam:GetRole', 'AccessDenied') })
  const job = e.job.state === 'read' ? e.job.value : null
  ran = 0
  const checks = [
    make('first'),
    make('crashes', { run: () => { throw new TypeError('boom') } }),
    make('needs-role', { requires: ['job', 'jobRole'] }),
    make('fails', { run: () => ({ status: 'fail', messageId: 'bad', data: { what: 'x' }, cause: { code: 'QUOTA_EXCEEDED', entity: 'none', policy: null, action: null, resource: null } }) }),
    make('after-fails', { after: ['fails'] }),
    make('restore-only', { appliesTo: ['restore'] }),
    make('skip-unless', { skipUnless: () => 'not today' }),
  ]
  const { findings } = runChecks(checks, e, job, hint)
  t.same(findings.map((f) => [f.check, f.order, f.status, f.messageId]), [
    ['first', 1, 'pass', 'ok'],
    ['crashes', 2, 'unknown', 'check-crashed'],
    ['needs-role', 3, 'unknown', 'evidence-unreadable'],
    ['fails', 4, 'fail', 'bad'],
    ['after-fails', 5, 'skipped', 'prerequisite-failed'],
    ['restore-only', 6, 'skipped', 'not-for-job-type'],
    ['skip-unless', 7, 'skipped', 'not-applicable'],
  ])
  t.equal(ran, 1, 'only the runnable passing check ran its body')
  t.match(findings[1]!.data, { error: 'TypeError: boom' })
  t.match(findings[2]!.data, { call: 'iam:GetRole', error: 'AccessDenied' })
  t.equal(findings[3]!.message, 'broken x')
  t.equal(findings[3]!.rootCause?.code, 'QUOTA_EXCEEDED')
})

t.test('an unreadable job makes every check unknown and the verdict UNDETERMINED', async (t) => {
  const d = diagnose(anEvidence({ job: unreadable('backup:DescribeBackupJob', 'ThrottlingException') }))
  t.ok(d.findings.every((f) => f.status === 'unknown'))
  t.equal(d.rootCause.code, 'UNDETERMINED')
  t.equal(d.confidence, 'low')
  t.ok(d.gaps.length > 0)
})

t.test('diagnose is pure: same evidence, same diagnosis; the input is not mutated', async (t) => {
  const e = anEvidence({}, { statusMessage: 'Backup job failed because there was a running job for the same resource.' })
  const before = JSON.stringify(e)
  const a = diagnose(e)
  const b = diagnose(JSON.parse(before))
  t.same(a, b)
  t.equal(JSON.stringify(e), before)
})
