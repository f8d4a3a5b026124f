/**
 * The production wiring: the real AWS context (src/aws) configured from Config,
 * the evidence collector (src/evidence), the diagnostic pipeline (diagnostics/)
 * and the Markdown report (src/report). buildApp uses it for whatever the caller
 * did not inject. Modules are imported on demand, so tests that inject fakes do
 * not load the SDK clients.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.js'
import type { AppDeps } from '../app.js'
import type { AwsConfig, AwsContext } from '../aws/index.js'
import { createDiagnosisService } from './diagnosis-service.js'
import { createReadiness } from './readiness.js'

export interface DefaultDepsOptions {
  /** An AwsContext built by the caller (tests, the demo); otherwise one is built from config. */
  aws?: AwsContext
  /** The service's own credentials; default: the SDK's default provider chain. */
  credentials?: AwsConfig['credentials']
}

export interface DefaultDeps extends AppDeps {
  aws: AwsContext
}

export async function createAwsFromConfig(config: Config, credentials?: DefaultDepsOptions['credentials']): Promise<AwsContext> {
  const { createAwsContext } = await import('../aws/index.js')
  return createAwsContext({
    defaultRegion: config.defaultRegion,
    readerRoleName: config.readerRoleName,
    ...(config.awsEndpointUrl === null ? {} : { endpoint: config.awsEndpointUrl }),
    maxAttempts: config.aws.maxAttempts,
    callTimeoutMs: config.aws.callTimeoutMs,
    ...(credentials === undefined ? {} : { credentials }),
  })
}

export async function createDefaultDeps(config: Config, logger: FastifyBaseLogger, opts: DefaultDepsOptions = {}): Promise<DefaultDeps> {
  const [{ collectEvidence, evidenceGaps }, { diagnose }, { renderMarkdown }, { GetCallerIdentityCommand }] = await Promise.all([
    import('../evidence/index.js'),
    import('../../diagnostics/index.js'),
    import('../report/markdown.js'),
    import('@aws-sdk/client-sts'),
  ])
  const aws = opts.aws ?? (await createAwsFromConfig(config, opts.credentials))
  const diagnosisService = createDiagnosisService({
    logger: logger.child({ component: 'diagnosis' }),
    deadlineMs: config.aws.diagnosisDeadlineMs,
    engine: {
      collect: (ref, o) => collectEvidence(ref, aws, o),
      diagnose,
      gaps: evidenceGaps,
    },
  })
  const readiness = createReadiness({
    cacheMs: config.readinessCacheMs,
    timeoutMs: config.aws.callTimeoutMs + 1_000,
    // serviceIdentity() is cached by the context; a fresh GetCallerIdentity proves the credentials still work.
    probe: async () => {
      const me = await aws.serviceIdentity()
      const sts = await aws.sts(me.accountId, config.defaultRegion)
      return aws.call({ service: 'sts', operation: 'GetCallerIdentity', accountId: me.accountId, region: config.defaultRegion }, () =>
        sts.send(new GetCallerIdentityCommand({})),
      )
    },
  })
  return { aws, diagnosisService, readiness, renderMarkdown }
}
