import t from 'tap'
import { createPostJson, isAllowedUrl, SLACK_HOOKS_PREFIX } from '../../src/integrations/post-json.js'
import { startReceiver } from './helpers.js'

t.test('only URLs under the allowed prefixes', async (t) => {
  const allowed = [SLACK_HOOKS_PREFIX]
  t.ok(isAllowedUrl('https://hooks.slack.com/commands/T1/2/x', allowed))
  t.ok(isAllowedUrl('https://HOOKS.slack.com/services/T1/B1/x', allowed), 'host case-normalised')
  for (const url of [
    'http://hooks.slack.com/commands/x',
    'https://hooks.slack.com.evil.example/commands/x',
    'https://hooks.slack.com@evil.example/commands/x',
    'https://user:pw@hooks.slack.com/commands/x',
    'https://evil.example/https://hooks.slack.com/',
    'https://hooks.slack.com:8443/commands/x',
    'not a url',
    '',
  ]) {
    t.notOk(isAllowedUrl(url, allowed), url)
  }
})

t.test('posts JSON, refuses other hosts, fails on non-2xx', async (t) => {
  const receiver = await startReceiver(t)
  const post = createPostJson({ allowedPrefixes: [receiver.url + '/'] })
  await post(`${receiver.url}/x`, { text: 'hi' })
  t.same(receiver.received[0]?.body, { text: 'hi' })
  t.equal(receiver.received[0]?.headers['content-type'], 'application/json; charset=utf-8')
  await t.rejects(post('https://example.com/x', {}), { name: 'PostError', status: null })
  receiver.setStatus(404)
  await t.rejects(post(`${receiver.url}/x`, {}), { name: 'PostError', status: 404 })
  t.equal(receiver.received.length, 2)
})
