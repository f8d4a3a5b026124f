/**
 * The production wiring: the real AWS context (src/aws), evidence collector
 * (src/evidence), pipeline (diagnostics/) and Markdown report (src/report).
 * Filled in once those modules land; until then buildApp needs injected deps.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.js'
import type { AppDeps } from '../app.js'

export function createDefaultDeps(_config: Config, _logger: FastifyBaseLogger): AppDeps {
  throw new Error('The engine is not wired yet: pass diagnosisService, readiness and renderMarkdown to buildApp')
}
