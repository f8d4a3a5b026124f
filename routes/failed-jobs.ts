/**
 * GET /v1/failed-jobs?since=&accountId=&region=&state=&limit=&nextToken= — fleet
 * triage for dashboards: failed, aborted and expired backup, copy and restore jobs,
 * each with its diagnosis, grouped by root cause (src/integrations/fleet.ts).
 * Without `accountId` the listing is organization-wide (ByAccountId `*` from the
 * management account). Bearer-authenticated like the rest of /v1.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { FleetTriage, type FailureState } from '../src/integrations/fleet.js'
import type { DiagnosisServiceLike, FleetAwsContext } from '../src/integrations/types.js'
import { JobSummarySchema } from '../src/schemas/diagnosis.js'
import { problemResponse } from '../src/schemas/problem.js'
import { ACCOUNT_ID_PATTERN, REGION_PATTERN } from '../src/validate.js'

export interface FailedJobsRouteOptions {
  aws: FleetAwsContext
  diagnosisService: DiagnosisServiceLike
  defaultRegion: string
  /** Diagnoses run at once for one page (default 4). */
  concurrency?: number
  listingTtlMs?: number
}

const STATES = '(FAILED|ABORTED|EXPIRED)'

const QuerySchema = Type.Object(
  {
    since: Type.Optional(
      Type.String({ maxLength: 40, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2}))?$', description: 'ISO 8601 date or date-time (UTC offset required)' }),
    ),
    accountId: Type.Optional(Type.String({ pattern: ACCOUNT_ID_PATTERN, description: 'Only this account; omitted = the whole organization' })),
    region: Type.Optional(Type.String({ maxLength: 25, pattern: REGION_PATTERN })),
    state: Type.Optional(Type.String({ maxLength: 40, pattern: `^${STATES}(,${STATES})*$`, description: 'FAILED, ABORTED, EXPIRED, or a comma-separated list; default all three' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    nextToken: Type.Optional(Type.String({ maxLength: 512, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
)

const PolicyPointerSchema = Type.Object({ kind: Type.String(), id: Type.String(), statement: Type.Union([Type.String(), Type.Null()]) })
const GroupSchema = Type.Object({ code: Type.String(), count: Type.Integer(), jobIds: Type.Array(Type.String()) })
const NullableString = Type.Union([Type.String(), Type.Null()])

const PageSchema = Type.Object({
  scope: Type.Union([Type.Literal('organization'), Type.Literal('account')]),
  accountId: Type.String({ description: '`*` for an organization-wide listing' }),
  region: Type.String(),
  states: Type.Array(Type.String()),
  since: NullableString,
  total: Type.Integer({ description: 'Jobs in the whole listing' }),
  truncated: Type.Boolean(),
  warnings: Type.Array(Type.String(), { description: 'What the listing could not cover, e.g. an API that refused an organization-wide listing' }),
  jobs: Type.Array(
    Type.Object({
      job: JobSummarySchema,
      rootCause: Type.Union([
        Type.Object({
          code: Type.String(),
          entity: Type.String(),
          summary: Type.String(),
          policy: Type.Union([PolicyPointerSchema, Type.Null()]),
          action: NullableString,
        }),
        Type.Null(),
      ]),
      confidence: NullableString,
      error: Type.Union([Type.Object({ code: Type.String(), detail: Type.String() }), Type.Null()]),
    }),
  ),
  groups: Type.Array(GroupSchema, { description: "Root causes of this page's jobs, most frequent first" }),
  undiagnosed: Type.Array(GroupSchema),
  nextToken: NullableString,
})

const failedJobsRoutes: FastifyPluginAsyncTypebox<FailedJobsRouteOptions> = async (app, opts) => {
  const fleet = new FleetTriage({
    aws: opts.aws,
    diagnosis: opts.diagnosisService,
    defaultRegion: opts.defaultRegion,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    ...(opts.listingTtlMs !== undefined ? { listingTtlMs: opts.listingTtlMs } : {}),
  })

  app.get(
    '/v1/failed-jobs',
    {
      config: { auth: 'bearer' },
      schema: {
        tags: ['integrations'],
        summary: 'Failed, aborted and expired jobs with their diagnoses, grouped by root cause',
        security: [{ bearerAuth: [] }],
        querystring: QuerySchema,
        response: {
          200: PageSchema,
          400: problemResponse('A malformed parameter or a nextToken of another query'),
          401: problemResponse('Missing or wrong bearer token'),
          429: problemResponse("The caller's rate limit is exceeded (see Retry-After)"),
          502: problemResponse('AWS answered in a way the service cannot use'),
          503: problemResponse('AWS throttled the service past its retries'),
          504: problemResponse('AWS did not answer in time'),
        },
      },
    },
    async (request) => {
      const q = request.query
      return fleet.list({
        ...(q.since !== undefined ? { since: q.since } : {}),
        ...(q.accountId !== undefined ? { accountId: q.accountId } : {}),
        ...(q.region !== undefined ? { region: q.region } : {}),
        ...(q.state !== undefined ? { states: q.state.split(',') as FailureState[] } : {}),
        ...(q.limit !== undefined ? { limit: q.limit } : {}),
        ...(q.nextToken !== undefined ? { nextToken: q.nextToken } : {}),
      })
    },
  )
}

export default failedJobsRoutes
