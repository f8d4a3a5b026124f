import t from 'tap'
import { isAccountId, isJobId, isRegion } from '../src/validate.js'

t.test('regions: real names pass, hostnames and junk do not', async (t) => {
  for (const r of ['us-east-1', 'eu-west-1', 'us-gov-west-1', 'ap-southeast-5', 'cn-north-1', 'eu-central-2']) t.ok(isRegion(r), r)
  for (const r of ['us-east-1.evil.example', 'US-EAST-1', 'us-east', '', 'us-east-1/', '../etc', 'us-east-1 ', 'a-b-1'.repeat(10), 42]) t.notOk(isRegion(r), String(r))
})

t.test('account ids are 12 digits', async (t) => {
  t.ok(isAccountId('111111111111'))
  for (const a of ['11111111111', '1111111111111', 'abcdefghijkl', '11111111111a', '*', null]) t.notOk(isAccountId(a), String(a))
})

t.test('job ids', async (t) => {
  for (const j of ['5E1B0C2A-6F3D-4E8B-9A71-2C4D6E8F0A01', 'b0dc5e7f-9bac-4fca-9bec-6d8eafca4b12', 'A'.repeat(64)]) t.ok(isJobId(j), j)
  for (const j of ['', '-abc', 'a/b', 'a b', 'x'.repeat(101), '../../x', 'id?x=1']) t.notOk(isJobId(j), j)
})
