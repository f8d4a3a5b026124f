/**
 * aws-sdk-client-mock setup shared by the evidence unit tests: every client
 * class mocked (the mock replaces `send` on the class, so the context's pooled
 * clients are mocked too), the service identity and AssumeRole answered, and a
 * context with dummy credentials. Errors are the SDK's real exception classes.
 */
import { mockClient } from 'aws-sdk-client-mock'
import { BackupClient } from '@aws-sdk/client-backup'
import { IAMClient } from '@aws-sdk/client-iam'
import { KMSClient } from '@aws-sdk/client-kms'
import { OrganizationsClient } from '@aws-sdk/client-organizations'
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { createAwsContext } from '../../src/aws/index.js'
import type { AwsConfig, AwsContext } from '../../src/aws/index.js'
import { Flow } from '../../src/evidence/flow.js'
import type { Chain } from '../../src/evidence/flow.js'

process.env.AWS_EC2_METADATA_DISABLED = 'true'

export const OWN = '100000000001'
export const JOB = '111111111111'
export const DEST = '222222222222'
export const REGION = 'us-east-1'

/** AssumeRole answer: access key id `ASIA<account>`, valid one hour. */
export function fakeAssumeRole(input: { RoleArn: string }) {
  return {
    Credentials: {
      AccessKeyId: `ASIA${input.RoleArn.split(':')[4]}`,
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(Date.now() + 3600_000),
    },
  }
}

export function awsMocks() {
  const m = {
    backup: mockClient(BackupClient),
    iam: mockClient(IAMClient),
    kms: mockClient(KMSClient),
    org: mockClient(OrganizationsClient),
    sts: mockClient(STSClient),
    /** Resets every mock and answers identity and AssumeRole. */
    reset() {
      for (const x of [m.backup, m.iam, m.kms, m.org, m.sts]) x.reset()
      m.sts.on(GetCallerIdentityCommand).resolves({ Account: OWN, Arn: `arn:aws:iam::${OWN}:user/doctor`, UserId: 'AIDA' })
      m.sts.on(AssumeRoleCommand).callsFake(fakeAssumeRole)
    },
  }
  m.reset()
  return m
}

export function testContext(over: Partial<AwsConfig> = {}): AwsContext {
  return createAwsContext({
    defaultRegion: REGION,
    readerRoleName: 'BackupDoctorReadOnly',
    credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'x' },
    ...over,
  })
}

export function chain(ctx: AwsContext): Chain {
  return new Flow(ctx).chain()
}

/** IAM sends policy documents URL-encoded. */
export function enc(doc: unknown): string {
  return encodeURIComponent(JSON.stringify(doc))
}

export const meta = { $metadata: {} }

export const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }] }
export const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }
