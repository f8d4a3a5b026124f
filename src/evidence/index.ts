/** Evidence collection: see README.md. */
export { collectEvidence, DEFAULT_ROLE_NAME, SERVICE_LINKED_ROLE_NAME } from './collect.js'
export type { JobRef, CollectOptions } from './collect.js'
export { evidenceGaps } from './gaps.js'
export type { Gap } from './gaps.js'
export type * from './types.js'
