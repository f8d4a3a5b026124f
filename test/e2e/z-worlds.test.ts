/**
 * Worlds for the real failure messages (test/fixtures/worlds/z-*.json): every line
 * of ../shared/aws-data/failure-messages.jsonl that no other world covered gets a
 * job with that status message and its documented cause, and messages that
 * several causes share get variants — the same text, other evidence, another
 * verdict (a KMS text with an SCP deny, the S3 versioning text with an identity
 * deny or an RCP). Each world's `description` and each expectation's `note`
 * give the AWS behaviour the expected verdict rests on (and the message id).
 * They run through the HTTP API like the public scenarios (sandbox + real service).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import t from 'tap'
import { REPO_ROOT } from '../helpers/sandbox.js'
import { checkWorldExpectations, type Expectation } from './helpers.js'

const dir = join(REPO_ROOT, 'test', 'fixtures', 'worlds')
const files = readdirSync(dir).filter((f) => /^z-.*\.json$/.test(f)).sort().map((f) => join(dir, f))
t.ok(files.length > 0, `z-worlds found (${files.length})`)
for (const file of files) {
  t.test(basename(file, '.json'), async (t) => {
    const world = JSON.parse(readFileSync(file, 'utf8')) as { description?: string; expect?: (Expectation & { note?: string })[] }
    // Every expectation says why (the AWS behaviour it rests on, the message id), so it is never a copy of the service's output.
    t.ok(/ABK-\d{3}/.test(world.description ?? ''), 'the world names the failure message(s) it covers')
    t.ok((world.description ?? '').length > 40, 'the world describes the AWS behaviour it tests')
    for (const e of world.expect ?? []) t.ok((e.note ?? '').length > 0, `${e.jobId}: the expectation has a note`)
    await checkWorldExpectations(t, file)
  })
}
