/**
 * @cloud-copilot/iam-simulate is AGPL-3.0: it may serve as a test and benchmark
 * oracle, never as a runtime dependency. This test fails if any source that
 * ships (src/, routes/, diagnostics/) imports it, or if package.json lists it
 * outside devDependencies.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { REPO_ROOT } from './helpers/sandbox.js'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return sources(p)
    return p.endsWith('.ts') ? [p] : []
  })
}

t.test('no shipped source imports the AGPL oracle', async (t) => {
  const files = ['src', 'routes', 'diagnostics'].flatMap((d) => sources(join(REPO_ROOT, d)))
  t.ok(files.length > 50, `scanned ${files.length} files`)
  const offenders = files.filter((f) => /from\s+['"]@cloud-copilot\/iam-simulate|import\(\s*['"]@cloud-copilot\/iam-simulate/.test(readFileSync(f, 'utf8')))
  t.same(offenders, [])
})

t.test('package.json keeps it a devDependency', async (t) => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>
  t.notOk(pkg['dependencies']?.['@cloud-copilot/iam-simulate'], 'not a runtime dependency')
  t.ok(pkg['devDependencies']?.['@cloud-copilot/iam-simulate'], 'a devDependency (test oracle)')
})
