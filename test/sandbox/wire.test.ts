import t from 'tap'
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { fullWorld } from './fixtures/full-world.js'
import { setup } from './fixtures/util.js'

const AUTH = (service: string, key = 'AKIDSANDBOX', region = 'us-east-1') =>
  `AWS4-HMAC-SHA256 Credential=${key}/20261124/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`

interface Raw { status: number; headers: Headers; body: string }

async function raw(url: string, path: string, init: RequestInit): Promise<Raw> {
  const res = await fetch(url + path, init)
  return { status: res.status, headers: res.headers, body: await res.text() }
}

t.test('malformed and unknown requests get AWS-shaped errors and the sandbox keeps serving', async (t) => {
  const { sandbox, clients } = await setup(t, fullWorld())
  const u = sandbox.url
  const cases: { name: string; path: string; init: RequestInit; status: number; code: string; shape: 'xml' | 'json' | 'rest' }[] = [
    { name: 'unsigned awsQuery', path: '/', init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetRole&Version=2010-05-08&RoleName=x' }, status: 403, code: 'MissingAuthenticationToken', shape: 'xml' },
    { name: 'unsigned REST', path: '/backup-jobs/x', init: { method: 'GET' }, status: 403, code: 'MissingAuthenticationTokenException', shape: 'rest' },
    { name: 'unsigned JSON', path: '/', init: { method: 'POST', headers: { 'x-amz-target': 'TrentService.DescribeKey', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' }, status: 403, code: 'MissingAuthenticationTokenException', shape: 'json' },
    { name: 'malformed Authorization', path: '/', init: { method: 'POST', headers: { 'x-amz-target': 'TrentService.DescribeKey', authorization: 'AWS4-HMAC-SHA256 garbage' }, body: '{}' }, status: 400, code: 'IncompleteSignatureException', shape: 'json' },
    { name: 'bad credential scope', path: '/', init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=AKID/x, SignedHeaders=host, Signature=abc' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' }, status: 400, code: 'IncompleteSignature', shape: 'xml' },
    { name: 'other auth scheme', path: '/global-settings', init: { method: 'GET', headers: { authorization: 'Basic Zm9vOmJhcg==' } }, status: 400, code: 'IncompleteSignatureException', shape: 'rest' },
    { name: 'unknown IAM action', path: '/', init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: AUTH('iam') }, body: 'Action=CreateRole&Version=2010-05-08' }, status: 400, code: 'InvalidAction', shape: 'xml' },
    { name: 'awsQuery without Action', path: '/', init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: AUTH('sts') }, body: 'Version=2011-06-15' }, status: 400, code: 'MissingAction', shape: 'xml' },
    { name: 'IAM missing parameter', path: '/', init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: AUTH('iam') }, body: 'Action=GetRole&Version=2010-05-08' }, status: 400, code: 'ValidationError', shape: 'xml' },
    { name: 'unknown KMS operation', path: '/', init: { method: 'POST', headers: { 'x-amz-target': 'TrentService.ScheduleKeyDeletion', authorization: AUTH('kms') }, body: '{}' }, status: 400, code: 'UnknownOperationException', shape: 'json' },
    { name: 'unknown target prefix', path: '/', init: { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', authorization: AUTH('dynamodb') }, body: '{}' }, status: 400, code: 'UnknownOperationException', shape: 'json' },
    { name: 'bad JSON', path: '/', init: { method: 'POST', headers: { 'x-amz-target': 'AWSOrganizationsV20161128.DescribePolicy', authorization: AUTH('organizations') }, body: '{not json' }, status: 400, code: 'SerializationException', shape: 'json' },
    { name: 'JSON array body', path: '/', init: { method: 'POST', headers: { 'x-amz-target': 'TrentService.DescribeKey', authorization: AUTH('kms') }, body: '[1]' }, status: 400, code: 'SerializationException', shape: 'json' },
    { name: 'KMS missing KeyId', path: '/', init: { method: 'POST', headers: { 'x-amz-target': 'TrentService.DescribeKey', authorization: AUTH('kms') }, body: '{}' }, status: 400, code: 'ValidationException', shape: 'json' },
    { name: 'Orgs missing param', path: '/', init: { method: 'POST', headers: { 'x-amz-target': 'AWSOrganizationsV20161128.DescribePolicy', authorization: AUTH('organizations') }, body: '{}' }, status: 400, code: 'InvalidInputException', shape: 'json' },
    { name: 'Orgs/KMS POST without target', path: '/', init: { method: 'POST', headers: { authorization: AUTH('kms') }, body: '{}' }, status: 400, code: 'UnknownOperationException', shape: 'json' },
    { name: 'unknown REST route', path: '/backup-plans', init: { method: 'GET', headers: { authorization: AUTH('backup') } }, status: 404, code: 'UnknownOperationException', shape: 'rest' },
    { name: 'REST write method', path: '/backup-vaults/prod-vault', init: { method: 'PUT', headers: { authorization: AUTH('backup') }, body: '{}' }, status: 404, code: 'UnknownOperationException', shape: 'rest' },
    { name: 'bad percent-encoding', path: '/backup-jobs/%E0%A4%A', init: { method: 'GET', headers: { authorization: AUTH('backup') } }, status: 400, code: 'InvalidParameterValueException', shape: 'rest' },
    { name: 'bad date filter', path: '/backup-jobs?createdAfter=yesterday', init: { method: 'GET', headers: { authorization: AUTH('backup') } }, status: 400, code: 'InvalidParameterValueException', shape: 'rest' },
    { name: 'bad maxResults', path: '/backup-jobs?maxResults=abc', init: { method: 'GET', headers: { authorization: AUTH('backup') } }, status: 400, code: 'InvalidParameterValueException', shape: 'rest' },
    { name: 'prototype name as action', path: '/', init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: AUTH('iam') }, body: 'Action=constructor&Version=2010-05-08' }, status: 400, code: 'InvalidAction', shape: 'xml' },
  ]
  for (const c of cases) {
    const r = await raw(u, c.path, c.init)
    t.equal(r.status, c.status, `${c.name}: status`)
    t.ok(r.headers.get('x-amzn-requestid'), `${c.name}: request id`)
    if (c.shape === 'xml') {
      t.match(r.body, new RegExp(`^<ErrorResponse xmlns="[^"]+"><Error><Type>Sender</Type><Code>${c.code}</Code><Message>[^<]*</Message></Error><RequestId>[0-9a-f-]+</RequestId></ErrorResponse>$`), c.name)
    } else if (c.shape === 'json') {
      const body = JSON.parse(r.body) as Record<string, unknown>
      t.equal(body.__type, c.code, c.name)
      t.type(body.message ?? body.Message, 'string')
    } else {
      t.equal(r.headers.get('x-amzn-errortype'), c.code, c.name)
      t.equal((JSON.parse(r.body) as { Code: string }).Code, c.code)
    }
  }
  t.equal(sandbox.log.length, cases.length, 'every request logged')
  t.ok(await clients.sts.send(new GetCallerIdentityCommand({})), 'still serving')
})

t.test('success bodies: awsQuery wrapper, JSON epoch seconds, request ids', async (t) => {
  const { sandbox } = await setup(t, fullWorld())
  const q = await raw(sandbox.url, '/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: AUTH('sts') }, body: 'Action=GetCallerIdentity&Version=2011-06-15' })
  t.equal(q.status, 200)
  t.match(q.body, /^<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><GetCallerIdentityResult>.*<\/GetCallerIdentityResult><ResponseMetadata><RequestId>[0-9a-f-]+<\/RequestId><\/ResponseMetadata><\/GetCallerIdentityResponse>$/)
  const get = await raw(sandbox.url, '/?Action=GetCallerIdentity&Version=2011-06-15', { method: 'GET', headers: { authorization: AUTH('sts') } })
  t.match(get.body, /^<GetCallerIdentityResponse /, 'awsQuery over GET')
  const j = await raw(sandbox.url, '/', { method: 'POST', headers: { 'x-amz-target': 'TrentService.ListAliases', 'content-type': 'application/x-amz-json-1.1', authorization: AUTH('kms') }, body: '' })
  t.equal(j.status, 200)
  t.equal(j.headers.get('content-type'), 'application/x-amz-json-1.1')
  const big = await raw(sandbox.url, '/', { method: 'POST', headers: { 'x-amz-target': 'TrentService.ListAliases', authorization: AUTH('kms') }, body: 'x'.repeat(2 * 1024 * 1024) })
  t.equal(big.status, 413)
  // Unknown keys read the caller account; the region comes from the scope.
  const r = await raw(sandbox.url, '/global-settings', { method: 'GET', headers: { authorization: AUTH('backup', 'AKIDOTHER', 'eu-west-1') } })
  t.equal(r.status, 200)
  t.type((JSON.parse(r.body) as { LastUpdateTime: unknown }).LastUpdateTime, 'number', 'epoch seconds')
  t.match(sandbox.log.at(-1), { service: 'backup', operation: 'DescribeGlobalSettings', region: 'eu-west-1', accountId: '100000000001' })
})

t.test('garbage on the socket and clients that hang up do not hurt the server', async (t) => {
  const { connect } = await import('node:net')
  const w = fullWorld()
  w.latencyMs = 150
  const { sandbox, clients } = await setup(t, w)
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(sandbox.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'))
    let data = ''
    socket.on('data', (d) => { data += d.toString() })
    socket.on('close', () => resolve(data))
    socket.on('error', reject)
  })
  t.match(reply, /^HTTP\/1\.1 400/)
  const abort = new AbortController()
  const hungUp = fetch(`${sandbox.url}/global-settings`, { headers: { authorization: AUTH('backup') }, signal: abort.signal }).catch((e: unknown) => e)
  setTimeout(() => abort.abort(), 20)
  t.equal((await hungUp as Error).name, 'AbortError')
  await new Promise((r) => setTimeout(r, 200))
  t.equal((await clients.sts.send(new GetCallerIdentityCommand({}))).Account, '100000000001', 'still serving')
  t.strictSame(sandbox.log.map((e) => e.operation), ['DescribeGlobalSettings', 'GetCallerIdentity'], 'the hung-up request is logged too')
})
