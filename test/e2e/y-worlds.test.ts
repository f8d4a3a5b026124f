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
import { basename } from 'node:path'
import t from 'tap'
import { checkDocumentedWorld, fixtureWorlds } from './helpers.js'

const files = fixtureWorlds('y')
t.ok(files.length > 0, `y-worlds found (${files.length})`)
for (const file of files) t.test(basename(file, '.json'), (t) => checkDocumentedWorld(t, file))
