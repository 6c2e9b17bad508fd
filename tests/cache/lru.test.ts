/** The in-process LRU is bounded in bytes (CACHE_MAX_MB): the least recently used entries leave first. */
import { expect, test } from 'bun:test'
import { MemoryCacheStore } from '../../server/cache/memory'
import type { CachedAnswer } from '../../server/cache/entry'
import { StreamRecorder } from '../../server/cache/service'
import { ManualClock } from '../pool/helpers'
import { cacheRig, call } from './support'

const entry = (bytes: number, clock: ManualClock): CachedAnswer => ({ headers: [], body: new Uint8Array(bytes), sse: false, model: '', expiresAt: clock.now() + 60_000 })

test('the store never holds more than its bound and evicts the least recently used first', async () => {
  const clock = new ManualClock()
  const store = new MemoryCacheStore(10_000, clock)
  await store.set('a', entry(3_000, clock))
  await store.set('b', entry(3_000, clock))
  await store.set('c', entry(3_000, clock))
  expect(await store.get('a')).not.toBeNull() // a is now the most recent
  await store.set('d', entry(3_000, clock))
  expect([await store.get('a'), await store.get('b'), await store.get('c'), await store.get('d')].map((e) => e !== null)).toEqual([true, false, true, true])
  expect(store.usage().bytes).toBeLessThanOrEqual(10_000)
  // an entry larger than the whole bound is not kept (and evicts nothing)
  await store.set('huge', entry(20_000, clock))
  expect(await store.get('huge')).toBeNull()
  expect(store.usage().entries).toBe(3)
})

test('a recording over the per-entry bound is dropped; a whole one is kept once', () => {
  const kept: Uint8Array[] = []
  const small = new StreamRecorder(10, (b) => kept.push(b))
  small.push(new Uint8Array([1, 2, 3]))
  small.push(new Uint8Array([4, 5]))
  small.complete('')
  small.complete('')
  const big = new StreamRecorder(4, (b) => kept.push(b))
  big.push(new Uint8Array([1, 2, 3]))
  big.push(new Uint8Array([4, 5]))
  big.complete('')
  expect(kept).toEqual([new Uint8Array([1, 2, 3, 4, 5])])
})

test('through a node with CACHE_MAX_MB=1: answers past the bound evict the oldest', async () => {
  await using rig = await cacheRig('memory', { env: { CACHE_MAX_MB: '1' } })
  // the fake upstream echoes the message: three ~400 KB answers do not fit in 1 MiB together
  const big = (tag: string) => ({ model: 'gpt-4o-mini', fake_echo: true, messages: [{ role: 'user', content: tag + 'x'.repeat(400_000) }] })
  for (const tag of ['a', 'b', 'c']) {
    const res = await call(rig.base, big(tag))
    expect([res.status, res.headers.get('x-keypool-cache')]).toEqual([200, 'miss'])
    await res.text()
  }
  const newest = await call(rig.base, big('c'))
  expect(newest.headers.get('x-keypool-cache')).toBe('hit')
  await newest.text()
  const oldest = await call(rig.base, big('a'))
  expect(oldest.headers.get('x-keypool-cache')).toBe('miss')
  await oldest.text()
  expect(rig.upstream.requests.length).toBe(4)
})

test('an answer over the 1 MiB entry bound is relayed and not stored', async () => {
  await using rig = await cacheRig('memory')
  const huge = { model: 'gpt-4o-mini', fake_echo: true, messages: [{ role: 'user', content: 'y'.repeat(1_100_000) }] }
  for (let i = 0; i < 2; i++) {
    const res = await call(rig.base, huge)
    expect([res.status, res.headers.get('x-keypool-cache')]).toEqual([200, 'miss'])
    expect((await res.text()).length).toBeGreaterThan(1_100_000)
  }
  expect(rig.upstream.requests.length).toBe(2)
})
