/**
 * `npm run demo`: a simulated AWS organization (the sandbox serving
 * demo/world.json) and the service pointed at it, authentication off, on
 * 127.0.0.1, with ready-to-paste curl commands; a local stand-in for Slack prints
 * what the integrations would post. Ctrl-C stops everything.
 *
 * Nothing here touches real AWS: the service's AWS endpoint is the sandbox, its
 * credentials are dummies, and the instance metadata service is disabled.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildApp } from '../app.js'
import { ConfigError, loadConfig } from '../config.js'
import { startSandbox } from '../sandbox/index.js'
import { eventBridgeExample, failedJobsExample, slackCommandExample, startLocalSlack } from '../integrations/try-locally.js'
import type { World } from '../sandbox/index.js'

/** demo/world.json from src/cli (tsx) or dist/src/cli (built). */
function findDemoWorld(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'demo', 'world.json')
    if (existsSync(p)) return p
    dir = dirname(dir)
  }
  throw new Error('demo/world.json not found next to the package')
}

/** Signing secret of the demo's local Slack stand-in (not a secret: it signs requests to a local demo). */
const DEMO_SLACK_SECRET = 'demo-signing-secret'

interface DemoJob {
  jobId: string
  accountId: string
  kind: string
  expected: string
}

/** The failed jobs of the world with the account that holds them, in the order the world lists its expectations. */
export function demoJobs(world: World): DemoJob[] {
  const w = world as unknown as {
    accounts: { id: string; backup?: Record<string, Record<string, unknown>[] | undefined> }[]
    expect?: { jobId: string; code: string }[]
  }
  const where = new Map<string, { accountId: string; kind: string }>()
  for (const a of w.accounts) {
    for (const [list, idKey, kind] of [['backupJobs', 'BackupJobId', 'backup'], ['copyJobs', 'CopyJobId', 'copy'], ['restoreJobs', 'RestoreJobId', 'restore']] as const) {
      for (const j of a.backup?.[list] ?? []) where.set(String(j[idKey]), { accountId: a.id, kind })
    }
  }
  return (w.expect ?? []).flatMap((e) => {
    const loc = where.get(e.jobId)
    return loc ? [{ jobId: e.jobId, accountId: loc.accountId, kind: loc.kind, expected: e.code }] : []
  })
}

export function curlExamples(base: string, jobs: DemoJob[]): string {
  const lines: string[] = []
  for (const j of jobs) {
    const url = `${base}/v1/jobs/${j.jobId}/diagnosis?accountId=${j.accountId}`
    lines.push(`# ${j.kind} job in ${j.accountId} (expect ${j.expected})`)
    lines.push(`curl -s '${url}'`)
  }
  const first = jobs[0]
  if (first !== undefined) {
    lines.push('', '# The same as POST, and as a Markdown report:')
    lines.push(`curl -s -X POST ${base}/v1/diagnoses -H 'content-type: application/json' -d '{"jobId":"${first.jobId}","accountId":"${first.accountId}"}'`)
    lines.push(`curl -s -H 'accept: text/markdown' '${base}/v1/jobs/${first.jobId}/diagnosis?accountId=${first.accountId}'`)
  }
  lines.push('', '# Errors are application/problem+json:')
  lines.push(`curl -s -i '${base}/v1/jobs/00000000-0000-4000-8000-000000000000/diagnosis?accountId=111111111111'`)
  lines.push(`curl -s -i '${base}/v1/jobs/${first?.jobId ?? 'x'}/diagnosis?region=us-east-1.evil.example'`)
  return lines.join('\n')
}

async function main(): Promise<void> {
  // Belt and braces: no default credential chain may reach the instance metadata address.
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true'
  const sandbox = await startSandbox({ world: findDemoWorld(), port: 0 })
  // A local stand-in for Slack: slash-command answers and failure notifications are printed here.
  const slack = await startLocalSlack()
  let config
  try {
    config = loadConfig({
      SLACK_SIGNING_SECRET: DEMO_SLACK_SECRET,
      SLACK_WEBHOOK_URL: `${slack.url}/webhook`,
      BACKUP_DOCTOR_SLACK_RESPONSE_URL_PREFIXES: `${slack.url}/`,
      PORT: process.env['PORT'] ?? '3000',
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
      HOST: '127.0.0.1',
      BACKUP_DOCTOR_AUTH: 'off',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: sandbox.url,
      BACKUP_DOCTOR_RATE_LIMIT: '600',
    })
  } catch (e) {
    await sandbox.close()
    await slack.close()
    if (e instanceof ConfigError) {
      console.error(e.message)
      process.exit(2)
    }
    throw e
  }
  const app = await buildApp(config, {}, { credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'demo-not-a-secret' } })
  let address: string
  try {
    address = await app.listen({ port: config.port, host: config.host })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e
    // Port taken (another demo?): any free port is fine for a demo.
    address = await app.listen({ port: 0, host: config.host })
  }

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    console.log('\nstopping…')
    await app.close()
    await sandbox.close()
    await slack.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())

  const jobs = demoJobs(sandbox.world)
  const first = jobs[0]
  const integrations = first === undefined
    ? ''
    : `

# Integrations (answers are printed below as "--- Slack message ---"):
${slackCommandExample({ baseUrl: address, signingSecret: DEMO_SLACK_SECRET, text: `${first.jobId} ${first.accountId}`, responseUrl: `${slack.url}/commands/demo` })}
${eventBridgeExample({ baseUrl: address, jobId: first.jobId, accountId: first.accountId, region: 'us-east-1' })}
${failedJobsExample({ baseUrl: address, query: 'accountId=111111111111' })}`
  console.log(`Backup Doctor demo
  service : ${address}  (authentication off)
  sandbox : ${sandbox.url}  (simulated AWS organization from demo/world.json)
  slack   : ${slack.url}  (local stand-in: prints what would be posted to Slack)
  docs    : ${address}/docs

Try:
${curlExamples(address, jobs)}${integrations}

Ctrl-C stops everything.`)
}

// Run only as the entry point (`node dist/src/cli/demo.js`), not when a test imports the helpers above.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error('demo failed:', err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
