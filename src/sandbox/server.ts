/**
 * The sandbox's HTTP server: one node:http server answering all five services
 * on one port. Each request is recognised (wire/route.ts), identified
 * (identity.ts), passed through the injected faults, handled, encoded in its
 * protocol's shape and logged. Nothing a client sends can crash it: anything
 * unexpected becomes an AWS-shaped InternalFailure.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { AwsError } from './aws-error.js'
import { FaultInjector } from './faults.js'
import { type Caller, CredentialStore, parseSigV4 } from './identity.js'
import type { Model } from './model.js'
import { backup } from './services/backup.js'
import type { Handler } from './services/context.js'
import { iam } from './services/iam.js'
import { kms } from './services/kms.js'
import { organizations } from './services/organizations.js'
import { sts } from './services/sts.js'
import { escapeXml, toEpochJson, toXml } from './wire/encode.js'
import { type Protocol, type Recognised, recognise, type ServiceName } from './wire/route.js'

export interface RequestLogEntry {
  seq: number
  service: ServiceName
  operation: string
  accountId: string | null
  region: string | null
  status: number
  errorCode?: string
  /** Epoch milliseconds. */
  startedAt: number
  endedAt: number
  latencyMs: number
}

const HANDLERS: Record<Exclude<ServiceName, 'unknown'>, Record<string, Handler>> = { backup, iam, sts, organizations, kms }

const QUERY_NAMESPACE: Record<string, string> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
}

const MAX_BODY = 1024 * 1024

interface Reply { status: number; headers: Record<string, string>; body: string; errorCode?: string }

function errorReply(protocol: Protocol, service: ServiceName, err: AwsError, requestId: string): Reply {
  if (protocol === 'awsQuery') {
    const type = err.status >= 500 ? 'Receiver' : 'Sender'
    const ns = QUERY_NAMESPACE[service] ?? QUERY_NAMESPACE.iam!
    return {
      status: err.status,
      headers: { 'content-type': 'text/xml' },
      body: `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      errorCode: err.code,
    }
  }
  if (protocol === 'awsJson1_1') {
    // Organizations names the member `Message`, KMS `message` (their models say so).
    const key = service === 'organizations' ? 'Message' : 'message'
    return {
      status: err.status,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': err.code },
      body: JSON.stringify({ __type: err.code, [key]: err.message }),
      errorCode: err.code,
    }
  }
  return {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code },
    body: JSON.stringify({ Code: err.code, Message: err.message }),
    errorCode: err.code,
  }
}

function successReply(protocol: Protocol, service: ServiceName, operation: string, output: unknown, requestId: string): Reply {
  if (protocol === 'awsQuery') {
    const ns = QUERY_NAMESPACE[service] ?? QUERY_NAMESPACE.iam!
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: `<${operation}Response xmlns="${ns}"><${operation}Result>${toXml(output)}</${operation}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
    }
  }
  return {
    status: 200,
    headers: { 'content-type': protocol === 'awsJson1_1' ? 'application/x-amz-json-1.1' : 'application/json' },
    body: JSON.stringify(toEpochJson(output ?? {})),
  }
}

function unknownOperation(r: Recognised): AwsError {
  if (r.protocol === 'awsQuery') return new AwsError('InvalidAction', `The action ${r.operation ?? r.unknownOperation ?? ''} is not valid for this web service.`)
  if (r.protocol === 'restJson1') return new AwsError('UnknownOperationException', `Unknown operation ${r.unknownOperation ?? ''}`, 404)
  return new AwsError('UnknownOperationException', `Unknown operation ${r.operation ?? r.unknownOperation ?? ''}`)
}

export interface SandboxServerState {
  model: Model
  credentials: CredentialStore
  faults: FaultInjector
  log: RequestLogEntry[]
  seq: number
}

export function newState(model: Model): SandboxServerState {
  return { model, credentials: new CredentialStore(model.callerAccountId), faults: new FaultInjector(model.world.faults ?? []), log: [], seq: 0 }
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY) return undefined
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

async function handle(state: SandboxServerState, req: IncomingMessage, res: ServerResponse): Promise<RequestLogEntry> {
  const started = performance.now()
  const startedAt = Date.now()
  const requestId = randomUUID()
  const entry: RequestLogEntry = { seq: ++state.seq, service: 'unknown', operation: 'unknown', accountId: null, region: null, status: 0, startedAt, endedAt: 0, latencyMs: 0 }
  let protocol: Protocol = 'restJson1'
  let reply: Reply
  let delay = state.model.latencyMs
  try {
    const url = new URL(req.url ?? '/', 'http://sandbox.local')
    const body = await readBody(req)
    const raw = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: body ?? '' }
    // The scope is read before recognising so that IAM and STS (same protocol) are told apart.
    let scopeError: AwsError | undefined
    let scope: ReturnType<typeof parseSigV4>
    try {
      scope = parseSigV4(req.headers.authorization, url.searchParams)
    } catch (err) {
      if (!(err instanceof AwsError)) throw err
      scopeError = err
    }
    const r = recognise(raw, scope?.service)
    protocol = r.protocol
    entry.service = r.service
    entry.operation = r.operation ?? (r.unknownOperation || 'unknown')
    const suffix = protocol === 'awsQuery' ? '' : 'Exception'
    if (body === undefined) throw new AwsError(protocol === 'awsQuery' ? 'RequestEntityTooLarge' : 'SerializationException', 'Request body too large', 413)
    if (scopeError) throw new AwsError(`${scopeError.code}${scopeError.code.endsWith('Exception') ? '' : suffix}`, scopeError.message, scopeError.status)
    if (!scope) throw new AwsError(`MissingAuthenticationToken${suffix}`, protocol === 'awsQuery' ? 'Request is missing Authentication Token' : 'Missing Authentication Token')
    const caller: Caller = state.credentials.resolve(scope.accessKeyId)
    entry.accountId = caller.accountId
    entry.region = scope.region
    if (r.error) throw r.error
    const handlers = r.service === 'unknown' ? undefined : HANDLERS[r.service]
    const handler = r.operation !== undefined && handlers && Object.hasOwn(handlers, r.operation) ? handlers[r.operation] : undefined
    if (!handler || r.operation === undefined) throw unknownOperation(r)
    const fault = state.faults.apply(r.service, r.operation, caller.accountId, caller.arn)
    delay += fault.latencyMs
    if (fault.error) throw fault.error
    const output = handler({ model: state.model, caller, region: scope.region, credentials: state.credentials, now: new Date() }, r.input)
    reply = successReply(protocol, r.service, r.operation, output, requestId)
  } catch (err) {
    const awsErr = err instanceof AwsError ? err : new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500)
    if (!(err instanceof AwsError)) process.emitWarning(`sandbox: ${(err as Error)?.stack ?? String(err)}`)
    reply = errorReply(protocol, entry.service, awsErr, requestId)
  }
  // A call answers `delay` ms after it arrived, the sandbox's own handling included: the
  // latency models AWS's whole round trip, not a wait added on top of our processing.
  // Timers count whole milliseconds on a loop clock that may lag: sleep to within a millisecond,
  // then finish on the event loop's check phase, so the answer is neither early nor a timer tick late.
  const left = () => delay - (performance.now() - started)
  while (left() > 1) await sleep(Math.max(1, Math.floor(left() - 1)))
  while (left() > 0) await new Promise<void>((resolve) => setImmediate(resolve))
  entry.status = reply.status
  if (reply.errorCode !== undefined) entry.errorCode = reply.errorCode
  if (!res.destroyed) {
    res.writeHead(reply.status, { ...reply.headers, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(reply.body) })
    res.end(reply.body)
  }
  entry.endedAt = Date.now()
  entry.latencyMs = Math.round((performance.now() - started) * 1000) / 1000
  state.log.push(entry)
  return entry
}

export function createSandboxServer(state: SandboxServerState, onRequest?: (e: RequestLogEntry) => void): Server {
  return createServer((req, res) => {
    handle(state, req, res).then(
      (entry) => { if (onRequest) onRequest(entry) },
      (err: unknown) => {
        // Last resort: never let a request take the process down.
        process.emitWarning(`sandbox: ${(err as Error)?.stack ?? String(err)}`)
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
        res.end('{"__type":"InternalFailure","message":"internal error"}')
      },
    )
  })
}
