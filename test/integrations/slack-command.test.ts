import t from 'tap'
import { parseCommandText } from '../../src/integrations/slack-command.js'

const ID = '0A1B2C3D-0000-4000-8000-0000000000F1'

t.test('valid command texts', async (t) => {
  const cases: Array<[string, object]> = [
    [ID, { jobId: ID }],
    [`  ${ID}  `, { jobId: ID }],
    [`${ID} 111111111111`, { jobId: ID, accountId: '111111111111' }],
    [`${ID} 111111111111 eu-west-1`, { jobId: ID, accountId: '111111111111', region: 'eu-west-1' }],
    [`${ID} EU-WEST-1 111111111111`, { jobId: ID, accountId: '111111111111', region: 'eu-west-1' }],
    [`${ID} us-gov-west-1 copy`, { jobId: ID, region: 'us-gov-west-1', jobType: 'copy' }],
    [`\`${ID}\`\u00a0111111111111`, { jobId: ID, accountId: '111111111111' }],
  ]
  for (const [text, ref] of cases) t.same(parseCommandText(text), { kind: 'diagnose', ref }, text)
})

t.test('help', async (t) => {
  for (const text of ['', '   ', 'help', 'HELP', '--help']) t.equal(parseCommandText(text).kind, 'help', JSON.stringify(text))
})

t.test('invalid input never reaches AWS', async (t) => {
  const bad = [
    '../../etc/passwd',
    `${ID} 11111111111`,
    `${ID} us-east-1.evil.example`,
    `${ID} 111111111111 222222222222`,
    `${ID} us-east-1 eu-west-1`,
    `${ID} 111111111111 us-east-1 backup extra`,
    '<script>',
    'a'.repeat(101),
  ]
  for (const text of bad) t.equal(parseCommandText(text).kind, 'invalid', text)
})
