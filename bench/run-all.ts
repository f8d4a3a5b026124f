/**
 * `npm run bench`: runs every benchmark script in this folder, one after
 * another (they measure wall time, so never in parallel), and prints their
 * figures. Benchmarks print numbers; they assert nothing (tests check behaviour).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const benches = ['evaluator.js', 'evidence.js']
let failed = 0
for (const file of benches) {
  const path = join(here, file)
  if (!existsSync(path)) {
    console.log(`(skipping ${file}: not built)`)
    continue
  }
  console.log(`\n=== ${file.replace(/\.js$/, '')} ===`)
  const r = spawnSync(process.execPath, [path], { stdio: 'inherit', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } })
  if (r.status !== 0) failed++
}
process.exitCode = failed === 0 ? 0 : 1
