import t from 'tap'
import { decideEventBridge } from '../../src/integrations/eventbridge.js'
import { eventBridgeEvent } from './helpers.js'

const ID = '0A1B2C3D-0000-4000-8000-0000000000F1'

t.test('failed, aborted and expired jobs of the three detail-types are diagnosed', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['Backup Job State Change', 'FAILED', 'backup'],
    ['Backup Job State Change', 'ABORTED', 'backup'],
    ['Backup Job State Change', 'EXPIRED', 'backup'],
    ['Copy Job State Change', 'FAILED', 'copy'],
    ['Restore Job State Change', 'FAILED', 'restore'],
  ]
  for (const [detailType, state, jobType] of cases) {
    t.same(
      decideEventBridge(eventBridgeEvent({ detailType, state })),
      { kind: 'diagnose', eventId: 'b3e8c5a1-0000-4000-8000-000000000001', state, ref: { jobId: ID, jobType, accountId: '111111111111', region: 'us-east-1' } },
      `${detailType} ${state}`,
    )
  }
  // AWS's restore example uses `state`, not `status`.
  const restore = eventBridgeEvent({ detailType: 'Restore Job State Change' })
  const d = restore.detail as Record<string, unknown>
  d.state = d.status
  delete d.status
  t.equal(decideEventBridge(restore).kind, 'diagnose')
})

t.test('other states and event types are ignored', async (t) => {
  t.equal(decideEventBridge(eventBridgeEvent({ state: 'COMPLETED' })).kind, 'ignore')
  t.equal(decideEventBridge(eventBridgeEvent({ state: 'RUNNING' })).kind, 'ignore')
  t.equal(decideEventBridge(eventBridgeEvent({ detailType: 'Recovery Point State Change' })).kind, 'ignore')
  t.equal(decideEventBridge({ ...eventBridgeEvent(), source: 'aws.ec2' }).kind, 'ignore')
  // A copy CREATED example of AWS has no copyJobId: still ignored, not malformed.
  const created = eventBridgeEvent({ detailType: 'Copy Job State Change', state: 'CREATED' })
  delete (created.detail as Record<string, unknown>).copyJobId
  t.equal(decideEventBridge(created).kind, 'ignore')
})

t.test('malformed events', async (t) => {
  const bad: unknown[] = [
    null,
    [],
    'x',
    { ...eventBridgeEvent(), id: undefined },
    { ...eventBridgeEvent(), id: '' },
    { ...eventBridgeEvent(), 'detail-type': 5 },
    { ...eventBridgeEvent(), detail: 'x' },
    eventBridgeEvent({ account: '1234567890123' }),
    eventBridgeEvent({ region: 'us-east-1.evil.example' }),
    eventBridgeEvent({ jobId: '../../x' }),
    { ...eventBridgeEvent(), detail: { backupJobId: ID } },
  ]
  for (const b of bad) t.equal(decideEventBridge(b).kind, 'malformed', JSON.stringify(b)?.slice(0, 80))
})
