/**
 * Test helpers for the HTTP service: a config built through loadConfig (so tests
 * exercise the same validation), fakes for the engine, and an app whose teardown
 * is registered on the test.
 */
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import type { AppDeps, BuildOptions } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import type { Config, Env } from '../../src/config.js'
import type { Diagnosis } from '../../diagnostics/types.js'
import type { Evidence } from '../../src/evidence/types.js'
import type { DiagnosisService, JobRef } from '../../src/service/diagnosis-service.js'
import { createReadiness } from '../../src/service/readiness.js'

export const TEST_KEY = 'test-key-0123456789abcdef'
export const OTHER_KEY = 'other-key-fedcba9876543210'

export function testConfig(env: Env = {}): Config {
  return loadConfig({ BACKUP_DOCTOR_API_KEYS: `${TEST_KEY},${OTHER_KEY}`, LOG_LEVEL: 'silent', ...env })
}

export function sampleDiagnosis(ref: JobRef, over: Partial<Diagnosis> = {}): Diagnosis {
  return {
    job: {
      id: ref.jobId,
      type: ref.jobType ?? 'backup',
      accountId: ref.accountId ?? '111111111111',
      region: ref.region ?? 'us-east-1',
      state: 'FAILED',
      statusMessage: 'Access denied',
      resourceType: 'S3',
      resourceArn: 'arn:aws:s3:::bucket',
      iamRoleArn: 'arn:aws:iam::111111111111:role/service-role/AWSBackupDefaultServiceRole',
      creationDate: '2026-11-20T02:00:00Z',
    },
    rootCause: {
      code: 'S3_BACKUP_POLICY_NOT_ATTACHED',
      entity: 'job-role',
      summary: 'Attach AWSBackupServiceRolePolicyForS3Backup to the job role.',
      policy: { kind: 'identity', id: 'arn:aws:iam::111111111111:role/service-role/AWSBackupDefaultServiceRole', statement: null },
      action: 's3:GetBucketTagging',
      resource: 'arn:aws:s3:::bucket',
    },
    confidence: 'high',
    remediation: { steps: ['Attach the policy'], policySnippet: { PolicyArn: 'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup' } },
    findings: [{ check: 'job-state', order: 1, title: 'Job failed', status: 'fail', message: 'The job failed', data: { n: 1 } }],
    gaps: [],
    ...over,
  }
}

export interface FakeService extends DiagnosisService {
  calls: JobRef[]
}

/** A diagnosis service that records its calls and answers `impl` (default: `sample`, a sample diagnosis). */
export function fakeService(impl?: (ref: JobRef) => Promise<Diagnosis>, sample: (ref: JobRef) => Diagnosis = sampleDiagnosis): FakeService {
  const calls: JobRef[] = []
  return {
    calls,
    async diagnose(ref) {
      calls.push(ref)
      const diagnosis = impl ? await impl(ref) : sample(ref)
      return { diagnosis, evidence: {} as Evidence }
    },
  }
}

export function fakeDeps(over: Partial<AppDeps> = {}): AppDeps {
  return {
    diagnosisService: fakeService(),
    readiness: createReadiness({ probe: async () => ({ accountId: '111111111111' }), cacheMs: 30_000 }),
    renderMarkdown: (d) => `# ${d.rootCause.code}\n\n${d.rootCause.summary}\n`,
    ...over,
  }
}

export async function testApp(t: Test, opts: { env?: Env; deps?: Partial<AppDeps>; build?: BuildOptions } = {}): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(opts.env), fakeDeps(opts.deps), opts.build)
  t.teardown(() => app.close())
  await app.ready()
  return app
}

export const auth = (key = TEST_KEY) => ({ authorization: `Bearer ${key}` })
