import t from 'tap'
import { decideSnsNotification, isSnsEndpointUrl, parseSnsMessage, snsStringToSign, SnsVerifier, type SnsMessage } from '../../src/integrations/sns.js'
import { backupNotification, CERT_URL, eventBridgeEvent, makeSigningKey, signSns, TOPIC_ARN } from './helpers.js'

const key = makeSigningKey()
const other = makeSigningKey()

function verifier(fetched: string[] = [], pem = key.certPem) {
  return new SnsVerifier({
    fetchCert: async (url) => {
      fetched.push(url)
      return pem
    },
  })
}

t.test('string to sign follows the documented field order', async (t) => {
  const n = { Type: 'Notification', MessageId: 'm', TopicArn: 'a', Message: 'x', Timestamp: 't', Subject: 's' } as SnsMessage
  t.equal(snsStringToSign(n), 'Message\nx\nMessageId\nm\nSubject\ns\nTimestamp\nt\nTopicArn\na\nType\nNotification\n')
  const { Subject: _s, ...noSubject } = n
  t.equal(snsStringToSign(noSubject as SnsMessage), 'Message\nx\nMessageId\nm\nTimestamp\nt\nTopicArn\na\nType\nNotification\n')
  const c = { Type: 'SubscriptionConfirmation', MessageId: 'm', TopicArn: 'a', Message: 'x', Timestamp: 't', Token: 'k', SubscribeURL: 'u' } as SnsMessage
  t.equal(snsStringToSign(c), 'Message\nx\nMessageId\nm\nSubscribeURL\nu\nTimestamp\nt\nToken\nk\nTopicArn\na\nType\nSubscriptionConfirmation\n')
})

t.test('SignatureVersion 1 and 2 verify; certificate fetched once and cached', async (t) => {
  const fetched: string[] = []
  const v = verifier(fetched)
  for (const version of ['1', '2'] as const) {
    const msg = signSns(key, backupNotification(), version)
    t.same(await v.verify(msg, 'us-east-1'), { ok: true }, `v${version}`)
  }
  t.same(fetched, [CERT_URL])
})

t.test('bad signatures are refused', async (t) => {
  const v = verifier()
  const msg = signSns(key, backupNotification())
  t.same(await v.verify({ ...msg, Message: msg.Message + ' ' }, 'us-east-1'), { ok: false, reason: 'bad-signature' }, 'tampered message')
  const attrsChanged = { ...msg, MessageAttributes: { ...msg.MessageAttributes, Id: { Type: 'String', Value: 'other' } } }
  t.same(await v.verify(attrsChanged, 'us-east-1'), { ok: true }, 'attributes are not signed by SNS (documented field list)')
  t.same(await v.verify(signSns(other, backupNotification()), 'us-east-1'), { ok: false, reason: 'bad-signature' }, 'signed by another key')
  t.same(await v.verify({ ...msg, SignatureVersion: '1' }, 'us-east-1'), { ok: false, reason: 'bad-signature' }, 'wrong algorithm')
  t.same(await v.verify({ ...msg, Signature: 'not base64!!' }, 'us-east-1'), { ok: false, reason: 'bad-signature' })
})

t.test('certificates only from https://sns.<topic region>.amazonaws.com', async (t) => {
  const fetched: string[] = []
  const v = verifier(fetched)
  const bad = [
    'http://sns.us-east-1.amazonaws.com/cert.pem',
    'https://sns.us-east-1.amazonaws.com.evil.example/cert.pem',
    'https://evil.example/sns.us-east-1.amazonaws.com/cert.pem',
    'https://sns.eu-west-1.amazonaws.com/cert.pem',
    'https://sns.us-east-1.amazonaws.com:8443/cert.pem',
    'https://user@sns.us-east-1.amazonaws.com/cert.pem',
    'https://sns.us-east-1.amazonaws.com/cert.txt',
    'not a url',
  ]
  for (const url of bad) {
    const msg = signSns(key, { ...backupNotification(), SigningCertURL: url })
    t.same(await v.verify(msg, 'us-east-1'), { ok: false, reason: 'bad-cert-url' }, url)
  }
  t.same(fetched, [], 'nothing fetched')
  t.ok(isSnsEndpointUrl('https://sns.ap-southeast-2.amazonaws.com/?Action=ConfirmSubscription', 'ap-southeast-2'))
})

t.test('unusable certificates and old messages', async (t) => {
  t.same(await verifier([], 'garbage').verify(signSns(key, backupNotification()), 'us-east-1'), { ok: false, reason: 'bad-certificate' })
  const failing = new SnsVerifier({ fetchCert: async () => { throw new Error('down') } })
  t.same(await failing.verify(signSns(key, backupNotification()), 'us-east-1'), { ok: false, reason: 'cert-unavailable' })
  const old = signSns(key, backupNotification({ timestamp: new Date(Date.now() - 25 * 3600 * 1000).toISOString() }))
  t.same(await verifier().verify(old, 'us-east-1'), { ok: false, reason: 'stale' })
})

t.test('parse: required fields, type, topic', async (t) => {
  const good = signSns(key, backupNotification())
  const p = parseSnsMessage(JSON.stringify(good))
  t.ok(p.ok)
  if (p.ok) {
    t.equal(p.region, 'us-east-1')
    t.equal(p.topicAccountId, '111111111111')
  }
  t.notOk(parseSnsMessage('{').ok)
  t.notOk(parseSnsMessage({ ...good, Type: 'Other' }).ok)
  t.notOk(parseSnsMessage({ ...good, SignatureVersion: '3' }).ok)
  t.notOk(parseSnsMessage({ ...good, TopicArn: 'arn:aws:sns:us-east-1.evil:111111111111:x' }).ok)
  const { Signature: _sig, ...noSig } = good
  t.notOk(parseSnsMessage(noSig).ok)
  t.notOk(parseSnsMessage({ ...good, Type: 'SubscriptionConfirmation' }).ok, 'confirmation needs SubscribeURL and Token')
})

t.test('AWS Backup notifications: what is diagnosed', async (t) => {
  const decide = (over: Parameters<typeof backupNotification>[0]) => decideSnsNotification(signSns(key, backupNotification(over)), 'us-east-1', '111111111111')
  t.same(decide({ state: 'FAILED' }), {
    kind: 'diagnose',
    eventId: '12345678-abcd-123a-def0-abcd1a234567',
    state: 'FAILED',
    ref: { jobId: '0A1B2C3D-0000-4000-8000-0000000000F1', jobType: 'backup', accountId: '111111111111', region: 'us-east-1' },
  })
  t.equal(decide({ state: 'EXPIRED' }).kind, 'diagnose')
  t.equal(decide({ state: 'COMPLETED' }).kind, 'ignore')
  t.equal(decide({ eventType: 'BACKUP_JOB', state: 'FAILED' }).kind, 'diagnose', 'older EventType spelling')
  const copy = decide({ eventType: 'COPY_JOB_FAILED', state: 'FAILED' })
  t.equal(copy.kind === 'diagnose' && copy.ref.jobType, 'copy')
  t.equal(decide({ eventType: 'RECOVERY_POINT_MODIFIED' }).kind, 'ignore')
  t.equal(decide({ id: '../x', state: 'FAILED' }).kind, 'malformed')
  const plain = { ...signSns(key, backupNotification()), MessageAttributes: {} }
  t.equal(decideSnsNotification(plain, 'us-east-1', '111111111111').kind, 'ignore', 'not from AWS Backup')
  t.equal(TOPIC_ARN.split(':')[3], 'us-east-1')
  // Attributes are unsigned: they must agree with the signed message and topic.
  const forged = signSns(key, backupNotification())
  forged.MessageAttributes = { ...forged.MessageAttributes, Id: { Type: 'String', Value: '0A1B2C3D-0000-4000-8000-0000000000F9' } }
  t.equal(decideSnsNotification(forged, 'us-east-1', '111111111111').kind, 'malformed', 'Id not the job of the signed prose')
  const otherAccount = signSns(key, backupNotification())
  otherAccount.MessageAttributes = { ...otherAccount.MessageAttributes, AccountId: { Type: 'String', Value: '222222222222' } }
  t.equal(decideSnsNotification(otherAccount, 'us-east-1', '111111111111').kind, 'malformed', 'account not the topic account')
})

t.test('an EventBridge event delivered through an SNS topic', async (t) => {
  const wrap = (event: unknown) => signSns(key, { Type: 'Notification', MessageId: 'sns-eb-1', TopicArn: TOPIC_ARN, Message: JSON.stringify(event), Timestamp: new Date().toISOString() })
  t.same(decideSnsNotification(wrap(eventBridgeEvent({ account: '222222222222', region: 'eu-west-1' })), 'us-east-1', '111111111111'), {
    kind: 'diagnose',
    eventId: 'b3e8c5a1-0000-4000-8000-000000000001',
    state: 'FAILED',
    ref: { jobId: '0A1B2C3D-0000-4000-8000-0000000000F1', jobType: 'backup', accountId: '222222222222', region: 'eu-west-1' },
  })
  t.equal(decideSnsNotification(wrap(eventBridgeEvent({ state: 'COMPLETED' })), 'us-east-1', '111111111111').kind, 'ignore')
  t.equal(decideSnsNotification(wrap({ hello: 'world' }), 'us-east-1', '111111111111').kind, 'ignore')
})
