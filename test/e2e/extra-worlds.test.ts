/**
 * Worlds beyond the public catalogue (test/fixtures/worlds/x-*.json): one per verdict
 * code the public scenarios do not reach, variants where the status message is
 * generic or misleading so that the evidence must decide, and partial-evidence
 * worlds. Each runs through the HTTP API exactly like the public scenarios.
 * (y-*.json, the worlds written to find misdiagnoses, run in y-worlds.test.ts.)
 */
import { readdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import t from 'tap'
import { REPO_ROOT } from '../helpers/sandbox.js'
import { checkWorldExpectations } from './helpers.js'

const dir = join(REPO_ROOT, 'test', 'fixtures', 'worlds')
const files = readdirSync(dir).filter((f) => /^x-.*\.json$/.test(f)).sort().map((f) => join(dir, f))
t.ok(files.length >= 20, `extra worlds found (${files.length})`)
for (const file of files) t.test(basename(file, '.json'), (t) => checkWorldExpectations(t, file))
