/**
 * Request and response schemas of the diagnosis routes (../shared/contract/api.md
 * "Diagnose one job"). The response mirrors diagnostics/types.ts; the stable core
 * is required, the extras optional. Flexible members (`data`, `policySnippet`)
 * are open objects because their shape belongs to each check.
 */
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { ACCOUNT_ID_PATTERN, JOB_ID_PATTERN, REGION_PATTERN } from '../validate.js'

export const JobIdSchema = Type.String({ pattern: JOB_ID_PATTERN, maxLength: 100, description: 'AWS Backup job id (backup, copy or restore)' })
export const JobTypeSchema = Type.Union([Type.Literal('backup'), Type.Literal('restore'), Type.Literal('copy')], {
  description: 'Kind of job; found out when omitted',
})
export const AccountIdSchema = Type.String({ pattern: ACCOUNT_ID_PATTERN, description: 'Account that owns the job; the service\'s own when omitted' })
// A region becomes a hostname: the same check as src/validate.ts isRegion (pattern + length).
export const RegionSchema = Type.String({ pattern: REGION_PATTERN, maxLength: 25, description: 'Region of the job; AWS_REGION when omitted' })

export const DiagnoseBodySchema = Type.Object(
  {
    jobId: JobIdSchema,
    jobType: Type.Optional(JobTypeSchema),
    accountId: Type.Optional(AccountIdSchema),
    region: Type.Optional(RegionSchema),
  },
  { additionalProperties: false },
)
export type DiagnoseBody = Static<typeof DiagnoseBodySchema>

export const JobParamsSchema = Type.Object({ jobId: JobIdSchema }, { additionalProperties: false })
export const JobQuerySchema = Type.Object(
  {
    jobType: Type.Optional(JobTypeSchema),
    accountId: Type.Optional(AccountIdSchema),
    region: Type.Optional(RegionSchema),
  },
  { additionalProperties: false },
)

const NullableString = Type.Union([Type.String(), Type.Null()])
const OpenObject = Type.Record(Type.String(), Type.Unknown())

const PolicyKindSchema = Type.Union(
  ['identity', 'boundary', 'trust', 'vault', 'scp', 'rcp', 'kms-key', 'resource'].map((k) => Type.Literal(k)),
)
const EntitySchema = Type.Union(['job-role', 'service-linked-role', 'caller', 'none'].map((k) => Type.Literal(k)))

export const PolicyPointerSchema = Type.Object({
  kind: PolicyKindSchema,
  id: Type.String(),
  statement: NullableString,
})

export const RootCauseSchema = Type.Object({
  code: Type.String({ description: 'One of ../shared/contract/root-causes.md' }),
  entity: EntitySchema,
  summary: Type.String(),
  policy: Type.Union([PolicyPointerSchema, Type.Null()]),
  action: NullableString,
  resource: NullableString,
})

export const RemediationSchema = Type.Object({
  steps: Type.Array(Type.String()),
  policySnippet: Type.Union([OpenObject, Type.Null()]),
})

export const FindingSchema = Type.Object({
  check: Type.String(),
  order: Type.Integer(),
  title: Type.Optional(Type.String()),
  status: Type.Union(['pass', 'fail', 'warn', 'skipped', 'unknown'].map((s) => Type.Literal(s))),
  message: Type.String(),
  rootCause: Type.Optional(RootCauseSchema),
  remediation: Type.Optional(RemediationSchema),
  messageId: Type.Optional(Type.String()),
  data: Type.Optional(OpenObject),
})

export const GapSchema = Type.Object({ what: Type.String(), reason: Type.String() })

export const JobSummarySchema = Type.Object({
  id: Type.String(),
  type: JobTypeSchema,
  accountId: Type.String(),
  region: Type.String(),
  state: Type.String(),
  statusMessage: NullableString,
  resourceType: NullableString,
  resourceArn: NullableString,
  iamRoleArn: NullableString,
  creationDate: NullableString,
})

export const DiagnosisSchema = Type.Object({
  job: JobSummarySchema,
  rootCause: RootCauseSchema,
  confidence: Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]),
  remediation: RemediationSchema,
  findings: Type.Array(FindingSchema),
  gaps: Type.Array(GapSchema),
  messageHint: Type.Optional(
    Type.Union([
      Type.Object({ codes: Type.Array(Type.String()), action: NullableString, policyType: NullableString }),
      Type.Null(),
    ]),
  ),
  evidenceStats: Type.Optional(
    Type.Object({
      awsCalls: Type.Integer(),
      criticalPathDepth: Type.Integer(),
      wallMs: Type.Number(),
      cacheHits: Type.Integer(),
      cacheMisses: Type.Integer(),
    }),
  ),
})

export const MarkdownSchema = Type.String({ description: 'The diagnosis as a Markdown report' })
