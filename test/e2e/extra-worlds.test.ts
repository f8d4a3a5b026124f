/**
 * Worlds beyond the public catalogue (test/fixtures/worlds/): one per verdict
 * code the public scenarios do not reach, and variants where the status message
 * is generic or misleading so that the evidence must decide. Each runs through
 * the HTTP API against the sandbox exactly like the public scenarios.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { accountOfJob, startService } from './helpers.js'

interface Expectation { jobId: string; jobType?: string; code: string; entity?: string; policyKind?: string; policyId?: string }

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'worlds')
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f))
t.ok(files.length >= 20, `extra worlds found (${files.length})`)

for (const file of files) {
  t.test(basename(file, '.json'), async (t) => {
    const world = JSON.parse(readFileSync(file, 'utf8')) as { expect?: Expectation[] }
    const svc = await startService(t, file)
    for (const e of world.expect ?? []) {
      const accountId = accountOfJob(world, e.jobId)
      const q = new URLSearchParams({ accountId: accountId ?? '' })
      if (e.jobType) q.set('jobType', e.jobType)
      const res = await svc.get(`/v1/jobs/${e.jobId}/diagnosis?${q}`)
      const body = (await res.json()) as any
      t.equal(res.status, 200, `${e.jobId}: 200 (${body.code ?? ''} ${body.detail ?? ''})`)
      if (res.status !== 200) continue
      const rc = body.rootCause
      t.equal(rc.code, e.code, `${e.jobId}: code (summary: ${rc.summary})`)
      if (e.entity !== undefined) t.equal(rc.entity, e.entity, `${e.jobId}: entity`)
      if (e.policyKind !== undefined) t.equal(rc.policy?.kind, e.policyKind, `${e.jobId}: policy kind`)
      if (e.policyId !== undefined) t.equal(rc.policy?.id, e.policyId, `${e.jobId}: policy id`)
    }
  })
}
