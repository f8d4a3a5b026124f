/**
 * Keeps docs/reader-role-policy.json and docs/management-reader-role-policy.json
 * in step with the AWS operations the code really calls: every `new XxxCommand(`
 * in src/aws and src/evidence must be allowed by one of them (except the two
 * calls the service makes with its own credentials and that need no reader
 * permission), and the policies allow nothing the code does not call.
 */
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from '../helpers/sandbox.js'

const SERVICE_PREFIX: Record<string, string> = { backup: 'backup', iam: 'iam', kms: 'kms', organizations: 'organizations', sts: 'sts' }
// GetCallerIdentity needs no permission; AssumeRole is allowed by the reader role's trust policy and the service's own policy.
const OWN_CREDENTIALS_ONLY = new Set(['sts:GetCallerIdentity', 'sts:AssumeRole'])

function actionsInCode(): Set<string> {
  const out = new Set<string>()
  for (const dir of ['src/aws', 'src/evidence']) {
    for (const f of readdirSync(join(REPO_ROOT, dir)).filter((x) => x.endsWith('.ts'))) {
      const text = readFileSync(join(REPO_ROOT, dir, f), 'utf8')
      const commandService = new Map<string, string>()
      for (const m of text.matchAll(/import\s*{([^}]*)}\s*from\s*'@aws-sdk\/client-([a-z]+)'/g)) {
        for (const name of m[1]!.split(',').map((s) => s.trim()).filter((s) => s.endsWith('Command'))) commandService.set(name, SERVICE_PREFIX[m[2]!]!)
      }
      for (const m of text.matchAll(/new ([A-Za-z]+)Command\(/g)) {
        const service = commandService.get(`${m[1]}Command`)
        if (service !== undefined) out.add(`${service}:${m[1]}`)
      }
    }
  }
  return out
}

function actionsInPolicy(file: string): Set<string> {
  const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'docs', file), 'utf8')) as { Statement: { Effect: string; Action: string | string[] }[] }
  const out = new Set<string>()
  for (const s of doc.Statement) {
    t.equal(s.Effect, 'Allow')
    for (const a of Array.isArray(s.Action) ? s.Action : [s.Action]) out.add(a)
  }
  return out
}

t.test('the reader policies allow exactly the operations the code calls', async (t) => {
  const code = actionsInCode()
  const reader = actionsInPolicy('reader-role-policy.json')
  const management = actionsInPolicy('management-reader-role-policy.json')
  t.ok(code.size >= 25, `found ${code.size} operations in the code`)
  const needed = [...code].filter((a) => !OWN_CREDENTIALS_ONLY.has(a)).sort()
  t.same([...new Set([...reader, ...management])].sort(), needed, 'policies = operations called')
  for (const a of [...reader, ...management]) {
    t.match(a, /^[a-z]+:(Describe|Get|List|Decode)[A-Za-z]+$/, `${a} is read-only`)
    t.notMatch(a, /\*/, 'no wildcards in actions')
  }
  // Organizations reads other than DescribeOrganization answer only the management account.
  for (const a of needed.filter((x) => x.startsWith('organizations:') && x !== 'organizations:DescribeOrganization')) {
    t.ok(management.has(a) && !reader.has(a), `${a} only in the management policy`)
  }
})
