/**
 * Property: any text a world holds (unicode, quotes, angle brackets, percent
 * signs, control characters) travels through each protocol's encoding and the
 * real SDK's decoding unchanged.
 */
import t from 'tap'
import fc from 'fast-check'
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam'
import { DescribePolicyCommand } from '@aws-sdk/client-organizations'
import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms'
import { DescribeBackupJobCommand } from '@aws-sdk/client-backup'
import { startSandbox, type World } from '../../src/sandbox/index.js'
import { sandboxClients } from '../helpers/sandbox.js'

const ACCT = '123456789012'

/**
 * What an XML text field can carry: XML 1.0 has no representation for most C0
 * controls (the sandbox drops them), and the SDK's XML parser reads a
 * whitespace-only text containing a newline as empty, whatever the server sent.
 */
function viaXml(s: string): string {
  // eslint-disable-next-line no-control-regex
  const kept = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
  return kept.trim() === '' && kept.includes('\n') ? '' : kept
}
const text = fc.string({ unit: 'grapheme', maxLength: 40 })
const nasty = fc.oneof(text, fc.constantFrom('<a>&amp;</a>', ']]>', '%41%', 'a+b c', '\r\n\t', 'x\r\ny\tz', '"\'', '\u0001\u001f', '💾 backups', 'ünïcödé'))

t.test('text survives every protocol', async (t) => {
  await fc.assert(fc.asyncProperty(nasty, nasty, async (a, b) => {
    const doc = { Version: '2012-10-17', Statement: [{ Sid: 'x', Effect: 'Allow', Action: 'backup:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': [a, b] } } }] }
    const world: World = {
      name: 'roundtrip',
      organization: { id: 'o-roundtrip01', managementAccountId: ACCT, rootId: 'r-rt01', policies: [{ id: 'p-roundtrip1', name: 'rt', type: 'SERVICE_CONTROL_POLICY', description: a, targets: [ACCT], content: doc }] },
      accounts: [{
        id: ACCT,
        parentId: 'r-rt01',
        iam: { roles: [{ name: 'R', description: a, trustPolicy: doc, inlinePolicies: { [`p${b.length}`]: doc } }] },
        kms: { keys: [{ id: '11111111-2222-3333-4444-555555555555', description: b, policy: doc }] },
        backup: { backupJobs: [{ BackupJobId: 'J', State: 'FAILED', StatusMessage: a + b }] },
      }],
    }
    const sandbox = await startSandbox({ world })
    const c = sandboxClients(sandbox.url, { maxAttempts: 1 })
    try {
      const role = (await c.iam.send(new GetRoleCommand({ RoleName: 'R' }))).Role!
      if ((role.Description ?? '') !== viaXml(a)) throw new Error(`IAM Description ${JSON.stringify(role.Description)} != ${JSON.stringify(a)}`)
      if (JSON.stringify(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!))) !== JSON.stringify(doc)) throw new Error('IAM trust policy')
      const inline = await c.iam.send(new GetRolePolicyCommand({ RoleName: 'R', PolicyName: `p${b.length}` }))
      if (JSON.stringify(JSON.parse(decodeURIComponent(inline.PolicyDocument!))) !== JSON.stringify(doc)) throw new Error('IAM inline policy')
      const p = (await c.organizations.send(new DescribePolicyCommand({ PolicyId: 'p-roundtrip1' }))).Policy!
      if (p.PolicySummary?.Description !== a || JSON.stringify(JSON.parse(p.Content!)) !== JSON.stringify(doc)) throw new Error('Organizations')
      const k = await c.kms.send(new DescribeKeyCommand({ KeyId: '11111111-2222-3333-4444-555555555555' }))
      if (k.KeyMetadata?.Description !== b) throw new Error('KMS description')
      if (JSON.stringify(JSON.parse((await c.kms.send(new GetKeyPolicyCommand({ KeyId: '11111111-2222-3333-4444-555555555555' }))).Policy!)) !== JSON.stringify(doc)) throw new Error('KMS policy')
      if ((await c.backup.send(new DescribeBackupJobCommand({ BackupJobId: 'J' }))).StatusMessage !== a + b) throw new Error('Backup StatusMessage')
    } finally {
      c.destroy()
      await sandbox.close()
    }
  }), { numRuns: 40 })
  t.pass('all runs round-tripped')
})
