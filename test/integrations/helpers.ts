/**
 * Helpers for the integration tests: a local HTTP receiver standing in for
 * Slack (response_url, incoming webhook), a small Fastify app with the real
 * validation and error plugins, sample diagnoses, and an RSA key with a
 * self-signed certificate (made with openssl) to sign SNS messages.
 */
import { execFileSync } from 'node:child_process'
import { createServer } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sign as cryptoSign } from 'node:crypto'
import pino from 'pino'
import { ConfiguredRetryStrategy } from '@smithy/util-retry'
import { diagnose } from '../../diagnostics/index.js'
import { createAwsContext } from '../../src/aws/index.js'
import { collectEvidence, evidenceGaps } from '../../src/evidence/index.js'
import { createDiagnosisService } from '../../src/service/diagnosis-service.js'
import { withSandbox } from '../helpers/sandbox.js'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Test } from 'tap'
import type { Diagnosis } from '../../diagnostics/types.js'
import errorsPlugin from '../../src/plugins/errors.js'
import validationPlugin from '../../src/plugins/validation.js'
import authPlugin from '../../src/plugins/auth.js'
import type { JobRef } from '../../src/integrations/types.js'
import { snsStringToSign, type SnsMessage } from '../../src/integrations/sns.js'
import { fakeService as baseFakeService, type FakeService } from '../helpers/app.js'

export const API_KEY = 'integration-test-key-0123456789'

export interface Received {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: unknown
}

export interface Receiver {
  url: string
  received: Received[]
  /** Resolve once `n` requests have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>
  /** Answer with this status from now on. */
  setStatus(status: number): void
}

export async function startReceiver(t: Test): Promise<Receiver> {
  const received: Received[] = []
  let status = 200
  let waiters: Array<() => void> = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown = text
      try {
        body = text === '' ? null : JSON.parse(text)
      } catch {
        // keep the text
      }
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'error')
      const w = waiters
      waiters = []
      for (const f of w) f()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const addr = server.address()
  if (addr === null || typeof addr === 'string') throw new Error('no address')
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return {
    url: `http://127.0.0.1:${addr.port}`,
    received,
    setStatus: (s) => {
      status = s
    },
    async waitFor(n, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < n) {
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`expected ${n} requests, got ${received.length}`)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left)
          waiters.push(() => {
            clearTimeout(timer)
            resolve()
          })
        })
      }
      return received
    },
  }
}

/** Fastify with the TypeBox provider and the service's real validation, error and auth plugins. */
export async function testApp(t: Test, register: (app: FastifyInstance) => Promise<void>, opts: { auth?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>()
  await app.register(validationPlugin)
  await app.register(errorsPlugin)
  await app.register(authPlugin, { enabled: opts.auth ?? true, apiKeys: [API_KEY] })
  await register(app)
  await app.ready()
  t.teardown(() => app.close())
  return app
}

export function sampleDiagnosis(ref: JobRef, over: Partial<Diagnosis> = {}): Diagnosis {
  return {
    job: {
      id: ref.jobId,
      type: ref.jobType ?? 'backup',
      accountId: ref.accountId ?? '111111111111',
      region: ref.region ?? 'us-east-1',
      state: 'FAILED',
      statusMessage: 'Access denied <b>& more</b>',
      resourceType: 'S3',
      resourceArn: 'arn:aws:s3:::prod-invoices',
      iamRoleArn: 'arn:aws:iam::111111111111:role/service-role/AWSBackupDefaultServiceRole',
      creationDate: '2026-11-20T02:00:00Z',
    },
    rootCause: {
      code: 'S3_BACKUP_POLICY_NOT_ATTACHED',
      entity: 'job-role',
      summary: 'The job role lacks the S3 backup permissions.',
      policy: { kind: 'identity', id: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup', statement: 'BackupS3' },
      action: 's3:GetBucketTagging',
      resource: 'arn:aws:s3:::prod-invoices',
    },
    confidence: 'high',
    remediation: {
      steps: ['Attach AWSBackupServiceRolePolicyForS3Backup to the job role.', 'Run the backup again.'],
      policySnippet: { PolicyArn: 'arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup' },
    },
    findings: [],
    gaps: [],
    ...over,
  }
}

export type { FakeService }

export interface SigningKey {
  certPem: string
  keyPem: string
}

/** The shared fake service (test/helpers/app.ts), answering this file's sample diagnosis. */
export function fakeService(impl?: (ref: JobRef) => Promise<Diagnosis>): FakeService {
  return baseFakeService(impl, (ref) => sampleDiagnosis(ref))
}

/** An RSA key and a self-signed certificate valid for a day, made with openssl. */
export function makeSigningKey(): SigningKey {
  const dir = mkdtempSync(join(tmpdir(), 'sns-cert-'))
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=sns.amazonaws.com'],
      { stdio: 'ignore' },
    )
    return { certPem: readFileSync(join(dir, 'cert.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'key.pem'), 'utf8') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export const CERT_URL = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem'
export const TOPIC_ARN = 'arn:aws:sns:us-east-1:111111111111:backup-events'

/** Signs an SNS message (SignatureVersion 1 = SHA1, 2 = SHA256) with the test key. */
export function signSns(key: SigningKey, msg: Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'> & Partial<SnsMessage>, version: '1' | '2' = '2'): SnsMessage {
  const full = { SigningCertURL: CERT_URL, ...msg, SignatureVersion: version, Signature: '' } as SnsMessage
  full.Signature = cryptoSign(version === '1' ? 'sha1' : 'sha256', Buffer.from(snsStringToSign(full), 'utf8'), key.keyPem).toString('base64')
  return full
}

export function backupNotification(over: { id?: string; state?: string; eventType?: string; messageId?: string; timestamp?: string } = {}): Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'> {
  const id = over.id ?? '0A1B2C3D-0000-4000-8000-0000000000F1'
  return {
    Type: 'Notification',
    MessageId: over.messageId ?? '12345678-abcd-123a-def0-abcd1a234567',
    TopicArn: TOPIC_ARN,
    Subject: 'Notification from AWS Backup',
    Message: `An AWS Backup job failed. BackupJob ID : ${id}`,
    Timestamp: over.timestamp ?? new Date().toISOString(),
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x',
    MessageAttributes: {
      EventType: { Type: 'String', Value: over.eventType ?? 'BACKUP_JOB_COMPLETED' },
      State: { Type: 'String', Value: over.state ?? 'FAILED' },
      AccountId: { Type: 'String', Value: '111111111111' },
      Id: { Type: 'String', Value: id },
    },
  }
}

export function eventBridgeEvent(over: { id?: string; detailType?: string; state?: string; jobId?: string; account?: string; region?: string } = {}): Record<string, unknown> {
  const detailType = over.detailType ?? 'Backup Job State Change'
  const idField = detailType.startsWith('Copy') ? 'copyJobId' : detailType.startsWith('Restore') ? 'restoreJobId' : 'backupJobId'
  const stateField = detailType.startsWith('Restore') ? 'status' : 'state'
  return {
    version: '0',
    id: over.id ?? 'b3e8c5a1-0000-4000-8000-000000000001',
    'detail-type': detailType,
    source: 'aws.backup',
    account: over.account ?? '111111111111',
    time: '2026-11-20T02:07:00Z',
    region: over.region ?? 'us-east-1',
    resources: [],
    detail: {
      [idField]: over.jobId ?? '0A1B2C3D-0000-4000-8000-0000000000F1',
      backupSizeInBytes: '0',
      [stateField]: over.state ?? 'FAILED',
      statusMessage: 'Access Denied',
    },
  }
}

/**
 * The real engine over a sandbox world: the sandbox (torn down with `t`), a real
 * AwsContext pointed at it with fast retries, and the real diagnosis service
 * (evidence collection + pipeline).
 */
export async function sandboxEngine(t: Test, world: unknown) {
  const sandbox = await withSandbox(t, world)
  const aws = createAwsContext({
    defaultRegion: 'us-east-1',
    readerRoleName: 'BackupDoctorReadOnly',
    endpoint: sandbox.url,
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' },
    retryStrategy: new ConfiguredRetryStrategy(3, 5),
  })
  t.teardown(() => aws.destroy())
  const service = createDiagnosisService({
    logger: pino({ level: 'silent' }),
    engine: { collect: (ref, o) => collectEvidence(ref, aws, o), diagnose, gaps: evidenceGaps },
  })
  return { sandbox, aws, service }
}
