/**
 * The same suite with the cache in the shared Redis, under a unique key prefix deleted after each test; then what
 * only Redis has: entries with a TTL under the prefix, two nodes sharing them, and an outage that is a miss.
 */
import { describe, expect, test } from 'bun:test'
import { createClient } from 'redis'
import { ManualClock } from '../pool/helpers'
import { RedisCacheStore } from '../../server/cache/redis'
import { cacheRedisClient } from '../../server/cluster/cache-redis'
import { connectRedis } from '../../server/cluster/redis-client'
import { cacheSuite } from './cache.suite'
import { CHAT, REDIS_URL, cacheRig, call, deletePrefix } from './support'

cacheSuite('redis')

describe('response cache in Redis', () => {
  test('an entry is one key under the prefix with the group TTL', async () => {
    await using rig = await cacheRig('redis', { ttl: 120 })
    await (await call(rig.base, CHAT)).text()
    const c = createClient({ url: REDIS_URL })
    await c.connect()
    try {
      const keys = await c.keys(`${rig.prefix}cache:*`)
      expect(keys.length).toBe(1)
      const ttl = await c.pTTL(keys[0]!)
      expect(ttl).toBeGreaterThan(100_000)
      expect(ttl).toBeLessThanOrEqual(120_000)
    } finally {
      c.destroy()
    }
  })

  test('a Redis outage is a miss and a skipped store, never an error', async () => {
    await using rig = await cacheRig('redis')
    await (await call(rig.base, CHAT)).text()
    // the node loses Redis: its connection is gone (the key pool falls back to its local copy)
    rig.app.server.built.redis!.destroy()
    const states: (string | null)[] = []
    for (let i = 0; i < 2; i++) {
      const res = await call(rig.base, CHAT)
      expect(res.status).toBe(200)
      states.push(res.headers.get('x-keypool-cache'))
      await res.text()
    }
    expect(states).toEqual(['miss', 'miss'])
    expect(rig.upstream.requests.length).toBe(3)
  })

  test('a closed client: get is a miss, set does not throw', async () => {
    const prefix = `test:cache-unit:${process.pid}:${Date.now()}:`
    // the client the server itself builds (server/cluster/redis-client.ts)
    const c = await connectRedis(REDIS_URL)
    const store = new RedisCacheStore(cacheRedisClient(c), prefix, new ManualClock(Date.now()))
    const entry = { headers: [['content-type', 'application/json']] as [string, string][], body: new Uint8Array([1, 2, 0, 255]), sse: false, model: 'm', expiresAt: Date.now() + 60_000 }
    await store.set('k', entry, 60_000)
    expect(await store.get('k')).toEqual(entry)
    c.destroy()
    expect(await store.get('k')).toBeNull()
    await store.set('k2', entry, 60_000)
    await deletePrefix(prefix)
  })
})
