import t from 'tap'
import { NoSuchEntityException } from '@aws-sdk/client-iam'
import { ResourceNotFoundException, InvalidParameterValueException, ServiceUnavailableException } from '@aws-sdk/client-backup'
import { AccessDeniedException, AccountNotFoundException, AWSOrganizationsNotInUseException, TooManyRequestsException } from '@aws-sdk/client-organizations'
import { NotFoundException } from '@aws-sdk/client-kms'
import { AwsCallError, awsErrorName, classifyAwsError } from '../../src/aws/index.js'

const meta = { $metadata: { httpStatusCode: 400 }, message: 'm' }

function named(name: string, status?: number): Error {
  const e = new Error('m') as Error & { $metadata?: unknown }
  e.name = name
  if (status !== undefined) e.$metadata = { httpStatusCode: status }
  return e
}

t.test('classifies real SDK exception classes', async (t) => {
  const table: [unknown, string, string][] = [
    [new NoSuchEntityException({ ...meta }), 'NoSuchEntityException', 'not-found'],
    [new ResourceNotFoundException({ ...meta }), 'ResourceNotFoundException', 'not-found'],
    [new NotFoundException({ ...meta }), 'NotFoundException', 'not-found'],
    [new AccountNotFoundException({ ...meta }), 'AccountNotFoundException', 'not-found'],
    [new AWSOrganizationsNotInUseException({ ...meta }), 'AWSOrganizationsNotInUseException', 'not-found'],
    [new AccessDeniedException({ ...meta }), 'AccessDeniedException', 'access-denied'],
    [new TooManyRequestsException({ ...meta }), 'TooManyRequestsException', 'throttled'],
    [new InvalidParameterValueException({ ...meta }), 'InvalidParameterValueException', 'invalid'],
    [new ServiceUnavailableException({ ...meta }), 'ServiceUnavailableException', 'unknown'],
  ]
  for (const [e, name, cls] of table) {
    t.equal(awsErrorName(e), name)
    t.equal(classifyAwsError(e), cls, name)
  }
})

t.test('classifies unmodelled wire codes, network errors and statuses', async (t) => {
  t.equal(classifyAwsError(named('AccessDenied')), 'access-denied')
  t.equal(classifyAwsError(named('Throttling')), 'throttled')
  t.equal(classifyAwsError(named('ThrottlingException')), 'throttled')
  t.equal(classifyAwsError(named('TimeoutError')), 'timeout')
  t.equal(classifyAwsError(Object.assign(new Error('x'), { code: 'ETIMEDOUT' })), 'timeout')
  t.equal(awsErrorName(Object.assign(new Error('x'), { code: 'ETIMEDOUT' })), 'ETIMEDOUT')
  t.equal(classifyAwsError(named('Weird', 404)), 'not-found')
  t.equal(classifyAwsError(named('Weird', 403)), 'access-denied')
  t.equal(classifyAwsError(named('Weird', 429)), 'throttled')
  t.equal(classifyAwsError(named('Weird', 500)), 'unknown')
  t.equal(classifyAwsError(new SyntaxError('Unexpected token <')), 'unknown')
  t.equal(classifyAwsError('a string'), 'unknown')
  t.equal(awsErrorName(null), 'UnknownError')
})

t.test('AwsCallError.from keeps name, class, call, status and attempts', async (t) => {
  const src = new AccessDeniedException({ message: 'no', $metadata: { httpStatusCode: 403, attempts: 1 } })
  const e = AwsCallError.from(src, { service: 'organizations', operation: 'ListPoliciesForTarget' })
  t.equal(e.errorName, 'AccessDeniedException')
  t.equal(e.errorClass, 'access-denied')
  t.equal(e.call, 'organizations:ListPoliciesForTarget')
  t.equal(e.httpStatus, 403)
  t.equal(e.attempts, 1)
  t.equal(e.cause, src)
  t.equal(AwsCallError.from(e, { service: 'x', operation: 'y' }), e, 'an AwsCallError is not wrapped twice')
  t.equal(classifyAwsError(e), 'access-denied')
})
