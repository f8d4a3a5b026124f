/**
 * Worlds in other AWS partitions (test/fixtures/worlds/p-*.json): a GovCloud (US)
 * job, whose ARNs are arn:aws-us-gov:..., diagnosed through the HTTP API like the
 * public scenarios (sandbox + real service). The diagnostics build every ARN in the
 * job's partition (diagnostics/lib/partition.ts); each world's `description` and
 * each expectation's `note` say which verdict that changes and why.
 *
 * The sandbox names the resources it describes itself (roles, vaults, keys) with
 * commercial arn:aws: ARNs whatever the world's region; these worlds therefore
 * write the job's ARNs in the partition and expect no policy id.
 */
import { basename } from 'node:path'
import t from 'tap'
import { checkDocumentedWorld, fixtureWorlds } from './helpers.js'

const files = fixtureWorlds('p')
t.ok(files.length > 0, `p-worlds found (${files.length})`)
for (const file of files) t.test(basename(file, '.json'), (t) => checkDocumentedWorld(t, file))
