import t from 'tap'
import type { KnownBlock } from '@slack/types'
import { escapeMrkdwn, renderSlackBlocks, renderSlackError } from '../../src/report/slack.js'
import { sampleDiagnosis } from './helpers.js'

const ID = '0A1B2C3D-0000-4000-8000-0000000000F1'

function texts(blocks: KnownBlock[]): string {
  return JSON.stringify(blocks)
}

t.test('renders summary, code, policy, remediation, snippet and report link', async (t) => {
  const d = sampleDiagnosis({ jobId: ID, jobType: 'backup', accountId: '111111111111', region: 'us-east-1' })
  const msg = renderSlackBlocks(d, { reportUrl: 'https://doctor.example/v1/jobs/x/diagnosis' })
  const types = msg.blocks.map((b) => b.type)
  t.same(types, ['header', 'section', 'section', 'context', 'section', 'section', 'section', 'actions'])
  const all = texts(msg.blocks)
  t.match(all, 'S3_BACKUP_POLICY_NOT_ATTACHED')
  t.match(all, 'AWSBackupServiceRolePolicyForBackup')
  t.match(all, 'BackupS3')
  t.match(all, 's3:GetBucketTagging')
  t.match(all, 'AWSBackupServiceRolePolicyForS3Backup')
  t.match(all, '1. Attach')
  const actions = msg.blocks.at(-1) as { type: 'actions'; elements: Array<{ url?: string }> }
  t.equal(actions.elements[0]?.url, 'https://doctor.example/v1/jobs/x/diagnosis')
  t.match(msg.text, ID)
  // AWS text is escaped for mrkdwn.
  t.match(all, 'Access denied &lt;b&gt;&amp; more&lt;/b&gt;')
  t.notMatch(all, '<b>')
})

t.test('respects Slack limits and omits what does not apply', async (t) => {
  const d = sampleDiagnosis(
    { jobId: ID },
    {
      rootCause: { code: 'AWS_SERVICE_ERROR', entity: 'none', summary: 'x'.repeat(5000), policy: null, action: null, resource: null },
      remediation: { steps: Array.from({ length: 200 }, (_, i) => `step ${i} ${'y'.repeat(50)}`), policySnippet: { big: 'z'.repeat(10_000) } },
      gaps: Array.from({ length: 8 }, (_, i) => ({ what: `thing ${i}`, reason: 'AccessDenied' })),
    },
  )
  const msg = renderSlackBlocks(d)
  t.notOk(msg.blocks.some((b) => b.type === 'actions'), 'no link without a report URL')
  for (const b of msg.blocks) {
    if (b.type === 'section' && b.text) t.ok(b.text.text.length <= 3000, 'section text within 3000')
    if (b.type === 'header') t.ok(b.text.text.length <= 150)
  }
  const snippet = msg.blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('*Policy snippet*')) as { text: { text: string } }
  t.ok(snippet.text.text.endsWith('```'), 'code fence closed after truncation')
  t.match(texts(msg.blocks), '…and 3 more')
  t.ok(msg.blocks.length <= 50)
})

t.test('error message carries the code, not internals', async (t) => {
  const msg = renderSlackError({ jobId: ID, accountId: '111111111111' }, { code: 'JOB_NOT_FOUND', detail: 'No job <x>' })
  t.match(texts(msg.blocks), 'JOB_NOT_FOUND')
  t.match(texts(msg.blocks), 'No job &lt;x&gt;')
})

t.test('escapeMrkdwn', async (t) => {
  t.equal(escapeMrkdwn('<!channel> & <@U1>'), '&lt;!channel&gt; &amp; &lt;@U1&gt;')
})

t.test('header per verdict kind', async (t) => {
  const header = (code: string, state = 'FAILED') => {
    const d = sampleDiagnosis({ jobId: ID, jobType: 'copy' }, { rootCause: { code, entity: 'none', summary: 's', policy: null, action: null, resource: null } })
    d.job.state = state
    const b = renderSlackBlocks(d).blocks[0] as { type: string; text: { text: string } }
    return b.text.text
  }
  t.equal(header('VAULT_POLICY_DENIES'), 'copy job FAILED: VAULT_POLICY_DENIES')
  t.equal(header('JOB_NOT_FAILED', 'COMPLETED'), 'copy job did not fail')
  t.equal(header('UNDETERMINED', 'EXPIRED'), 'copy job EXPIRED: UNDETERMINED')
  const noPolicy = renderSlackBlocks(sampleDiagnosis({ jobId: ID }, { rootCause: { code: 'AWS_SERVICE_ERROR', entity: 'none', summary: 's', policy: null, action: null, resource: null }, remediation: { steps: [], policySnippet: null } }))
  const all = JSON.stringify(noPolicy.blocks)
  t.notMatch(all, '*Policy:*')
  t.notMatch(all, 'What to do')
  t.notMatch(all, 'Policy snippet')
  t.notMatch(all, 'Principal at fault')
})
