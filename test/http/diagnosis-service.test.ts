import t from 'tap'
import { AppError } from '../../src/errors.js'
import { createDiagnosisService } from '../../src/service/diagnosis-service.js'
import type { DiagnosisEngine } from '../../src/service/diagnosis-service.js'
import type { Evidence } from '../../src/evidence/types.js'
import { sampleDiagnosis } from '../helpers/app.js'

const JOB = '5E1B0C2A-6F3D-4E8B-9A71-2C4D6E8F0A01'
const quiet = { info() {}, warn() {}, error() {}, debug() {} }
const evidence = { stats: { awsCalls: 3 } } as unknown as Evidence

function engine(over: Partial<DiagnosisEngine> = {}): DiagnosisEngine {
  return {
    collect: async () => evidence,
    diagnose: () => sampleDiagnosis({ jobId: JOB }, { gaps: [{ what: 'SCPs', reason: 'AccessDenied' }] }),
    gaps: () => [{ what: 'SCPs', reason: 'AccessDenied' }, { what: 'key policy', reason: 'AccessDeniedException on kms:GetKeyPolicy' }],
    ...over,
  }
}

t.test('collect → diagnose → gaps merged once each', async (t) => {
  const seen: unknown[] = []
  const svc = createDiagnosisService({
    engine: engine({ collect: async (ref, o) => (seen.push(ref, o), evidence) }),
    logger: quiet,
    deadlineMs: 1234,
  })
  const { diagnosis, evidence: ev } = await svc.diagnose({ jobId: JOB, accountId: '111111111111' })
  t.equal(ev, evidence)
  t.same(seen, [{ jobId: JOB, accountId: '111111111111' }, { deadlineMs: 1234 }])
  t.same(diagnosis.gaps, [{ what: 'SCPs', reason: 'AccessDenied' }, { what: 'key policy', reason: 'AccessDeniedException on kms:GetKeyPolicy' }])
})

t.test('invalid references are BAD_REQUEST before collection', async (t) => {
  let collected = 0
  const svc = createDiagnosisService({ engine: engine({ collect: async () => (collected++, evidence) }), logger: quiet })
  for (const ref of [{ jobId: 'a/b' }, { jobId: JOB, accountId: '1' }, { jobId: JOB, region: 'us-east-1.evil.example' }]) {
    await t.rejects(svc.diagnose(ref), { code: 'BAD_REQUEST' })
  }
  t.equal(collected, 0)
})

t.test('AppErrors pass through, other failures become INTERNAL', async (t) => {
  const notFound = createDiagnosisService({ engine: engine({ collect: async () => { throw new AppError('JOB_NOT_FOUND', 'x') } }), logger: quiet })
  await t.rejects(notFound.diagnose({ jobId: JOB }), { code: 'JOB_NOT_FOUND' })
  const broken = createDiagnosisService({ engine: engine({ diagnose: () => { throw new TypeError('x is undefined') } }), logger: quiet })
  await t.rejects(broken.diagnose({ jobId: JOB }), { code: 'INTERNAL' })
})

t.test('a collection that outlives deadline + grace is AWS_TIMEOUT', async (t) => {
  const svc = createDiagnosisService({ engine: engine({ collect: () => new Promise(() => {}) }), logger: quiet, deadlineMs: 20, graceMs: 10 })
  await t.rejects(svc.diagnose({ jobId: JOB }), { code: 'AWS_TIMEOUT' })
})
