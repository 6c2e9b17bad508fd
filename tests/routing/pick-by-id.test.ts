/** Session affinity's pool call, on the memory and the Redis pool alike: this key, only while it is usable. */
import { afterAll, describe, expect, test } from 'bun:test'
import { createClient } from 'redis'
import type { KeyStateUpdate } from '../../db/types'
import { MemoryKeyPool } from '../../server/pool/memory'
import { RedisKeyPool, type PoolRedisClient } from '../../server/pool/redis'
import type { KeyPool } from '../../server/pool/types'
import { keyRow, ManualClock } from '../pool/helpers'

const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `test:routing-affinity:${process.pid}:${Date.now()}:`
const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } })
client.on('error', () => {})
await client.connect()
const poolClient: PoolRedisClient = client

afterAll(async () => {
  const keys: string[] = []
  for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) keys.push(...batch)
  if (keys.length > 0) await client.del(keys)
  client.destroy()
})

const pools: [string, (clock: ManualClock, persisted: KeyStateUpdate[]) => KeyPool][] = [
  ['memory', (clock, persisted) => new MemoryKeyPool({ clock, flushIntervalMs: 3_600_000, persist: async (u) => void persisted.push(...u) })],
  [
    'redis',
    (clock, persisted) =>
      new RedisKeyPool({ client: poolClient, prefix, clock, flushIntervalMs: 3_600_000, persist: async (u) => void persisted.push(...u) }),
  ],
]

describe.each(pools)('%s pool: pickById', (_name, make) => {
  test('an active key is given; a cooling one only once its time has passed (and it is woken); invalid or unknown never', async () => {
    const clock = new ManualClock()
    const persisted: KeyStateUpdate[] = []
    const pool = make(clock, persisted)
    const G = Math.floor(Math.random() * 1e9)
    await pool.loadGroup(G, [keyRow(1, G), keyRow(2, G), keyRow(3, G, { status: 'invalid' })])
    expect(await pool.pickById!(G, 2)).toMatchObject({ id: 2, groupId: G, value: `sk-test-${G}-2-secret` })
    await pool.report({ id: 2, groupId: G, value: '', hash: '' }, { kind: 'rate_limited', retryAfterMs: 5_000 }, { blacklistThreshold: 3 })
    expect(await pool.pickById!(G, 2)).toBeNull()
    clock.advance(5_001)
    expect(await pool.pickById!(G, 2)).toMatchObject({ id: 2 })
    expect(await pool.stats(G)).toMatchObject({ active: 2, cooling: 0, invalid: 1 })
    expect(await pool.pickById!(G, 3)).toBeNull()
    expect(await pool.pickById!(G, 99)).toBeNull()
    expect(await pool.pickById!(G + 1, 1)).toBeNull()
    await pool.flush()
    expect(persisted.filter((u) => u.id === 2).at(-1)).toMatchObject({ status: 'active', cooling_until: null })
    await pool.close()
  })
})
