/**
 * The cluster pool through a Redis outage, as two nodes see it: two pools (each with its own connection) on one
 * private redis-server that the test kills and restarts empty, and one store (key rows in memory, written by the
 * pools' persist calls). While Redis is gone each pool serves alone; after it returns both agree again.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import type { ApiKey, KeyStateUpdate } from '../../db/types'
import { connectRedis, type RedisClient } from '../../server/cluster/redis-client'
import { createKeyPool } from '../../server/pool/create'
import type { KeyPool } from '../../server/pool/types'
import { recordingLog, uniquePrefix, waitFor } from '../cluster/redis-env'
import { ownRedisTestsEnabled, startOwnRedis, type OwnRedis } from '../cluster/support/redis-server'
import { redisUp } from '../cluster/redis-env'
import { keyRow, ManualClock } from './helpers'

setDefaultTimeout(30_000)

const policy = { blacklistThreshold: 3 }

/** Key rows as the database holds them; the pools write their state changes here. */
class RowStore {
  readonly rows = new Map<number, ApiKey>()
  /** reads fail as with a database that is down */
  failReads = false
  add(...rows: ApiKey[]): void {
    for (const r of rows) this.rows.set(r.id, r)
  }
  async persist(updates: KeyStateUpdate[]): Promise<void> {
    for (const u of updates) {
      const row = this.rows.get(u.id)
      if (!row) continue
      if (u.status !== undefined) row.status = u.status
      if (u.cooling_until !== undefined) row.cooling_until = u.cooling_until
      if (u.failure_count !== undefined) row.failure_count = u.failure_count
    }
  }
  async groupKeys(groupId: number): Promise<ApiKey[]> {
    if (this.failReads) throw new Error('connection refused')
    return [...this.rows.values()].filter((r) => r.group_id === groupId).map((r) => ({ ...r }))
  }
}

const enabled = ownRedisTestsEnabled(redisUp, 'the failover pool tests')

describe.skipIf(!enabled)('failover pool: Redis killed and restarted empty, or the store down', () => {
  let redis: OwnRedis
  const clients: RedisClient[] = []
  const pools: KeyPool[] = []

  beforeAll(async () => {
    redis = await startOwnRedis()
  })
  afterAll(async () => {
    for (const p of pools) await p.close()
    for (const c of clients) c.destroy()
    await redis?.kill()
  })

  async function twoNodes(store: RowStore, clock: ManualClock): Promise<[KeyPool, KeyPool]> {
    const prefix = uniquePrefix()
    const make = async () => {
      const client = await connectRedis(redis.url, { connectTimeoutMs: 2000, log: recordingLog() })
      clients.push(client)
      const pool = createKeyPool({ redis: client, prefix, clock, persist: (u) => store.persist(u), reload: (g) => store.groupKeys(g), flushIntervalMs: 3_600_000 })
      pools.push(pool)
      return pool
    }
    const nodes: [KeyPool, KeyPool] = [await make(), await make()]
    return nodes
  }

  const load = async (nodes: KeyPool[], store: RowStore, groupId: number) => {
    for (const n of nodes) await n.loadGroup(groupId, await store.groupKeys(groupId))
  }
  const outage = async (nodes: KeyPool[]) => {
    await redis.kill()
    await waitFor('both pools degraded', () => nodes.every((n) => n.status().mode === 'degraded'))
  }
  const restart = async (nodes: KeyPool[]) => {
    await redis.start()
    await waitFor('both pools shared again', () => nodes.every((n) => n.status().mode === 'shared'), 10_000)
  }

  test('serves locally while Redis is gone; a cooldown one node set alone holds on both after an empty restart', async () => {
    const clock = new ManualClock()
    const store = new RowStore()
    store.add(keyRow(1, 1), keyRow(2, 1), keyRow(3, 1))
    const nodes = await twoNodes(store, clock)
    await load(nodes, store, 1)
    expect(nodes.map((n) => n.status().mode)).toEqual(['shared', 'shared'])

    await outage(nodes)
    // each node rotates over the keys it knows, locally
    const picked = new Set<number>()
    for (let i = 0; i < 3; i++) picked.add((await nodes[0].pick(1))!.id)
    expect([...picked].sort()).toEqual([1, 2, 3])
    const key2 = { id: 2, groupId: 1, value: 'v', hash: 'h' }
    await nodes[0].report(key2, { kind: 'rate_limited', retryAfterMs: 60_000 }, policy)
    expect(await nodes[0].stats(1)).toMatchObject({ active: 2, cooling: 1 })
    expect(await nodes[1].stats(1)).toMatchObject({ active: 3, cooling: 0 })

    await restart(nodes)
    for (const n of nodes) expect(await n.stats(1)).toMatchObject({ active: 2, cooling: 1 })
    for (let i = 0; i < 6; i++) expect((await nodes[i % 2]!.pick(1))!.id).not.toBe(2)
    expect(store.rows.get(2)).toMatchObject({ status: 'cooling', cooling_until: clock.now() + 60_000 })
    // after the cooldown, both see it active again
    clock.advance(60_001)
    for (const n of nodes) expect(await n.stats(1)).toMatchObject({ active: 3, cooling: 0 })
  })

  test('pacing passes through: shared while Redis answers, local while it is gone; each slot goes back to the pool that leased it', async () => {
    const clock = new ManualClock()
    const store = new RowStore()
    store.add(keyRow(41, 5), keyRow(42, 5))
    const nodes = await twoNodes(store, clock)
    await load(nodes, store, 5)
    const pace = { rpm: 1, concurrency: 1, leaseMs: 600_000 }
    // shared: what node 0 picks rests for node 1 too
    const shared = [await nodes[0].pick(5, undefined, pace), await nodes[0].pick(5, undefined, pace)]
    expect(shared.map((k) => k?.id).sort()).toEqual([41, 42])
    expect(await nodes[1].pick(5, undefined, pace)).toBeNull()
    expect([...(await nodes[1].paced(5, [41, 42])).keys()].sort()).toEqual([41, 42])
    // both keys have a request in flight: one of them ending frees a key first
    expect(await nodes[1].nextFree(5)).toBe(clock.now() + 1000)

    await outage(nodes)
    // local: each node paces its own picks; a shared slot cannot be given back now (it frees itself later)
    await nodes[0].release(shared[0]!)
    const local = await nodes[0].pick(5, undefined, pace)
    expect(local?.lease?.startsWith('local:')).toBe(true)
    expect(await nodes[0].pick(5, undefined, pace)).not.toBeNull()
    expect(await nodes[0].pick(5, undefined, pace)).toBeNull()
    expect((await nodes[0].paced(5, [local!.id])).get(local!.id)?.kind).toBe('rpm')
    await nodes[0].release(local!)

    // Redis came back empty: its windows and slots are gone with it, the keys start a fresh minute
    await restart(nodes)
    await nodes[1].release(shared[1]!) // a lease the new Redis never held: nothing happens
    const after = [await nodes[0].pick(5, undefined, pace), await nodes[1].pick(5, undefined, pace)]
    expect(after.map((k) => k?.id).sort()).toEqual([41, 42])
    expect(after.every((k) => k?.lease !== undefined && !k.lease.startsWith('local:'))).toBe(true)
    expect(await nodes[0].pick(5, undefined, pace)).toBeNull()
  })

  test('a cooldown that ended during the outage comes back active, not cooling with a time in the past', async () => {
    const clock = new ManualClock()
    const store = new RowStore()
    store.add(keyRow(11, 2), keyRow(12, 2))
    const nodes = await twoNodes(store, clock)
    await load(nodes, store, 2)
    await outage(nodes)
    await nodes[0].report({ id: 12, groupId: 2, value: 'v', hash: 'h' }, { kind: 'rate_limited', retryAfterMs: 1000 }, policy)
    await nodes[0].flush()
    expect(store.rows.get(12)).toMatchObject({ status: 'cooling' })
    clock.advance(5000)
    await restart(nodes)
    for (const n of nodes) expect(await n.stats(2)).toMatchObject({ active: 2, cooling: 0 })
    const ids = new Set<number>()
    for (let i = 0; i < 4; i++) ids.add((await nodes[i % 2]!.pick(2))!.id)
    expect([...ids].sort()).toEqual([11, 12])
    await Promise.all(nodes.map((n) => n.flush()))
    expect(store.rows.get(12)).toMatchObject({ status: 'active', cooling_until: null })
  })

  test('admin changes, new keys and a dropped group during the outage reach Redis at the rejoin', async () => {
    const clock = new ManualClock()
    const store = new RowStore()
    store.add(keyRow(21, 3), keyRow(22, 3), keyRow(31, 4))
    const nodes = await twoNodes(store, clock)
    await load(nodes, store, 3)
    await load(nodes, store, 4)
    await outage(nodes)
    // through node 0: key 21 disabled (the store first, as the admin API does), key 23 added, group 4 deleted
    store.rows.get(21)!.status = 'disabled'
    await nodes[0].setStatus(3, [21], 'disabled')
    store.add(keyRow(23, 3))
    await nodes[0].loadGroup(3, await store.groupKeys(3))
    store.rows.delete(31)
    await nodes[0].dropGroup(4)
    expect(await nodes[0].stats(3)).toMatchObject({ active: 2, disabled: 1 })

    await restart(nodes)
    for (const n of nodes) expect(await n.stats(3)).toMatchObject({ active: 2, disabled: 1 })
    const ids = new Set<number>()
    for (let i = 0; i < 6; i++) ids.add((await nodes[i % 2]!.pick(3))!.id)
    expect([...ids].sort()).toEqual([22, 23])
    // node 1 never heard of the drop, yet the shared state of group 4 is gone
    expect(await nodes[1].stats(4)).toEqual({ active: 0, cooling: 0, invalid: 0, disabled: 0 })
  })

  test('the store failing while Redis answers is not taken for a Redis outage', async () => {
    const clock = new ManualClock()
    const store = new RowStore()
    store.add(keyRow(41, 5))
    const nodes = await twoNodes(store, clock)
    await load(nodes, store, 5)
    // Redis lost the state (restarted empty between two requests) and the database is down right now
    const admin = await connectRedis(redis.url, { log: recordingLog() })
    await admin.flushAll()
    admin.destroy()
    store.failReads = true
    expect((await nodes[0].pick(5))?.id).toBe(41)
    expect(nodes[0].status()).toEqual({ mode: 'shared', redisErrors: 0 })
    store.failReads = false
    expect((await nodes[0].pick(5))?.id).toBe(41)
    expect(nodes[0].status().mode).toBe('shared')
  })
})

if (!enabled) test.skip('failover pool (Redis or redis-server unavailable)', () => {})
