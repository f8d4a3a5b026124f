/**
 * The bundled demo world is a valid world (schema + the sandbox's semantic
 * checks), every failed job it advertises is diagnosed as its README says through
 * the HTTP API, and the curl commands the demo prints point at those jobs.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { Ajv2020 } from 'ajv/dist/2020.js'
import * as ajvFormats from 'ajv-formats'
import { loadWorld } from '../../src/sandbox/index.js'
import { REPO_ROOT } from '../helpers/sandbox.js'
import { accountOfJob, startService } from './helpers.js'

const WORLD_PATH = join(REPO_ROOT, 'demo', 'world.json')
const world = JSON.parse(readFileSync(WORLD_PATH, 'utf8')) as { expect: { jobId: string; jobType?: string; code: string; entity?: string; policyKind?: string; policyId?: string }[] }

t.test('demo/world.json is valid against the contract schema and loads in the sandbox', async (t) => {
  const schemaPath = join(REPO_ROOT, '..', 'shared', 'contract', 'world.schema.json')
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object
  const fm = ajvFormats as unknown as { default: (a: unknown) => void }
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  fm.default(ajv)
  const validate = ajv.compile(schema)
  t.ok(validate(world), JSON.stringify(validate.errors))
  t.doesNotThrow(() => loadWorld(WORLD_PATH))
  t.ok(world.expect.length >= 6, 'several interesting failed jobs')
  t.ok(new Set(world.expect.map((e) => e.code)).size >= 6, 'each a different root cause')
})

t.test('every demo job is diagnosed as expected through the HTTP API', async (t) => {
  const svc = await startService(t, WORLD_PATH)
  for (const e of world.expect) {
    const accountId = accountOfJob(world, e.jobId) as string
    const q = new URLSearchParams({ accountId })
    if (e.jobType) q.set('jobType', e.jobType)
    const res = await svc.get(`/v1/jobs/${e.jobId}/diagnosis?${q}`)
    const body = (await res.json()) as any
    t.equal(res.status, 200, e.jobId)
    t.equal(body.rootCause?.code, e.code, `${e.jobId} code`)
    if (e.entity) t.equal(body.rootCause.entity, e.entity, `${e.jobId} entity`)
    if (e.policyKind) t.equal(body.rootCause.policy?.kind, e.policyKind, `${e.jobId} policy kind`)
    if (e.policyId) t.equal(body.rootCause.policy?.id, e.policyId, `${e.jobId} policy id`)
    if (accountId === '444444444444') t.ok(body.gaps.length > 0, 'the unreadable key policy is a gap')
    const md = await svc.get(`/v1/jobs/${e.jobId}/diagnosis?${q}`, { accept: 'text/markdown' })
    t.equal(md.status, 200)
    t.match(md.headers.get('content-type') ?? '', /^text\/markdown/)
    t.match(await md.text(), e.code)
  }
})

t.test('the printed curl commands name each job with its account', async (t) => {
  const { curlExamples, demoJobs } = await import('../../src/cli/demo.js')
  const jobs = demoJobs(loadWorld(WORLD_PATH))
  t.equal(jobs.length, world.expect.length)
  const text = curlExamples('http://127.0.0.1:3000', jobs)
  for (const j of jobs) t.match(text, `/v1/jobs/${j.jobId}/diagnosis?accountId=${j.accountId}`)
  t.match(text, "-H 'accept: text/markdown'")
})
