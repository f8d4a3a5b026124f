/**
 * Sandbox helpers for every engineer's tests: start a sandbox on port 0 for a
 * test (torn down with it), real SDK v3 clients pointed at it with dummy
 * credentials and fast retries, and the list of published scenario worlds.
 */
import { readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BackupClient } from '@aws-sdk/client-backup'
import { IAMClient } from '@aws-sdk/client-iam'
import { KMSClient } from '@aws-sdk/client-kms'
import { OrganizationsClient } from '@aws-sdk/client-organizations'
import { STSClient } from '@aws-sdk/client-sts'
import { ConfiguredRetryStrategy } from '@smithy/util-retry'
import { startSandbox, type Sandbox, type World } from '../../src/sandbox/index.js'

// Never let a default credential chain reach the instance metadata address.
process.env.AWS_EC2_METADATA_DISABLED = 'true'

/** The repository root (this file is test/helpers/sandbox.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const SCENARIOS_DIR = resolve(REPO_ROOT, '..', 'shared', 'scenarios')

/** Absolute paths of ../shared/scenarios/*.json, sorted. */
export function scenarioFiles(): string[] {
  return readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => join(SCENARIOS_DIR, f))
}

/** Absolute path of one published scenario by name (`copy-cmk-not-shared`). */
export function scenarioFile(name: string): string {
  return join(SCENARIOS_DIR, name.endsWith('.json') ? name : `${name}.json`)
}

interface Teardown { teardown(fn: () => unknown): void }

/** Starts a sandbox on 127.0.0.1:0 for the test `t`; it closes when `t` ends. */
export async function withSandbox(t: Teardown, world: World | string | unknown): Promise<Sandbox> {
  const sandbox = await startSandbox({ world: world as World | string })
  t.teardown(() => sandbox.close())
  return sandbox
}

export interface ClientOptions {
  region?: string
  accessKeyId?: string
  secretAccessKey?: string
  sessionToken?: string
  /** Attempts per call (default 3, with 5 ms backoff). */
  maxAttempts?: number
}

export interface SandboxClients {
  backup: BackupClient
  iam: IAMClient
  sts: STSClient
  organizations: OrganizationsClient
  kms: KMSClient
  destroy(): void
}

/** Real SDK v3 clients for the sandbox at `url`, with dummy credentials and fast retries. */
export function sandboxClients(url: string, opts: ClientOptions = {}): SandboxClients {
  const config = {
    endpoint: url,
    region: opts.region ?? 'us-east-1',
    credentials: {
      accessKeyId: opts.accessKeyId ?? 'AKIDSANDBOX',
      secretAccessKey: opts.secretAccessKey ?? 'x',
      ...(opts.sessionToken !== undefined ? { sessionToken: opts.sessionToken } : {}),
    },
    retryStrategy: new ConfiguredRetryStrategy(opts.maxAttempts ?? 3, 5),
  }
  const clients = {
    backup: new BackupClient(config),
    iam: new IAMClient(config),
    sts: new STSClient(config),
    organizations: new OrganizationsClient(config),
    kms: new KMSClient(config),
  }
  return {
    ...clients,
    destroy() { for (const c of Object.values(clients)) c.destroy() },
  }
}
