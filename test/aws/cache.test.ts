import t from 'tap'
import { SingleFlightCache } from '../../src/aws/index.js'

t.test('single-flight: concurrent gets share one fetch', async (t) => {
  const c = new SingleFlightCache(10)
  let fetches = 0
  let release!: () => void
  const gate = new Promise<void>((r) => { release = r })
  const fetch = async () => { fetches++; await gate; return 42 }
  const all = Promise.all([c.get('k', 1000, fetch), c.get('k', 1000, fetch), c.get('k', 1000, fetch)])
  release()
  const r = await all
  t.equal(fetches, 1)
  t.same(r.map((x) => x.outcome), ['miss', 'joined', 'joined'])
  t.same(r.map((x) => x.value), [42, 42, 42])
  t.equal((await c.get('k', 1000, fetch)).outcome, 'hit')
  t.same(c.stats, { hits: 3, misses: 1 })
})

t.test('failures are shared by joiners but never kept', async (t) => {
  const c = new SingleFlightCache(10)
  let fetches = 0
  const fail = async () => { fetches++; throw new Error('boom') }
  const r = await Promise.allSettled([c.get('k', 1000, fail), c.get('k', 1000, fail)])
  t.same(r.map((x) => x.status), ['rejected', 'rejected'])
  t.equal(fetches, 1)
  t.equal((await c.get('k', 1000, async () => 7)).value, 7, 'next get fetches again')
})

t.test('TTL expiry and keepIf', async (t) => {
  let now = 1000
  const c = new SingleFlightCache(10, () => now)
  let n = 0
  const fetch = async () => ++n
  t.equal((await c.get('k', 100, fetch)).value, 1)
  now += 50
  t.equal((await c.get('k', 100, fetch)).value, 1)
  now += 100
  t.equal((await c.get('k', 100, fetch)).value, 2, 'expired entry is fetched again')
  t.equal((await c.get('p', 100, fetch, { keepIf: () => false })).value, 3)
  t.equal((await c.get('p', 100, fetch, { keepIf: () => false })).value, 4, 'a value keepIf refuses is not kept')
})

t.test('bounded size', async (t) => {
  const c = new SingleFlightCache(2)
  for (const k of ['a', 'b', 'c']) await c.get(k, 1000, async () => k)
  t.equal(c.size, 2)
  t.equal((await c.get('a', 1000, async () => 'again')).value, 'again', 'least recently used entry was evicted')
})
