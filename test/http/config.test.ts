import t from 'tap'
import { ConfigError, describeConfig, loadConfig } from '../../src/config.js'

t.test('defaults of the contract', async (t) => {
  const c = loadConfig({ BACKUP_DOCTOR_API_KEYS: 'k1, k2 ,' })
  t.equal(c.port, 3000)
  t.equal(c.host, '127.0.0.1')
  t.equal(c.defaultRegion, 'us-east-1')
  t.equal(c.awsEndpointUrl, null)
  t.same(c.auth, { enabled: true, apiKeys: ['k1', 'k2'] })
  t.equal(c.readerRoleName, 'BackupDoctorReadOnly')
  t.same(c.slack, { signingSecret: null, webhookUrl: null, responseUrlPrefixes: ['https://hooks.slack.com/'] })
  t.equal(c.snsTopicArns, null)
  t.ok(Object.isFrozen(c) && Object.isFrozen(c.auth) && Object.isFrozen(c.auth.apiKeys), 'frozen')
})

t.test('refuses to start without API keys while auth is on, and says what to set', async (t) => {
  const err = t.throws(() => loadConfig({})) as unknown as ConfigError
  t.ok(err instanceof ConfigError)
  t.match(err.message, /BACKUP_DOCTOR_API_KEYS/)
  t.match(err.message, /BACKUP_DOCTOR_AUTH=off/)
  t.equal(loadConfig({ BACKUP_DOCTOR_AUTH: 'off' }).auth.enabled, false)
})

t.test('every bad variable is listed at once', async (t) => {
  const err = t.throws(() =>
    loadConfig({
      PORT: '70000',
      AWS_REGION: 'us-east-1.evil.example',
      AWS_ENDPOINT_URL: 'file:///etc/passwd',
      BACKUP_DOCTOR_AUTH: 'maybe',
      BACKUP_DOCTOR_API_KEYS: 'k',
      BACKUP_DOCTOR_READER_ROLE: 'role/with/slash',
      LOG_LEVEL: 'loud',
      BACKUP_DOCTOR_RATE_LIMIT: '-1',
    }),
  ) as unknown as ConfigError
  const vars = err.problems.map((p) => p.split(':')[0])
  t.same(vars.sort(), ['AWS_ENDPOINT_URL', 'AWS_REGION', 'BACKUP_DOCTOR_AUTH', 'BACKUP_DOCTOR_RATE_LIMIT', 'BACKUP_DOCTOR_READER_ROLE', 'LOG_LEVEL', 'PORT'].sort())
})

t.test('variables are read', async (t) => {
  const c = loadConfig({
    PORT: '8080', HOST: '0.0.0.0', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
    BACKUP_DOCTOR_AUTH: 'OFF', SLACK_SIGNING_SECRET: 's3cr3t', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X',
    BACKUP_DOCTOR_READER_ROLE: 'Reader', BACKUP_DOCTOR_AWS_CALL_TIMEOUT_MS: '250',
  })
  t.equal(c.port, 8080)
  t.equal(c.host, '0.0.0.0')
  t.equal(c.defaultRegion, 'eu-west-1')
  t.equal(c.awsEndpointUrl, 'http://127.0.0.1:4566')
  t.equal(c.auth.enabled, false)
  t.equal(c.slack.signingSecret, 's3cr3t')
  t.equal(c.readerRoleName, 'Reader')
  t.equal(c.aws.callTimeoutMs, 250)
  const described = JSON.stringify(describeConfig(c))
  t.notMatch(described, /s3cr3t|hooks\.slack\.com/, 'secrets are not described')
})

t.test('Slack response_url prefixes: https by default, http only for loopback', async (t) => {
  t.same(loadConfig({ BACKUP_DOCTOR_AUTH: 'off' }).slack.responseUrlPrefixes, ['https://hooks.slack.com/'])
  t.same(
    loadConfig({ BACKUP_DOCTOR_AUTH: 'off', BACKUP_DOCTOR_SLACK_RESPONSE_URL_PREFIXES: 'https://hooks.slack-gov.com/, http://127.0.0.1:4599/' }).slack.responseUrlPrefixes,
    ['https://hooks.slack-gov.com/', 'http://127.0.0.1:4599/'],
  )
  for (const bad of ['http://hooks.slack.com/', 'https://hooks.slack.com', 'ftp://x/', 'not a url']) {
    t.throws(() => loadConfig({ BACKUP_DOCTOR_AUTH: 'off', BACKUP_DOCTOR_SLACK_RESPONSE_URL_PREFIXES: bad }), ConfigError, bad)
  }
})

t.test('SNS topic allow-list: unset accepts any verified topic; set, only valid topic ARNs', async (t) => {
  t.equal(loadConfig({ BACKUP_DOCTOR_AUTH: 'off' }).snsTopicArns, null)
  t.same(
    loadConfig({ BACKUP_DOCTOR_AUTH: 'off', BACKUP_DOCTOR_SNS_TOPIC_ARNS: 'arn:aws:sns:us-east-1:111111111111:backup-events, arn:aws:sns:eu-west-1:222222222222:b' }).snsTopicArns,
    ['arn:aws:sns:us-east-1:111111111111:backup-events', 'arn:aws:sns:eu-west-1:222222222222:b'],
  )
  for (const bad of ['arn:aws:sqs:us-east-1:111111111111:q', 'arn:aws:sns:us-east-1.evil.example:111111111111:t', 'topic']) {
    t.throws(() => loadConfig({ BACKUP_DOCTOR_AUTH: 'off', BACKUP_DOCTOR_SNS_TOPIC_ARNS: bad }), ConfigError, bad)
  }
})
