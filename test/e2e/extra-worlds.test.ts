/**
 * Worlds beyond the public catalogue (test/fixtures/worlds/x-*.json): one per verdict
 * code the public scenarios do not reach, variants where the status message is
 * generic or misleading so that the evidence must decide, and partial-evidence
 * worlds. Each runs through the HTTP API exactly like the public scenarios.
 * (y-*.json, the worlds written to find misdiagnoses, run in y-worlds.test.ts.)
 */
import { basename } from 'node:path'
import t from 'tap'
import { checkWorldExpectations, fixtureWorlds } from './helpers.js'

const files = fixtureWorlds('x')
t.ok(files.length >= 20, `extra worlds found (${files.length})`)
for (const file of files) t.test(basename(file, '.json'), (t) => checkWorldExpectations(t, file))
