/**
 * Done-when of issue #6: for EVERY world in ../shared/scenarios/, diagnose every
 * expected job through the HTTP API (sandbox + real AWS context + real pipeline)
 * and compare code, entity, policy kind and policy id where the world gives them.
 * jobType is sent only when the expectation has it; accountId is the account
 * that holds the job.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import t from 'tap'
import { scenarioFiles } from '../helpers/sandbox.js'
import { accountOfJob, startService } from './helpers.js'

interface Expectation {
  jobId: string
  jobType?: string
  code: string
  entity?: string
  policyKind?: string
  policyId?: string
}

const files = scenarioFiles()
t.ok(files.length >= 20, `scenario worlds found (${files.length})`)

for (const file of files) {
  t.test(basename(file, '.json'), async (t) => {
    const world = JSON.parse(readFileSync(file, 'utf8')) as { expect?: Expectation[] }
    const svc = await startService(t, file)
    for (const e of world.expect ?? []) {
      const accountId = accountOfJob(world, e.jobId)
      t.ok(accountId, `${e.jobId} is in some account`)
      const q = new URLSearchParams({ accountId: accountId ?? '' })
      if (e.jobType) q.set('jobType', e.jobType)
      const res = await svc.get(`/v1/jobs/${e.jobId}/diagnosis?${q}`)
      const body = (await res.json()) as any
      t.equal(res.status, 200, `${e.jobId}: 200 (${body.code ?? ''} ${body.detail ?? ''})`)
      if (res.status !== 200) continue
      const rc = body.rootCause
      t.equal(rc.code, e.code, `${e.jobId}: code`)
      if (e.entity !== undefined) t.equal(rc.entity, e.entity, `${e.jobId}: entity`)
      if (e.policyKind !== undefined) t.equal(rc.policy?.kind, e.policyKind, `${e.jobId}: policy kind`)
      if (e.policyId !== undefined) t.equal(rc.policy?.id, e.policyId, `${e.jobId}: policy id`)
      t.equal(body.job.id, e.jobId)
      t.equal(body.job.accountId, accountId)
      t.ok(['high', 'medium', 'low'].includes(body.confidence))
      t.ok(Array.isArray(body.findings) && body.findings.length > 0, 'findings listed')
      t.ok(Array.isArray(body.gaps))
    }
  })
}
