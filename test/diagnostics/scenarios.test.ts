/**
 * Every published world in ../shared/scenarios/: start the sandbox, collect the
 * evidence of each expected job with the real SDK clients (the service's own
 * credentials are the world's callerAccountId; accountId = the account holding
 * the job), diagnose, and compare code (and entity, policy kind, policy id where
 * the world gives them). The diagnosis must also replay identically from the
 * saved (JSON round-tripped) evidence.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { ConfiguredRetryStrategy } from '@smithy/util-retry'
import { withSandbox, scenarioFiles } from '../helpers/sandbox.js'
import { createAwsContext } from '../../src/aws/index.js'
import { collectEvidence } from '../../src/evidence/index.js'
import type { JobType } from '../../src/evidence/types.js'
import { diagnose } from '../../diagnostics/index.js'

interface Expectation { jobId: string; jobType?: JobType; code: string; entity?: string; policyKind?: string; policyId?: string }
interface World {
  accounts: { id: string; backup?: Record<string, Record<string, unknown>[] | undefined> }[]
  expect?: Expectation[]
}

function accountOf(w: World, jobId: string): string {
  for (const a of w.accounts) {
    for (const key of ['backupJobs', 'copyJobs', 'restoreJobs']) {
      for (const j of a.backup?.[key] ?? []) {
        if (j['BackupJobId'] === jobId || j['CopyJobId'] === jobId || j['RestoreJobId'] === jobId) return a.id
      }
    }
  }
  throw new Error(`job ${jobId} not in world`)
}

let total = 0
for (const file of scenarioFiles()) {
  const name = basename(file, '.json')
  const world = JSON.parse(readFileSync(file, 'utf8')) as World
  t.test(name, async (t) => {
    const sb = await withSandbox(t, file)
    const ctx = createAwsContext({
      defaultRegion: 'us-east-1', readerRoleName: 'BackupDoctorReadOnly', endpoint: sb.url,
      credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' }, retryStrategy: new ConfiguredRetryStrategy(3, 5),
    })
    t.teardown(() => ctx.destroy())
    for (const exp of world.expect ?? []) {
      total++
      const evidence = await collectEvidence({ jobId: exp.jobId, accountId: accountOf(world, exp.jobId), ...(exp.jobType ? { jobType: exp.jobType } : {}) }, ctx)
      const d = diagnose(evidence)
      const rc = d.rootCause
      const got = { code: rc.code, entity: rc.entity, policyKind: rc.policy?.kind, policyId: rc.policy?.id }
      const want: Record<string, string> = { code: exp.code }
      if (exp.entity) want['entity'] = exp.entity
      if (exp.policyKind) want['policyKind'] = exp.policyKind
      if (exp.policyId) want['policyId'] = exp.policyId
      t.match(got, want, `${exp.jobId}: ${rc.code} (${d.confidence}) — ${rc.summary}`)
      t.same(diagnose(JSON.parse(JSON.stringify(evidence))), d, 'replays identically from saved evidence')
      if (d.gaps.length > 0) t.not(d.confidence, 'high', 'partial evidence lowers confidence')
      t.equal(d.findings.length, d.findings.at(-1)?.order, 'every check has a finding, in order')
    }
  })
}

t.test('covered every expectation', async (t) => {
  t.ok(total >= 20, `${total} expectations`)
})
