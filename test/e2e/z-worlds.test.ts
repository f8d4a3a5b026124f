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
import { basename } from 'node:path'
import t from 'tap'
import { checkDocumentedWorld, fixtureWorlds } from './helpers.js'

const files = fixtureWorlds('z')
t.ok(files.length > 0, `z-worlds found (${files.length})`)
for (const file of files) t.test(basename(file, '.json'), (t) => checkDocumentedWorld(t, file, { messageIds: true }))
