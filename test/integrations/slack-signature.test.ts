import t from 'tap'
import { computeSlackSignature, SlackVerifier } from '../../src/integrations/slack-signature.js'

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5'
const NOW = 1_800_000_000
const body = 'token=x&team_id=T1&command=%2Fbackup-why&text=0A1B2C3D-0000-4000-8000-0000000000F1&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1%2F2%2F3'

function verifier() {
  return new SlackVerifier({ signingSecret: SECRET, now: () => NOW })
}

t.test('signature matches Slack documented example', async (t) => {
  // Example from Slack's "Verifying requests from Slack" guide.
  const exampleBody =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c'
  t.equal(
    computeSlackSignature('8f742231b10e8888abcd99yyyzzz85a5', '1531420618', exampleBody),
    'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
  )
})

t.test('valid signature is accepted once', async (t) => {
  const v = verifier()
  const ts = String(NOW - 10)
  const sig = computeSlackSignature(SECRET, ts, body)
  t.same(v.verify({ timestamp: ts, signature: sig }, body), { ok: true })
  t.same(v.verify({ timestamp: ts, signature: sig }, body), { ok: false, reason: 'replayed' }, 'replay refused')
})

t.test('stale and future timestamps are refused', async (t) => {
  const v = verifier()
  for (const ts of [String(NOW - 301), String(NOW + 301), '0']) {
    t.same(v.verify({ timestamp: ts, signature: computeSlackSignature(SECRET, ts, body) }, body), { ok: false, reason: 'stale' }, ts)
  }
  const edge = String(NOW - 300)
  t.same(v.verify({ timestamp: edge, signature: computeSlackSignature(SECRET, edge, body) }, body), { ok: true }, 'exactly five minutes is fine')
})

t.test('tampered body, timestamp or secret are refused', async (t) => {
  const v = verifier()
  const ts = String(NOW)
  const sig = computeSlackSignature(SECRET, ts, body)
  t.same(v.verify({ timestamp: ts, signature: sig }, body.replace('T1', 'T2')), { ok: false, reason: 'bad-signature' })
  t.same(v.verify({ timestamp: String(NOW - 1), signature: sig }, body), { ok: false, reason: 'bad-signature' })
  t.same(v.verify({ timestamp: ts, signature: computeSlackSignature('other', ts, body) }, body), { ok: false, reason: 'bad-signature' })
  t.same(v.verify({ timestamp: ts, signature: sig.toUpperCase() }, body), { ok: false, reason: 'bad-signature' })
  t.same(v.verify({ timestamp: ts, signature: 'v1=' + sig.slice(3) }, body), { ok: false, reason: 'bad-signature' })
  t.same(v.verify({ timestamp: ts, signature: sig.slice(0, 20) }, body), { ok: false, reason: 'bad-signature' })
  // A refused attempt does not burn the genuine signature.
  t.same(v.verify({ timestamp: ts, signature: sig }, body), { ok: true })
})

t.test('missing or malformed headers', async (t) => {
  const v = verifier()
  t.same(v.verify({ timestamp: undefined, signature: 'v0=00' }, body), { ok: false, reason: 'missing-headers' })
  t.same(v.verify({ timestamp: String(NOW), signature: undefined }, body), { ok: false, reason: 'missing-headers' })
  t.same(v.verify({ timestamp: '1e9', signature: 'v0=00' }, body), { ok: false, reason: 'bad-timestamp' })
  t.same(v.verify({ timestamp: '-5', signature: 'v0=00' }, body), { ok: false, reason: 'bad-timestamp' })
})
