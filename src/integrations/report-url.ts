/**
 * Links to the full report of a diagnosis, for Slack messages. The report is
 * the service's own `GET /v1/jobs/{jobId}/diagnosis` (api.md), which answers
 * Markdown to `Accept: text/markdown` and needs the same bearer token as the API.
 */
import type { JobRef } from './types.js'

export type ReportUrlBuilder = (ref: JobRef) => string | null

/** `null` base (PUBLIC URL not configured) → no link. */
export function reportUrlBuilder(publicUrl: string | null | undefined): ReportUrlBuilder {
  if (!publicUrl) return () => null
  const base = publicUrl.replace(/\/+$/, '')
  return (ref) => {
    const q = new URLSearchParams()
    if (ref.jobType) q.set('jobType', ref.jobType)
    if (ref.accountId) q.set('accountId', ref.accountId)
    if (ref.region) q.set('region', ref.region)
    const qs = q.toString()
    return `${base}/v1/jobs/${encodeURIComponent(ref.jobId)}/diagnosis${qs ? `?${qs}` : ''}`
  }
}
