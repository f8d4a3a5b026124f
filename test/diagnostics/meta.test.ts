/**
 * Keeps the pipeline array, the files in diagnostics/checks/, their tests and
 * the root-cause contract in step (Trivy / kube-linter style meta-test).
 */
import t from 'tap'
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PIPELINE } from '../../diagnostics/index.js'
import { ROOT_CAUSE_CODES } from '../../diagnostics/codes.js'
import { RUNNER_MESSAGES } from '../../diagnostics/runner.js'
import { SHARED } from '../helpers/evidence-builders.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const CHECKS_DIR = path.resolve(here, '../../diagnostics/checks')
const TESTS_DIR = path.resolve(here, 'checks')
/** Codes the verdict itself can produce without a check. */
const VERDICT_CODES = ['UNDETERMINED']

const contractCodes = (() => {
  const md = readFileSync(path.join(SHARED, 'contract/root-causes.md'), 'utf8')
  return [...new Set([...md.matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]!))]
})()

t.test('ids are unique, equal to file names, and every check file is in the pipeline', async (t) => {
  const ids = PIPELINE.map((c) => c.id)
  t.equal(new Set(ids).size, ids.length, 'unique ids')
  const files = readdirSync(CHECKS_DIR).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''))
  t.same([...files].sort(), [...ids].sort(), 'pipeline ⇔ diagnostics/checks/*.ts')
  for (const id of ids) t.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${id} is kebab-case`)
})

t.test('every check has a table test', async (t) => {
  for (const c of PIPELINE) {
    const file = path.join(TESTS_DIR, `${c.id}.test.ts`)
    t.ok(existsSync(file), `${c.id} has test/diagnostics/checks/${c.id}.test.ts`)
    if (existsSync(file)) {
      const src = readFileSync(file, 'utf8')
      t.match(src, new RegExp(`checks/${c.id}\\.js`), `${c.id} test imports the check`)
      if (c.rootCauses.length > 0) t.match(src, /status: 'fail'/, `${c.id} test has a failing case`)
      t.match(src, /status: '(pass|skipped|warn)'/, `${c.id} test has a non-failing case`)
    }
  }
})

t.test('metadata is well formed', async (t) => {
  for (const c of PIPELINE) {
    t.match(c.title, /^[A-Z]/, `${c.id}: title capitalised`)
    t.notMatch(c.title, /^(Ensure|Check|Verify|Make sure)\b/i, `${c.id}: title states a fact`)
    t.notMatch(c.title, /\.$/, `${c.id}: title has no full stop`)
    t.ok(c.appliesTo.length > 0, `${c.id}: applies to some job type`)
    t.match(c.docs, /^https:\/\/(docs\.aws\.amazon\.com|repost\.aws)\//, `${c.id}: cites an AWS page`)
    t.ok(Object.keys(c.messages).length > 0, `${c.id}: has messages`)
    for (const id of Object.keys(c.messages)) t.notOk(id in RUNNER_MESSAGES, `${c.id}: message id ${id} does not shadow a runner message`)
    for (const code of c.rootCauses) t.ok(contractCodes.includes(code), `${c.id}: ${code} is a contract code`)
    const src = readFileSync(path.join(CHECKS_DIR, `${c.id}.ts`), 'utf8')
    t.match(src, /^\/\*\*\n \* /, `${c.id}: starts with a comment saying what it proves`)
    t.notMatch(src, /\.Statement\b|\['Statement'\]/, `${c.id}: never reads a policy's Statement`)
  }
})

t.test('every contract code is reachable, and no check invents one', async (t) => {
  t.ok(contractCodes.length >= 34, `${contractCodes.length} codes in root-causes.md`)
  const reachable = new Set([...PIPELINE.flatMap((c) => c.rootCauses), ...VERDICT_CODES])
  for (const code of contractCodes) t.ok(reachable.has(code), `${code} is named by some check`)
  for (const code of reachable) t.ok(contractCodes.includes(code), `${code} is in the contract`)
  t.same(Object.keys(ROOT_CAUSE_CODES).sort(), [...contractCodes].sort(), 'codes.ts lists exactly the contract codes')
})

t.test('no scenario special cases in the pipeline', async (t) => {
  const scenarioIds = readdirSync(path.join(SHARED, 'scenarios')).flatMap((f) => {
    const w = readFileSync(path.join(SHARED, 'scenarios', f), 'utf8')
    return [...w.matchAll(/"(?:BackupJobId|CopyJobId|RestoreJobId)":\s*"([^"]+)"/g)].map((m) => m[1]!)
  })
  const names = readdirSync(path.join(SHARED, 'scenarios')).map((f) => f.replace(/\.json$/, ''))
  const sources = [CHECKS_DIR, path.resolve(CHECKS_DIR, '..'), path.resolve(CHECKS_DIR, '../lib')]
    .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(d, f), 'utf8')))
    .join('\n')
  for (const id of scenarioIds) t.notOk(sources.includes(id), `job id ${id} does not appear in diagnostics/`)
  for (const n of names) t.notOk(sources.includes(n), `scenario name ${n} does not appear in diagnostics/`)
})
