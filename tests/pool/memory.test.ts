import { expect, test } from 'bun:test'
import type { KeyStateUpdate } from '../../db/types'
import { MemoryKeyPool } from '../../server/pool/memory'
import { keyRows, ManualClock } from './helpers'
import { poolSuite } from './pool.suite'

poolSuite('memory', async (clock) => {
  const persisted: KeyStateUpdate[] = []
  const pool = new MemoryKeyPool({ persist: async (u) => void persisted.push(...u), clock, flushIntervalMs: 3_600_000 })
  return { pool, persisted, looked: () => pool.work.looked }
})

test('a failing persist neither crashes the pool nor loses the updates', async () => {
  const written: KeyStateUpdate[] = []
  let fail = true
  const clock = new ManualClock()
  const pool = new MemoryKeyPool({
    clock,
    flushIntervalMs: 3_600_000,
    persist: async (u) => {
      if (fail) throw new Error('db down')
      written.push(...u)
    },
  })
  await pool.loadGroup(1, keyRows(1, 1))
  const key = pool.pick(1)!
  pool.report(key, { kind: 'key_failure', reason: '401' }, { blacklistThreshold: 1 })
  await expect(pool.flush()).rejects.toThrow('db down')
  pool.report(key, { kind: 'neutral' }, { blacklistThreshold: 1 })
  fail = false
  await pool.close()
  expect(written).toEqual([
    { id: 1, requests: 2, last_used_at: clock.now(), failure_count: 1, status: 'invalid', cooling_until: null },
  ])
})

test('the timer flushes on its own every flushIntervalMs', async () => {
  const { promise, resolve } = Promise.withResolvers<KeyStateUpdate[]>()
  const pool = new MemoryKeyPool({ clock: new ManualClock(), flushIntervalMs: 5, persist: async (u) => resolve(u) })
  await pool.loadGroup(1, keyRows(1, 1))
  pool.report(pool.pick(1)!, { kind: 'success' }, { blacklistThreshold: 3 })
  expect((await promise).map((u) => u.requests)).toEqual([1])
  await pool.close()
})
