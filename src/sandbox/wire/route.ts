/**
 * Recognising a request: which service and protocol, which operation, and the
 * input members, from the raw HTTP request. The three protocols are told apart
 * the way AWS endpoints would see them: `X-Amz-Target` (awsJson1_1), a form
 * body with `Action` (awsQuery), otherwise a REST path (restJson1, Backup).
 * The signing scope's service name settles IAM vs STS.
 */
import { AwsError } from '../aws-error.js'

export type ServiceName = 'backup' | 'iam' | 'sts' | 'organizations' | 'kms' | 'unknown'
export type Protocol = 'restJson1' | 'awsQuery' | 'awsJson1_1'

export interface RawRequest {
  method: string
  /** Raw path, still percent-encoded. */
  path: string
  query: URLSearchParams
  headers: Record<string, string | string[] | undefined>
  body: string
}

export interface Recognised {
  service: ServiceName
  protocol: Protocol
  /** Undefined when the request names no operation the sandbox recognises (set in `unknownOperation`). */
  operation?: string
  unknownOperation?: string
  input: Record<string, unknown>
  /** Set when the request is malformed: answered once the protocol is known. */
  error?: AwsError
}

const JSON_TARGETS: Record<string, ServiceName> = {
  AWSOrganizationsV20161128: 'organizations',
  TrentService: 'kms',
}

const QUERY_VERSIONS: Record<string, ServiceName> = { '2010-05-08': 'iam', '2011-06-15': 'sts' }

function header(req: RawRequest, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

export function recognise(req: RawRequest, scopeService: string | undefined): Recognised {
  const target = header(req, 'x-amz-target')
  if (target !== undefined) return recogniseJson(req, target, scopeService)
  const contentType = header(req, 'content-type') ?? ''
  // awsQuery also accepts GET with the parameters in the query string.
  if (scopeService === 'iam' || scopeService === 'sts' || (req.method === 'POST' && contentType.includes('application/x-www-form-urlencoded')) ||
    (req.method === 'GET' && req.query.has('Action') && req.path === '/')) {
    return recogniseQuery(req, scopeService)
  }
  if (req.method === 'POST' && (scopeService === 'organizations' || scopeService === 'kms')) {
    return { service: scopeService, protocol: 'awsJson1_1', unknownOperation: '', input: {}, error: new AwsError('UnknownOperationException', 'Missing X-Amz-Target header') }
  }
  return recogniseRest(req)
}

function recogniseJson(req: RawRequest, target: string, scopeService: string | undefined): Recognised {
  const dot = target.indexOf('.')
  const prefix = dot >= 0 ? target.slice(0, dot) : target
  const op = dot >= 0 ? target.slice(dot + 1) : ''
  const service: ServiceName = JSON_TARGETS[prefix] ?? (scopeService === 'organizations' || scopeService === 'kms' ? scopeService : 'unknown')
  let input: Record<string, unknown> = {}
  let error: AwsError | undefined
  if (req.body.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(req.body)
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
      input = parsed as Record<string, unknown>
    } catch {
      error = new AwsError('SerializationException', 'Start of structure or map found where not expected.')
    }
  }
  if (JSON_TARGETS[prefix] === undefined) return { service, protocol: 'awsJson1_1', unknownOperation: target, input, error }
  return { service, protocol: 'awsJson1_1', operation: op, input, error }
}

function recogniseQuery(req: RawRequest, scopeService: string | undefined): Recognised {
  const params = new URLSearchParams(req.query)
  for (const [k, v] of new URLSearchParams(req.body)) params.append(k, v)
  const input: Record<string, unknown> = {}
  for (const [k, v] of params) if (!Object.hasOwn(input, k)) input[k] = v
  const action = typeof input.Action === 'string' ? input.Action : undefined
  const version = typeof input.Version === 'string' ? input.Version : undefined
  const service: ServiceName = scopeService === 'iam' || scopeService === 'sts'
    ? scopeService
    : (version !== undefined ? QUERY_VERSIONS[version] : undefined) ?? 'unknown'
  delete input.Action
  delete input.Version
  if (!action) {
    return { service, protocol: 'awsQuery', unknownOperation: '', input, error: new AwsError('MissingAction', 'Missing Action') }
  }
  return { service, protocol: 'awsQuery', operation: action, input }
}

interface RestRoute {
  operation: string
  pattern: string[]
  /** Query parameter → input member (from the SDK model's httpQuery traits). */
  query: Record<string, string>
}

const JOB_LIST_QUERY = {
  nextToken: 'NextToken', maxResults: 'MaxResults', resourceArn: 'ByResourceArn', state: 'ByState',
  createdBefore: 'ByCreatedBefore', createdAfter: 'ByCreatedAfter', resourceType: 'ByResourceType',
  accountId: 'ByAccountId', completeAfter: 'ByCompleteAfter', completeBefore: 'ByCompleteBefore',
  parentJobId: 'ByParentJobId', messageCategory: 'ByMessageCategory',
}

const BACKUP_ROUTES: RestRoute[] = [
  { operation: 'DescribeBackupJob', pattern: ['backup-jobs', '{BackupJobId}'], query: {} },
  { operation: 'DescribeCopyJob', pattern: ['copy-jobs', '{CopyJobId}'], query: {} },
  { operation: 'DescribeRestoreJob', pattern: ['restore-jobs', '{RestoreJobId}'], query: {} },
  { operation: 'ListBackupJobs', pattern: ['backup-jobs'], query: { ...JOB_LIST_QUERY, backupVaultName: 'ByBackupVaultName' } },
  { operation: 'ListCopyJobs', pattern: ['copy-jobs'], query: { ...JOB_LIST_QUERY, destinationVaultArn: 'ByDestinationVaultArn', sourceRecoveryPointArn: 'BySourceRecoveryPointArn' } },
  {
    operation: 'ListRestoreJobs', pattern: ['restore-jobs'], query: {
      nextToken: 'NextToken', maxResults: 'MaxResults', accountId: 'ByAccountId', resourceType: 'ByResourceType',
      createdBefore: 'ByCreatedBefore', createdAfter: 'ByCreatedAfter', status: 'ByStatus', completeBefore: 'ByCompleteBefore',
      completeAfter: 'ByCompleteAfter', restoreTestingPlanArn: 'ByRestoreTestingPlanArn', parentJobId: 'ByParentJobId',
    },
  },
  { operation: 'DescribeBackupVault', pattern: ['backup-vaults', '{BackupVaultName}'], query: { backupVaultAccountId: 'BackupVaultAccountId' } },
  { operation: 'GetBackupVaultAccessPolicy', pattern: ['backup-vaults', '{BackupVaultName}', 'access-policy'], query: {} },
  { operation: 'DescribeRecoveryPoint', pattern: ['backup-vaults', '{BackupVaultName}', 'recovery-points', '{RecoveryPointArn}'], query: { backupVaultAccountId: 'BackupVaultAccountId' } },
  {
    operation: 'GetRecoveryPointRestoreMetadata', pattern: ['backup-vaults', '{BackupVaultName}', 'recovery-points', '{RecoveryPointArn}', 'restore-metadata'],
    query: { backupVaultAccountId: 'BackupVaultAccountId' },
  },
  { operation: 'DescribeGlobalSettings', pattern: ['global-settings'], query: {} },
]

function recogniseRest(req: RawRequest): Recognised {
  // Split the raw path before decoding: a recovery point ARN is one segment with %2F inside.
  const raw = req.path.split('/').slice(1)
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop()
  let segments: string[]
  try {
    segments = raw.map((s) => decodeURIComponent(s))
  } catch {
    return { service: 'backup', protocol: 'restJson1', unknownOperation: req.path, input: {}, error: new AwsError('InvalidParameterValueException', 'Malformed percent-encoding in the request path') }
  }
  if (req.method === 'GET') {
    for (const route of BACKUP_ROUTES) {
      if (route.pattern.length !== segments.length) continue
      const input: Record<string, unknown> = {}
      const ok = route.pattern.every((p, i) => {
        const seg = segments[i]!
        if (p.startsWith('{')) {
          if (seg === '') return false
          input[p.slice(1, -1)] = seg
          return true
        }
        return p === seg
      })
      if (!ok) continue
      for (const [param, member] of Object.entries(route.query)) {
        const v = req.query.get(param)
        if (v !== null) input[member] = v
      }
      return { service: 'backup', protocol: 'restJson1', operation: route.operation, input }
    }
  }
  return { service: 'backup', protocol: 'restJson1', unknownOperation: `${req.method} ${req.path}`, input: {} }
}
