/**
 * Worlds for the verdict codes with the least coverage (test/fixtures/worlds/v-*.json):
 * JOB_ROLE_NOT_FOUND, SCP_NOT_ALLOWED, RESOURCE_POLICY_DENIES,
 * INSTANCE_PROFILE_MISSING_PERMISSION, CONCURRENT_OPERATION, RESOURCE_STATE_INVALID,
 * STOPPED_BY_USER, UNDETERMINED, ACCOUNTS_NOT_IN_SAME_ORG, CROSS_ACCOUNT_BACKUP_DISABLED,
 * SERVICE_LINKED_ROLE_MISSING and PASSROLE_NOT_ALLOWED, in the variants an on-call engineer
 * meets: other job and resource types, cross-account and cross-Region jobs, other status
 * message wordings, and decoys (an allow-list that allows backup actions at one level but not
 * another, a role of the same name at another path or in another account, an SCP that denies
 * only in other Regions). Each world's `description` and each expectation's `note` give the
 * AWS behaviour the expected verdict rests on. They run through the HTTP API like the public
 * scenarios (sandbox + real service).
 */
import { basename } from 'node:path'
import t from 'tap'
import { checkDocumentedWorld, fixtureWorlds } from './helpers.js'

const files = fixtureWorlds('v')
t.ok(files.length > 0, `v-worlds found (${files.length})`)
for (const file of files) t.test(basename(file, '.json'), (t) => checkDocumentedWorld(t, file))
