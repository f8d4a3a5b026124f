/**
 * Worlds where the service's OWN reads fail (test/fixtures/worlds/f-*.json): sandbox
 * `faults` throttle one service past the SDK's retries (Organizations in the management
 * account, KMS GetKeyPolicy, IAM GetPolicyVersion, Backup GetBackupVaultAccessPolicy),
 * deny the reader role one API, fail only a copy's destination account, slow a call past
 * the per-call timeout, or fail only `count` times so that retries succeed. Each world's
 * `description` and each expectation's `note` give the AWS and contract behaviour the
 * verdict rests on: partial evidence is a 200 with gaps and lower confidence; the verdict
 * stays where readable evidence proves it and falls back to the message (or UNDETERMINED)
 * where the proof was in the unreadable item. They run through the HTTP API like the
 * public scenarios (sandbox + real service).
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import t from 'tap'
import { accountOfJob, checkDocumentedWorld, fixtureWorlds, startService } from './helpers.js'
import type { Expectation } from './helpers.js'

const files = fixtureWorlds('f')
t.ok(files.length > 0, `f-worlds found (${files.length})`)
for (const file of files) t.test(basename(file, '.json'), (t) => checkDocumentedWorld(t, file))

interface FaultWorld { faults?: { count?: number }[]; expect?: Expectation[] }

// What the world schema cannot carry in an expectation: a fault that lasts (no `count`) leaves a
// gap and never a high confidence; faults that all end within the SDK's retries leave no gap.
for (const file of files) {
  t.test(`${basename(file, '.json')}: gaps follow the faults`, async (t) => {
    const world = JSON.parse(readFileSync(file, 'utf8')) as FaultWorld
    const lasting = (world.faults ?? []).some((f) => f.count === undefined)
    const svc = await startService(t, file)
    for (const e of world.expect ?? []) {
      const q = new URLSearchParams({ accountId: accountOfJob(world, e.jobId) ?? '' })
      if (e.jobType) q.set('jobType', e.jobType)
      const body = (await (await svc.get(`/v1/jobs/${e.jobId}/diagnosis?${q}`)).json()) as { gaps: unknown[]; confidence: string }
      if (lasting) {
        t.ok(body.gaps.length > 0, `${e.jobId}: the unread evidence is listed`)
        t.not(body.confidence, 'high', `${e.jobId}: not high beside a gap`)
      } else {
        t.same(body.gaps, [], `${e.jobId}: retries read everything, no gap`)
      }
    }
  })
}

// api.md: the job read throttled past the SDK's retries is a 503 with Retry-After, not a diagnosis.
t.test('the copy job describe throttled past retries → 503 AWS_THROTTLED with Retry-After', async (t) => {
  const file = files.find((f) => basename(f) === 'f-job-describe-throttled-retries-succeed.json')!
  const world = JSON.parse(readFileSync(file, 'utf8')) as FaultWorld & Record<string, unknown>
  const lasting = { ...world, faults: (world.faults ?? []).map(({ count: _count, ...f }) => f) }
  const svc = await startService(t, lasting)
  const jobId = world.expect![0]!.jobId
  const res = await svc.get(`/v1/jobs/${jobId}/diagnosis?accountId=${accountOfJob(world, jobId)}`)
  t.equal(res.status, 503)
  t.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/)
  t.ok(Number(res.headers.get('retry-after')) >= 1, 'Retry-After')
  t.equal(((await res.json()) as { code: string }).code, 'AWS_THROTTLED')
})
