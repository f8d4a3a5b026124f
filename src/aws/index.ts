/** The AWS access layer: client factory, credentials, call accounting, error classes, cache. See README.md. */
export { createAwsContext, newScope, partitionOf } from './context.js'
export type { AwsConfig, AwsCallEvent, AwsContext, CallMeta, CallScope, CacheClass } from './context.js'
export { AwsCallError, classifyAwsError, awsErrorName } from './errors.js'
export type { AwsErrorClass } from './errors.js'
export { SingleFlightCache } from './cache.js'
