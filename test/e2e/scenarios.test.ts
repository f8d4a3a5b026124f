/**
 * Done-when of issue #6: for EVERY world in ../shared/scenarios/, diagnose every
 * expected job through the HTTP API (sandbox + real AWS context + real pipeline)
 * and compare code, entity, policy kind and policy id where the world gives them.
 */
import { basename } from 'node:path'
import t from 'tap'
import { scenarioFiles } from '../helpers/sandbox.js'
import { checkWorldExpectations } from './helpers.js'

const files = scenarioFiles()
t.ok(files.length >= 20, `scenario worlds found (${files.length})`)
for (const file of files) t.test(basename(file, '.json'), (t) => checkWorldExpectations(t, file))
