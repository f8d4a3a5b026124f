/**
 * Worlds written to find misdiagnoses (test/fixtures/worlds/y-*.json): variations
 * the published scenarios do not cover — condition keys on SCPs, RCPs, vault,
 * key and trust policies, KMS access through account delegation, resource types
 * whose backups do not use the vault key, same message with another cause,
 * several causes at once, jobs that did not fail, partial evidence. Each world's
 * `description` and each expectation's `note` give the AWS behaviour the
 * expected verdict rests on. They run through the HTTP API exactly like the
 * public scenarios (sandbox + real service).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import t from 'tap'
import { REPO_ROOT } from '../helpers/sandbox.js'
import { checkWorldExpectations, type Expectation } from './helpers.js'

const dir = join(REPO_ROOT, 'test', 'fixtures', 'worlds')
const files = readdirSync(dir).filter((f) => /^y-.*\.json$/.test(f)).sort().map((f) => join(dir, f))
t.ok(files.length > 0, `y-worlds found (${files.length})`)
for (const file of files) {
  t.test(basename(file, '.json'), async (t) => {
    const world = JSON.parse(readFileSync(file, 'utf8')) as { description?: string; expect?: (Expectation & { note?: string })[] }
    // Every expectation says why (the AWS behaviour it rests on), so it is never a copy of the service's output.
    t.ok((world.description ?? '').length > 40, 'the world describes the AWS behaviour it tests')
    for (const e of world.expect ?? []) t.ok((e.note ?? '').length > 0, `${e.jobId}: the expectation has a note`)
    await checkWorldExpectations(t, file)
  })
}
