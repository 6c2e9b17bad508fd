/**
 * The behaviour every KeyPool must have. Run by memory.test.ts and redis.test.ts with their own `make`.
 * `make` returns a pool whose timer does not flush during a test (a long interval) and the list its persist
 * callback appends to, so batching is observable with `flush()`.
 */
import { describe, expect, test } from 'bun:test'
import type { KeyStateUpdate } from '../../db/types'
import { COOLDOWN_BASE_MS, COOLDOWN_MAX_MS } from '../../server/pool/cooldown'
import type { KeyPool, PickedKey, PoolPolicy } from '../../server/pool/types'
import { keyRow, keyRows, poolPerTest, type MakePool } from './helpers'
import { paceSuite } from './pace.suite'

/** `looked`: keys the pool's picks looked at so far (asserts that a pick does not scan) */
export type { MakePool } from './helpers'

const G = 7
const policy: PoolPolicy = { blacklistThreshold: 3 }

async function pickIds(pool: KeyPool, groupId: number, n: number, exclude?: ReadonlySet<number>): Promise<(number | null)[]> {
  const ids: (number | null)[] = []
  for (let i = 0; i < n; i++) ids.push((await pool.pick(groupId, exclude))?.id ?? null)
  return ids
}

/** many picks, 1,000 at a time: the Redis client pipelines them (each is still one script and one answer) */
async function pickMany(pool: KeyPool, groupId: number, n: number): Promise<(PickedKey | null)[]> {
  const out: (PickedKey | null)[] = []
  for (let done = 0; done < n; done += 1000) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(1000, n - done) }, () => pool.pick(groupId)))))
  }
  return out
}

function countBy(ids: (number | null)[]): Map<number | null, number> {
  const m = new Map<number | null, number>()
  for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1)
  return m
}

/** the picked-key handle of a key without consuming a pick */
function handle(id: number, groupId = G): PickedKey {
  return { id, groupId, value: '', hash: `hash-${id}` }
}

/** the state fields (no counters) persisted for one key, in order */
function statesOf(persisted: KeyStateUpdate[], id: number): Omit<KeyStateUpdate, 'id' | 'requests' | 'last_used_at'>[] {
  return persisted
    .filter((u) => u.id === id)
    .map(({ id: _id, requests: _r, last_used_at: _l, ...state }) => state)
    .filter((s) => Object.keys(s).length > 0)
}

export function poolSuite(label: string, make: MakePool): void {
  paceSuite(label, make)
  describe(`KeyPool (${label})`, () => {
    const setup = poolPerTest(make)

    test('round-robin is fair: N picks give each of N keys once', async () => {
      const { pool } = await setup()
      await pool.loadGroup(G, keyRows(G, 5))
      const first = await pickIds(pool, G, 5)
      expect(new Set(first)).toEqual(new Set([1, 2, 3, 4, 5]))
      expect(countBy(await pickIds(pool, G, 15))).toEqual(new Map([[1, 3], [2, 3], [3, 3], [4, 3], [5, 3]]))
    })

    test('a picked key carries its group, value and hash', async () => {
      const { pool } = await setup()
      await pool.loadGroup(G, [keyRow(42, G)])
      expect(await pool.pick(G)).toMatchObject({ id: 42, groupId: G, value: 'sk-test-7-42-secret', hash: 'hash-42' })
    })

    test('exclude skips the keys already tried; all excluded = null', async () => {
      const { pool } = await setup()
      await pool.loadGroup(G, keyRows(G, 3))
      expect(await pickIds(pool, G, 4, new Set([1, 3]))).toEqual([2, 2, 2, 2])
      expect(await pool.pick(G, new Set([1, 2, 3]))).toBeNull()
      expect(await pool.pick(G, new Set([2]))).not.toBeNull()
    })

    test('no usable key, unknown group or empty group: null', async () => {
      const { pool } = await setup()
      expect(await pool.pick(999)).toBeNull()
      await pool.loadGroup(G, [])
      expect(await pool.pick(G)).toBeNull()
      await pool.loadGroup(G, [keyRow(1, G, { status: 'invalid' }), keyRow(2, G, { status: 'disabled' })])
      expect(await pool.pick(G)).toBeNull()
    })

    test('rate limit cools the key for retryAfterMs, then it comes back', async () => {
      const { pool, clock, persisted } = await setup()
      await pool.loadGroup(G, keyRows(G, 2))
      await pool.report(handle(1), { kind: 'rate_limited', retryAfterMs: 5000 }, policy)
      expect(await pool.stats(G)).toEqual({ active: 1, cooling: 1, invalid: 0, disabled: 0 })
      expect(await pickIds(pool, G, 3)).toEqual([2, 2, 2])
      clock.advance(4999)
      expect(await pickIds(pool, G, 2)).toEqual([2, 2])
      clock.advance(1)
      expect(new Set(await pickIds(pool, G, 2))).toEqual(new Set([1, 2]))
      await pool.flush()
      expect(statesOf(persisted, 1)).toEqual([{ status: 'active', cooling_until: null }])
      // both changes were merged into one batch: the last state wins, the cooling was still queued
      expect(persisted.filter((u) => u.id === 1)).toHaveLength(1)
    })

    test('a cooling state reaches the store when flushed before the key wakes', async () => {
      const { pool, clock, persisted } = await setup()
      await pool.loadGroup(G, keyRows(G, 1))
      await pool.report(handle(1), { kind: 'rate_limited', retryAfterMs: 2500 }, policy)
      await pool.flush()
      expect(statesOf(persisted, 1)).toEqual([{ status: 'cooling', cooling_until: clock.now() + 2500 }])
      expect(await pool.pick(G)).toBeNull()
    })

    test('default cooldown grows on repeated rate limits and resets after a success', async () => {
      const { pool, clock, persisted } = await setup()
      await pool.loadGroup(G, keyRows(G, 1))
      const seen: number[] = []
      const rateLimit = async () => {
        const start = clock.now()
        await pool.report(handle(1), { kind: 'rate_limited', retryAfterMs: null }, policy)
        await pool.flush()
        const last = statesOf(persisted, 1).at(-1)
        seen.push((last?.cooling_until ?? 0) - start)
        clock.advance(last?.cooling_until ? last.cooling_until - start : 0)
        expect((await pool.pick(G))?.id).toBe(1)
      }
      for (let i = 0; i < 7; i++) await rateLimit()
      const m = COOLDOWN_BASE_MS
      expect(seen).toEqual([m, 2 * m, 4 * m, 8 * m, 16 * m, COOLDOWN_MAX_MS, COOLDOWN_MAX_MS])
      await pool.report(handle(1), { kind: 'success' }, policy)
      await rateLimit()
      expect(seen.at(-1)).toBe(m)
    })

    test('key failures reach the threshold: invalid, never picked again', async () => {
      const { pool, persisted } = await setup()
      await pool.loadGroup(G, keyRows(G, 2))
      await pool.report(handle(1), { kind: 'key_failure', reason: '401' }, policy)
      await pool.report(handle(1), { kind: 'key_failure', reason: '401' }, policy)
      expect((await pool.stats(G)).invalid).toBe(0)
      await pool.report(handle(1), { kind: 'key_failure', reason: '401' }, policy)
      expect(await pool.stats(G)).toEqual({ active: 1, cooling: 0, invalid: 1, disabled: 0 })
      expect(await pickIds(pool, G, 4)).toEqual([2, 2, 2, 2])
      await pool.flush()
      expect(statesOf(persisted, 1)).toEqual([{ failure_count: 3, status: 'invalid', cooling_until: null }])
    })

    test('a rate limit is not a key failure', async () => {
      const { pool, clock } = await setup()
      await pool.loadGroup(G, keyRows(G, 1))
      for (let i = 0; i < 5; i++) {
        await pool.report(handle(1), { kind: 'rate_limited', retryAfterMs: 10 }, { blacklistThreshold: 1 })
        clock.advance(10)
      }
      expect(await pool.stats(G)).toEqual({ active: 1, cooling: 0, invalid: 0, disabled: 0 })
    })

    test('threshold 0 never blacklists', async () => {
      const { pool } = await setup()
      await pool.loadGroup(G, keyRows(G, 1))
      for (let i = 0; i < 20; i++) await pool.report(handle(1), { kind: 'key_failure', reason: 'x' }, { blacklistThreshold: 0 })
      expect(await pool.stats(G)).toEqual({ active: 1, cooling: 0, invalid: 0, disabled: 0 })
      expect((await pool.pick(G))?.id).toBe(1)
    })

    test('success resets failures, persisting the reset only when there was something to reset', async () => {
      const { pool, persisted } = await setup()
      await pool.loadGroup(G, [keyRow(1, G), keyRow(2, G, { failure_count: 2 })])
      await pool.report(handle(1), { kind: 'success' }, policy)
      await pool.report(handle(2), { kind: 'success' }, policy)
      await pool.flush()
      expect(statesOf(persisted, 1)).toEqual([])
      expect(statesOf(persisted, 2)).toEqual([{ failure_count: 0 }])
      // after the reset the count starts again: two more failures do not reach 3
      await pool.report(handle(2), { kind: 'key_failure', reason: 'x' }, policy)
      await pool.report(handle(2), { kind: 'key_failure', reason: 'x' }, policy)
      expect((await pool.stats(G)).invalid).toBe(0)
    })

    test('neutral outcomes change nothing but the counters', async () => {
      const { pool, persisted } = await setup()
      await pool.loadGroup(G, keyRows(G, 1))
      for (let i = 0; i < 5; i++) await pool.report(handle(1), { kind: 'neutral' }, { blacklistThreshold: 1 })
      await pool.flush()
      expect(persisted.map((u) => ({ ...u, last_used_at: 0 }))).toEqual([{ id: 1, requests: 5, last_used_at: 0 }])
      expect((await pool.stats(G)).active).toBe(1)
    })

    test('disabled keys are never picked nor restored by a success or a rate limit', async () => {
      const { pool, persisted } = await setup()
      await pool.loadGroup(G, keyRows(G, 3))
      await pool.setStatus(G, [2], 'disabled')
      expect(statesOf(persisted, 2)).toEqual([{ status: 'disabled', cooling_until: null }])
      await pool.report(handle(2), { kind: 'success' }, policy)
      await pool.report(handle(2), { kind: 'rate_limited', retryAfterMs: 1 }, policy)
      expect(countBy(await pickIds(pool, G, 6))).toEqual(new Map([[1, 3], [3, 3]]))
      expect(await pool.stats(G)).toEqual({ active: 2, cooling: 0, invalid: 0, disabled: 1 })
      await pool.setStatus(G, [2], 'active')
      expect(new Set(await pickIds(pool, G, 3))).toEqual(new Set([1, 2, 3]))
    })

    test('setStatus restore: an invalid key is active again with failures 0, at once and persisted', async () => {
      const { pool, persisted } = await setup()
      await pool.loadGroup(G, [keyRow(1, G, { status: 'invalid', failure_count: 5 })])
      expect(await pool.pick(G)).toBeNull()
      await pool.setStatus(G, [1, 999], 'active')
      expect((await pool.pick(G))?.id).toBe(1)
      expect(statesOf(persisted, 1)).toEqual([{ status: 'active', cooling_until: null, failure_count: 0 }])
      expect(persisted.some((u) => u.id === 999)).toBe(false)
      // the failures were reset: it takes the full threshold again
      await pool.report(handle(1), { kind: 'key_failure', reason: 'x' }, policy)
      await pool.report(handle(1), { kind: 'key_failure', reason: 'x' }, policy)
      expect((await pool.stats(G)).active).toBe(1)
    })

    test('stats counts the four states from loaded rows; a cooling row whose time passed is active', async () => {
      const { pool, clock } = await setup()
      const now = clock.now()
      await pool.loadGroup(G, [
        keyRow(1, G),
        keyRow(2, G, { status: 'cooling', cooling_until: now + 60_000 }),
        keyRow(3, G, { status: 'cooling', cooling_until: now - 1 }),
        keyRow(4, G, { status: 'invalid', failure_count: 3 }),
        keyRow(5, G, { status: 'disabled' }),
        keyRow(6, G, { status: 'disabled' }),
      ])
      expect(await pool.stats(G)).toEqual({ active: 2, cooling: 1, invalid: 1, disabled: 2 })
      expect(new Set(await pickIds(pool, G, 4))).toEqual(new Set([1, 3]))
      clock.advance(60_000)
      expect(await pool.stats(G)).toEqual({ active: 3, cooling: 0, invalid: 1, disabled: 2 })
      expect(await pool.stats(12345)).toEqual({ active: 0, cooling: 0, invalid: 0, disabled: 0 })
    })

    test('counters are batched: N reports give one update per key on flush', async () => {
      const { pool, clock, persisted } = await setup()
      await pool.loadGroup(G, keyRows(G, 2))
      for (let i = 0; i < 10; i++) {
        await pool.report(handle(1), { kind: 'success' }, policy)
        if (i % 2 === 0) await pool.report(handle(2), { kind: 'neutral' }, policy)
        clock.advance(1000)
      }
      expect(persisted).toEqual([])
      await pool.flush()
      const t = clock.now()
      expect(persisted.sort((a, b) => a.id - b.id)).toEqual([
        { id: 1, requests: 10, last_used_at: t - 1000 },
        { id: 2, requests: 5, last_used_at: t - 2000 },
      ])
      await pool.flush()
      expect(persisted).toHaveLength(2)
    })

    test('loadGroup merges: new keys added, deleted ones gone, live states kept', async () => {
      const { pool } = await setup()
      await pool.loadGroup(G, keyRows(G, 3))
      await pool.report(handle(1), { kind: 'rate_limited', retryAfterMs: 60_000 }, policy)
      // the rows still say key 1 is active (its cooling is not flushed yet); key 3 was deleted, 4 added
      await pool.loadGroup(G, [keyRow(1, G), keyRow(2, G), keyRow(4, G, { status: 'disabled' }), keyRow(5, G)])
      expect(await pool.stats(G)).toEqual({ active: 2, cooling: 1, invalid: 0, disabled: 1 })
      expect(new Set(await pickIds(pool, G, 4))).toEqual(new Set([2, 5]))
      await pool.report(handle(3), { kind: 'success' }, policy)
    })

    test('dropGroup forgets the group', async () => {
      const { pool } = await setup()
      await pool.loadGroup(G, keyRows(G, 2))
      await pool.dropGroup(G)
      expect(await pool.pick(G)).toBeNull()
      expect(await pool.stats(G)).toEqual({ active: 0, cooling: 0, invalid: 0, disabled: 0 })
    })

    test('groups are independent', async () => {
      const { pool } = await setup()
      await pool.loadGroup(1, keyRows(1, 2, 1))
      await pool.loadGroup(2, keyRows(2, 2, 11))
      await pool.report(handle(1, 1), { kind: 'key_failure', reason: 'x' }, { blacklistThreshold: 1 })
      expect(await pickIds(pool, 1, 2)).toEqual([2, 2])
      expect(new Set(await pickIds(pool, 2, 2))).toEqual(new Set([11, 12]))
    })

    test('a 100,000-key group picks each key once per round and reports correctly (and picks stay distinct after keys leave)', async () => {
      const { pool, clock } = await setup()
      const n = 100_000
      await pool.loadGroup(G, keyRows(G, n))
      const round = await pickMany(pool, G, n)
      expect(new Set(round.map((k) => k?.id)).size).toBe(n)
      await pool.report(handle(1), { kind: 'key_failure', reason: 'x' }, { blacklistThreshold: 1 })
      await pool.report(handle(n), { kind: 'rate_limited', retryAfterMs: 1000 }, policy)
      await pool.setStatus(G, [n / 2], 'disabled')
      expect(await pool.stats(G)).toEqual({ active: n - 3, cooling: 1, invalid: 1, disabled: 1 })
      // the next picks walk the slots the removed keys were swapped out of
      const next = await pickMany(pool, G, 1000)
      const ids = new Set(next.map((k) => k?.id))
      expect(ids.size).toBe(1000)
      expect([1, n, n / 2].some((id) => ids.has(id))).toBe(false)
      clock.advance(1000)
      expect(await pool.stats(G)).toEqual({ active: n - 2, cooling: 0, invalid: 1, disabled: 1 })
    })
  })
}
