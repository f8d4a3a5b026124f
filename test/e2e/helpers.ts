/**
 * End-to-end harness: a sandbox serving a world, and the real service (buildApp
 * with the real AWS context, evidence collector and pipeline) listening on
 * 127.0.0.1:0, talked to over HTTP with fetch.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'
import { ConfiguredRetryStrategy } from '@smithy/util-retry'
import { buildApp } from '../../src/app.js'
import { createAwsContext } from '../../src/aws/index.js'
import type { Env } from '../../src/config.js'
import type { World } from '../../src/sandbox/index.js'
import { REPO_ROOT, withSandbox } from '../helpers/sandbox.js'
import { TEST_KEY, testConfig } from '../helpers/app.js'

process.env['AWS_EC2_METADATA_DISABLED'] = 'true'

export interface Service {
  base: string
  sandbox: Awaited<ReturnType<typeof withSandbox>>
  get(path: string, headers?: Record<string, string>): Promise<Response>
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>
}

export async function startService(t: Test, world: World | string | unknown, env: Env = {}): Promise<Service> {
  const sandbox = await withSandbox(t, world)
  const w = sandbox.world as unknown as { region?: string; readerRoleName?: string }
  const config = testConfig({
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_REGION: w.region ?? 'us-east-1',
    BACKUP_DOCTOR_READER_ROLE: w.readerRoleName ?? 'BackupDoctorReadOnly',
    BACKUP_DOCTOR_RATE_LIMIT: '10000',
    ...env,
  })
  const aws = createAwsContext({
    defaultRegion: config.defaultRegion,
    readerRoleName: config.readerRoleName,
    endpoint: sandbox.url,
    callTimeoutMs: config.aws.callTimeoutMs,
    maxAttempts: config.aws.maxAttempts,
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' },
    retryStrategy: new ConfiguredRetryStrategy(config.aws.maxAttempts, 5),
  })
  const app = await buildApp(config, {}, { aws })
  t.teardown(async () => {
    await app.close()
    aws.destroy()
  })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const headers = (h: Record<string, string> = {}) => ({ authorization: `Bearer ${TEST_KEY}`, ...h })
  return {
    base,
    sandbox,
    get: (path, h) => fetch(base + path, { headers: headers(h) }),
    post: (path, body, h) =>
      fetch(base + path, { method: 'POST', headers: headers({ 'content-type': 'application/json', ...h }), body: JSON.stringify(body) }),
  }
}

interface WorldShape {
  accounts: { id: string; backup?: Record<string, Record<string, unknown>[] | undefined> }[]
}

/** The account of the world that holds job `jobId`. */
export function accountOfJob(world: unknown, jobId: string): string | undefined {
  for (const a of (world as WorldShape).accounts) {
    for (const [list, key] of [['backupJobs', 'BackupJobId'], ['copyJobs', 'CopyJobId'], ['restoreJobs', 'RestoreJobId']] as const) {
      if ((a.backup?.[list] ?? []).some((j) => j[key] === jobId)) return a.id
    }
  }
  return undefined
}

export interface Expectation {
  jobId: string
  jobType?: string
  code: string
  entity?: string
  policyKind?: string
  policyId?: string
}

/**
 * Diagnoses every expected job of a world file through the HTTP API (sandbox +
 * real service) and compares code, entity, policy kind and policy id where the
 * expectation gives them. jobType is sent only when the expectation has it;
 * accountId is the account that holds the job.
 */
export async function checkWorldExpectations(t: Test, file: string): Promise<void> {
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
    t.equal(rc.code, e.code, `${e.jobId}: code (summary: ${rc.summary})`)
    if (e.entity !== undefined) t.equal(rc.entity, e.entity, `${e.jobId}: entity`)
    if (e.policyKind !== undefined) t.equal(rc.policy?.kind, e.policyKind, `${e.jobId}: policy kind`)
    if (e.policyId !== undefined) t.equal(rc.policy?.id, e.policyId, `${e.jobId}: policy id`)
    t.equal(body.job.id, e.jobId)
    t.equal(body.job.accountId, accountId)
    t.ok(['high', 'medium', 'low'].includes(body.confidence))
    t.ok(Array.isArray(body.findings) && body.findings.length > 0, 'findings listed')
    t.ok(Array.isArray(body.gaps))
    // A verdict resting on partial evidence never claims high confidence.
    if (body.gaps.length > 0) t.not(body.confidence, 'high', `${e.jobId}: gaps lower confidence`)
  }
}

/** The fixture worlds test/fixtures/worlds/<prefix>-*.json, sorted. */
export function fixtureWorlds(prefix: string): string[] {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'worlds')
  return readdirSync(dir).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.json')).sort().map((f) => join(dir, f))
}

/**
 * A hand-written world must say why: its description gives the AWS behaviour it tests (and,
 * with `messageIds`, the failure-messages.jsonl ids it covers) and every expectation has a
 * note, so an expectation is never a copy of the service's output. Then its expectations
 * are checked through the HTTP API.
 */
export async function checkDocumentedWorld(t: Test, file: string, opts: { messageIds?: boolean } = {}): Promise<void> {
  const world = JSON.parse(readFileSync(file, 'utf8')) as { description?: string; expect?: (Expectation & { note?: string })[] }
  if (opts.messageIds) t.ok(/ABK-\d{3}/.test(world.description ?? ''), 'the world names the failure message(s) it covers')
  t.ok((world.description ?? '').length > 40, 'the world describes the AWS behaviour it tests')
  for (const e of world.expect ?? []) t.ok((e.note ?? '').length > 0, `${e.jobId}: the expectation has a note`)
  await checkWorldExpectations(t, file)
}
