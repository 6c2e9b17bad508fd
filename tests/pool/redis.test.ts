/**
 * The shared suite against a real Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379), plus what only a
 * shared pool has: several nodes on one state. Every run uses its own key prefix and deletes its keys after.
 * Redis unreachable: a failure in CI, otherwise the tests are skipped with a message (tests/support/ci-gate.ts).
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { createClient } from 'redis'
import { serviceGate } from '../support/ci-gate'
import type { KeyStateUpdate } from '../../db/types'
import { PACE_WINDOW_MS } from '../../server/pool/pace-window'
import { RedisKeyPool, type PoolRedisClient } from '../../server/pool/redis'
import { keyRow, keyRows, ManualClock } from './helpers'
import { poolSuite } from './pool.suite'

// bunfig.toml asks for 30 s per test but bun 1.4.4 does not read that key; the 100,000-key case needs room
// on a loaded machine (it is a correctness test, its speed is not asserted)
setDefaultTimeout(30_000)

const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const runPrefix = `test:pool:${process.pid}:${Date.now()}:`

async function connect() {
  const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } })
  client.on('error', () => {}) // reported through connect() below
  try {
    await client.connect()
    return client
  } catch (err) {
    serviceGate('Redis pool tests', `Redis unreachable at ${url}: ${String(err)}`, 'set TEST_REDIS_URL')
    return null
  }
}

const client = await connect()
// the pool accepts the client the cluster module creates (type test, checked by tsc)
const asPoolClient: PoolRedisClient | null = client

let pools = 0
function newPool(clock: ManualClock, persisted: KeyStateUpdate[], prefix = `${runPrefix}${++pools}:`) {
  return new RedisKeyPool({
    client: asPoolClient!,
    prefix,
    clock,
    flushIntervalMs: 3_600_000,
    persist: async (u) => void persisted.push(...u),
  })
}

afterAll(async () => {
  if (!client) return
  const keys: string[] = []
  for await (const batch of client.scanIterator({ MATCH: `${runPrefix}*`, COUNT: 1000 })) keys.push(...batch)
  if (keys.length > 0) await client.del(keys)
  client.destroy()
})

if (client) {
  poolSuite('redis', async (clock) => {
    const persisted: KeyStateUpdate[] = []
    const pool = newPool(clock, persisted)
    return { pool, persisted, looked: () => pool.work.looked }
  })

  describe('RedisKeyPool across nodes', () => {
    const G = 3
    const twoNodes = () => {
      const clock = new ManualClock()
      const prefix = `${runPrefix}nodes${++pools}:`
      const written = { a: [] as KeyStateUpdate[], b: [] as KeyStateUpdate[] }
      return { clock, written, a: newPool(clock, written.a, prefix), b: newPool(clock, written.b, prefix) }
    }

    test('a key made invalid through one node is skipped by the other; the node that changed it writes it', async () => {
      const { a, b, written } = twoNodes()
      await a.loadGroup(G, keyRows(G, 3))
      await b.loadGroup(G, keyRows(G, 3))
      await a.report({ id: 2, groupId: G, value: '', hash: '' }, { kind: 'key_failure', reason: '401' }, { blacklistThreshold: 1 })
      const fromB = await Promise.all(Array.from({ length: 6 }, () => b.pick(G)))
      expect(fromB.map((k) => k?.id).sort()).toEqual([1, 1, 3, 3, 3, 1].sort())
      expect(await b.stats(G)).toEqual({ active: 2, cooling: 0, invalid: 1, disabled: 0 })
      await Promise.all([a.flush(), b.flush()])
      expect(written.a).toEqual([{ id: 2, requests: 1, last_used_at: expect.any(Number), failure_count: 1, status: 'invalid', cooling_until: null }])
      expect(written.b.every((u) => u.status === undefined)).toBe(true)
      await Promise.all([a.close(), b.close()])
    })

    test('round-robin stays even across both nodes', async () => {
      const { a, b } = twoNodes()
      await a.loadGroup(G, keyRows(G, 4))
      await b.loadGroup(G, keyRows(G, 4))
      const ids: (number | undefined)[] = []
      for (let i = 0; i < 12; i++) ids.push((await (i % 3 === 0 ? a : b).pick(G))?.id)
      const counts = new Map<number | undefined, number>()
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1)
      expect(counts).toEqual(new Map([[1, 3], [2, 3], [3, 3], [4, 3]]))
      await Promise.all([a.close(), b.close()])
    })

    test('a node loading the group later keeps the live state instead of wiping it', async () => {
      const { a, b, clock } = twoNodes()
      await a.loadGroup(G, keyRows(G, 3))
      await a.report({ id: 1, groupId: G, value: '', hash: '' }, { kind: 'rate_limited', retryAfterMs: 30_000 }, { blacklistThreshold: 3 })
      await a.setStatus(G, [3], 'disabled')
      // b starts from rows that do not know those changes yet
      await b.loadGroup(G, keyRows(G, 3))
      expect(await b.stats(G)).toEqual({ active: 1, cooling: 1, invalid: 0, disabled: 1 })
      expect(await b.pick(G)).toMatchObject({ id: 2, value: 'sk-test-3-2-secret' })
      clock.advance(30_000)
      expect((await b.pick(G))?.id).toBeDefined()
      expect(await a.stats(G)).toEqual({ active: 2, cooling: 0, invalid: 0, disabled: 1 })
      await Promise.all([a.close(), b.close()])
    })

    test('a key another node added but this node has not loaded yet is skipped, not returned without value', async () => {
      const { a, b } = twoNodes()
      await a.loadGroup(G, keyRows(G, 1))
      await b.loadGroup(G, [keyRow(1, G), keyRow(2, G)])
      const seen = await Promise.all(Array.from({ length: 4 }, () => a.pick(G)))
      expect(seen.map((k) => k?.id)).toEqual([1, 1, 1, 1])
      await Promise.all([a.close(), b.close()])
    })

    test('with the store to read from, a key another node just added is served at once (read-your-writes)', async () => {
      const clock = new ManualClock()
      const prefix = `${runPrefix}ryw${++pools}:`
      const rows = [keyRow(1, G)]
      const reloads: number[] = []
      const withStore = () =>
        new RedisKeyPool({
          client: asPoolClient!, prefix, clock, flushIntervalMs: 3_600_000, persist: async () => {},
          reload: async (groupId) => (reloads.push(groupId), [...rows]),
        })
      const a = withStore()
      const b = withStore()
      await a.loadGroup(G, rows)
      await b.loadGroup(G, rows)
      // b adds key 2 (the store first, as the admin API does); a has not heard of it
      rows.push(keyRow(2, G))
      await b.loadGroup(G, rows)
      await b.setStatus(G, [1], 'disabled')
      expect(await a.pick(G)).toMatchObject({ id: 2, value: 'sk-test-3-2-secret' })
      expect(reloads).toEqual([G])
      // a group the config knows that this node never loaded: read from the store at its first pick
      const c = withStore()
      expect(await c.pick(G)).toMatchObject({ id: 2 })
      await Promise.all([a.close(), b.close(), c.close()])
    })

    test('the pace is shared: a key that served its minute through one node rests on the other', async () => {
      const { a, b, clock } = twoNodes()
      await a.loadGroup(G, keyRows(G, 2))
      await b.loadGroup(G, keyRows(G, 2))
      const pace = { rpm: 2, concurrency: 1, leaseMs: 600_000 }
      const fromA = [await a.pick(G, undefined, pace), await a.pick(G, undefined, pace)]
      expect(await b.pick(G, undefined, pace)).toBeNull()
      // a slot taken on one node is given back through the other (the scripts, not the node, hold it)
      await b.release(fromA[0]!)
      await b.release(fromA[1]!)
      const fromB = [await b.pick(G, undefined, pace), await b.pick(G, undefined, pace)]
      expect(new Set([...fromA, ...fromB].map((k) => k?.id))).toEqual(new Set([1, 2]))
      for (const k of fromB) await a.release(k!)
      expect(await a.pick(G, undefined, pace)).toBeNull()
      expect((await b.paced(G, [1, 2])).get(1)).toEqual({ kind: 'rpm', until: clock.now() + PACE_WINDOW_MS })
      clock.advance(PACE_WINDOW_MS)
      expect(await a.pick(G, undefined, pace)).not.toBeNull()
      await Promise.all([a.close(), b.close()])
    })

    test('a paced pick of a key this node has not loaded is undone: the key keeps its whole pace for the node that has it', async () => {
      const { a, b } = twoNodes()
      await a.loadGroup(G, keyRows(G, 1))
      await b.loadGroup(G, [keyRow(1, G), keyRow(2, G)])
      const pace = { rpm: 1, concurrency: 1, leaseMs: 600_000 }
      // a serves key 1 and meets key 2, which it cannot serve
      expect((await a.pick(G, undefined, pace))?.id).toBe(1)
      expect(await a.pick(G, undefined, pace)).toBeNull()
      expect((await b.pick(G, undefined, pace))?.id).toBe(2)
      await Promise.all([a.close(), b.close()])
    })

    test('a concurrency slot a node never released (it died) frees itself at the end of its lease', async () => {
      const { a, b, clock } = twoNodes()
      await a.loadGroup(G, keyRows(G, 1))
      await b.loadGroup(G, keyRows(G, 1))
      const pace = { rpm: 0, concurrency: 1, leaseMs: 5000 }
      expect((await a.pick(G, undefined, pace))?.id).toBe(1)
      await a.close() // never releases
      expect(await b.pick(G, undefined, pace)).toBeNull()
      clock.advance(4999)
      expect(await b.pick(G, undefined, pace)).toBeNull()
      clock.advance(1)
      const k = await b.pick(G, undefined, pace)
      expect(k?.id).toBe(1)
      await b.release(k!)
      await b.release(k!)
      expect((await b.pick(G, undefined, pace))?.id).toBe(1)
      expect(await b.pick(G, undefined, pace)).toBeNull()
      await b.close()
    })

    test('scripts are loaded again after Redis forgot them', async () => {
      const { a } = twoNodes()
      await a.loadGroup(G, keyRows(G, 1))
      await client.scriptFlush()
      expect((await a.pick(G))?.id).toBe(1)
      await a.close()
    })

    test('a group whose state Redis lost is loaded again from the store at the next pick, once', async () => {
      const clock = new ManualClock()
      const prefix = `${runPrefix}lost${++pools}:`
      const reloads: number[] = []
      const rows = [keyRow(1, G), keyRow(2, G, { status: 'invalid' })]
      const pool = new RedisKeyPool({
        client: asPoolClient!, prefix, clock, flushIntervalMs: 3_600_000, persist: async () => {},
        reload: async (groupId) => (reloads.push(groupId), rows),
      })
      await pool.loadGroup(G, rows)
      // what a Redis restarted without persistence looks like
      for await (const keys of client.scanIterator({ MATCH: `${prefix}*` })) if (keys.length > 0) await client.del(keys)
      const picked = await Promise.all(Array.from({ length: 4 }, () => pool.pick(G)))
      expect(picked.map((k) => k?.id)).toEqual([1, 1, 1, 1])
      expect(reloads).toEqual([G])
      expect(await pool.stats(G)).toEqual({ active: 1, cooling: 0, invalid: 1, disabled: 0 })
      // a loaded group without usable keys is not reloaded at every pick
      await pool.setStatus(G, [1], 'disabled')
      expect(await pool.pick(G)).toBeNull()
      expect(reloads).toEqual([G])
      await pool.close()
    })
  })

  describe('redis pool: success reports', () => {
    test('a success of a key with nothing on record costs no script; one with failures clears them', async () => {
      let scripts = 0
      const counting: PoolRedisClient = {
        scriptLoad: (s) => asPoolClient!.scriptLoad(s),
        evalSha: (sha, o) => (scripts++, asPoolClient!.evalSha(sha, o)),
        del: (k) => asPoolClient!.del(k),
        ping: () => asPoolClient!.ping(),
      }
      const persisted: KeyStateUpdate[] = []
      const pool = new RedisKeyPool({ client: counting, prefix: `${runPrefix}${++pools}:`, clock: new ManualClock(), flushIntervalMs: 3_600_000, persist: async (u) => void persisted.push(...u) })
      await pool.loadGroup(7, keyRows(7, 1))
      const policy = { blacklistThreshold: 5 }
      const clean = (await pool.pick(7))!
      expect(clean.clean).toBe(true)
      let before = scripts
      await pool.report(clean, { kind: 'success' }, policy)
      expect(scripts).toBe(before)
      await pool.report((await pool.pick(7))!, { kind: 'key_failure', reason: '401' }, policy)
      const marked = (await pool.pick(7))!
      expect(marked.clean).toBe(false)
      before = scripts
      await pool.report(marked, { kind: 'success' }, policy)
      expect(scripts).toBe(before + 1)
      await pool.flush()
      expect(persisted.filter((u) => u.id === 1).at(-1)).toMatchObject({ failure_count: 0 })
      expect((await pool.pick(7))!.clean).toBe(true)
      await pool.close()
    })
  })
} else {
  test.skip('Redis pool tests (Redis unreachable)', () => {})
}

test('createKeyPool picks Redis when a client is given, memory otherwise', async () => {
  const { createKeyPool } = await import('../../server/pool/create')
  const base = { persist: async () => {}, clock: new ManualClock() }
  const memory = createKeyPool(base)
  expect(memory.kind).toBe('memory')
  await memory.close()
  if (!client) return
  const redis = createKeyPool({ ...base, redis: client, prefix: `${runPrefix}create:` })
  expect(redis.kind).toBe('redis')
  await redis.loadGroup(1, keyRows(1, 2))
  expect((await redis.pick(1))?.id).toBeDefined()
  await redis.close()
})
