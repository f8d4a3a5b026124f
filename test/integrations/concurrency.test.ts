import t from 'tap'
import { mapLimit, WorkQueue } from '../../src/integrations/concurrency.js'

const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms))

t.test('WorkQueue runs at most `concurrency` tasks and refuses beyond capacity', async (t) => {
  const errors: unknown[] = []
  const q = new WorkQueue({ concurrency: 2, capacity: 1, onError: (e) => errors.push(e) })
  let active = 0
  let peak = 0
  const done: number[] = []
  const task = (i: number) => async () => {
    active++
    peak = Math.max(peak, active)
    await tick(5)
    active--
    done.push(i)
  }
  t.ok(q.tryEnqueue(task(1)))
  t.ok(q.tryEnqueue(task(2)))
  t.ok(q.tryEnqueue(task(3)))
  t.notOk(q.tryEnqueue(task(4)), 'full')
  t.equal(q.running, 2)
  t.equal(q.pending, 1)
  await q.onIdle()
  t.equal(peak, 2)
  t.same(done.sort(), [1, 2, 3])
  t.ok(q.tryEnqueue(async () => {
    throw new Error('boom')
  }))
  t.ok(q.tryEnqueue(() => {
    throw new Error('sync boom')
  }))
  await q.onIdle()
  t.equal(errors.length, 2, 'failures reported, queue keeps going')
  t.ok(q.tryEnqueue(task(5)))
  await q.onIdle()
  t.same(done.sort(), [1, 2, 3, 5])
})

t.test('drain drops waiting work after the timeout', async (t) => {
  const q = new WorkQueue({ concurrency: 1, capacity: 5 })
  let release!: () => void
  q.tryEnqueue(() => new Promise<void>((r) => (release = r)))
  q.tryEnqueue(async () => {})
  q.tryEnqueue(async () => {})
  t.equal(await q.drain(10), 2)
  release()
  await q.onIdle()
  t.equal(await q.drain(10), 0)
})

t.test('mapLimit keeps order and bounds concurrency', async (t) => {
  let active = 0
  let peak = 0
  const out = await mapLimit([5, 1, 3, 2, 4], 2, async (n) => {
    active++
    peak = Math.max(peak, active)
    await tick(n)
    active--
    return n * 10
  })
  t.same(out, [50, 10, 30, 20, 40])
  t.equal(peak, 2)
  t.same(await mapLimit([], 3, async () => 1), [])
})
