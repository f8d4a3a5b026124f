// AWS's own managed policies (../shared/aws-data/managed-policies) must parse, and
// say what AWS documents about them (AWS Backup Developer Guide, "AWS managed
// policies for AWS Backup"): the backup service role policy does not cover S3, the
// S3 backup policy does.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildBackupJobContext, evaluate, tryParsePolicy } from '../../src/policy/index.js'
import type { PolicyInput } from '../../src/policy/types.js'

const dir = fileURLToPath(new URL('../../../shared/aws-data/managed-policies/', import.meta.url))
const load = (name: string): PolicyInput => ({ kind: 'identity', id: `arn:aws:iam::aws:policy/service-role/${name}`, document: JSON.parse(readFileSync(dir + name + '.json', 'utf8')) })

t.test('every AWS managed policy in aws-data parses', async (t) => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
  t.ok(files.length >= 5)
  for (const f of files) {
    const r = tryParsePolicy(load(f.replace(/\.json$/, '')))
    t.ok(r.ok, `${f}${r.ok ? '' : `: ${r.error.path} ${r.error.reason}`}`)
  }
})

t.test('what the Backup service role policies allow', async (t) => {
  const { principal, context } = buildBackupJobContext({ jobAccountId: '111111111111', region: 'us-east-1', roleArn: 'arn:aws:iam::111111111111:role/service-role/AWSBackupDefaultServiceRole', orgId: 'o-abc' })
  const decide = (policyName: string, action: string, resource: string) =>
    evaluate({ principal, action, resource, resourceAccount: null, context }, { identity: [load(policyName)] }).decision
  t.equal(decide('AWSBackupServiceRolePolicyForBackup', 'ec2:CreateSnapshot', 'arn:aws:ec2:us-east-1:111111111111:volume/vol-1'), 'allowed')
  t.equal(decide('AWSBackupServiceRolePolicyForBackup', 's3:GetObject', 'arn:aws:s3:::bucket/key'), 'implicit-deny', 'S3 needs AWSBackupServiceRolePolicyForS3Backup')
  t.equal(decide('AWSBackupServiceRolePolicyForS3Backup', 's3:GetObject', 'arn:aws:s3:::bucket/key'), 'allowed')
})
