/**
 * Paced keys (`key_rpm_limit`, `key_concurrency_limit`): the behaviour both pools must have, run from the pool suite
 * with the same `make`. A key at a limit rests out of the rotation without a penalty and comes back by itself.
 */
import { describe, expect, test } from 'bun:test'
import { PACE_WAKE_PER_PICK, PACE_WINDOW_MS } from '../../server/pool/pace-window'
import type { KeyPace, KeyPool, PickedKey } from '../../server/pool/types'
import { keyRows, poolPerTest, type MakePool } from './helpers'

const G = 9
const rpm = (n: number): KeyPace => ({ rpm: n, concurrency: 0, leaseMs: 600_000 })
const conc = (n: number): KeyPace => ({ rpm: 0, concurrency: n, leaseMs: 600_000 })

async function picks(pool: KeyPool, n: number, pace: KeyPace): Promise<(PickedKey | null)[]> {
  const out: (PickedKey | null)[] = []
  for (let i = 0; i < n; i++) out.push(await pool.pick(G, undefined, pace))
  return out
}

/** every key's pick times: no RPM_LIMIT + 1 of them within one window */
function overPace(times: Map<number, number[]>, limit: number): number[] {
  const over: number[] = []
  for (const [id, ts] of times) for (let i = limit; i < ts.length; i++) if (ts[i]! - ts[i - limit]! < PACE_WINDOW_MS) over.push(id)
  return over
}

export function paceSuite(label: string, make: MakePool): void {
  describe(`KeyPool pacing (${label})`, () => {
    const setup = poolPerTest(make)

    test('an RPM-paced key serves its limit, rests until its window frees, and is not cooling', async () => {
      const { pool, clock, persisted } = await setup()
      await pool.loadGroup(G, keyRows(G, 3))
      const start = clock.now()
      const first = await picks(pool, 6, rpm(2))
      expect(first.map((k) => k?.id).sort()).toEqual([1, 1, 2, 2, 3, 3])
      clock.advance(10_000)
      expect(await pool.pick(G, undefined, rpm(2))).toBeNull()
      // resting is not cooling: the keys stay active, nothing reaches the store, the admin sees them paced
      expect(await pool.stats(G)).toEqual({ active: 3, cooling: 0, invalid: 0, disabled: 0 })
      const paced = await pool.paced(G, [1, 2, 3, 4])
      expect([...paced.keys()].sort()).toEqual([1, 2, 3])
      expect([...paced.values()].every((p) => p.kind === 'rpm' && p.until === start + PACE_WINDOW_MS)).toBe(true)
      expect(await pool.nextFree(G)).toBe(start + PACE_WINDOW_MS)
      clock.advance(PACE_WINDOW_MS - 10_001)
      expect(await pool.pick(G, undefined, rpm(2))).toBeNull()
      clock.advance(1)
      expect(new Set((await picks(pool, 6, rpm(2))).map((k) => k?.id))).toEqual(new Set([1, 2, 3]))
      expect(await pool.paced(G, [1, 2, 3])).toHaveProperty('size', 3)
      await pool.flush()
      expect(persisted.filter((u) => u.status !== undefined)).toEqual([])
    })

    test('under a steady load no key ever serves more than its limit within a sliding window', async () => {
      const { pool, clock } = await setup()
      await pool.loadGroup(G, keyRows(G, 5))
      const times = new Map<number, number[]>()
      let served = 0
      let refused = 0
      // 5 keys x 3 RPM = 15 a minute; offered: one pick every 2.5 s (24 a minute) for five minutes
      for (let i = 0; i < 120; i++) {
        const k = await pool.pick(G, undefined, rpm(3))
        if (k) {
          served++
          times.set(k.id, [...(times.get(k.id) ?? []), clock.now()])
        } else refused++
        clock.advance(2500)
      }
      expect(overPace(times, 3)).toEqual([])
      // every key was used up to its pace: 15 a minute over five minutes
      expect(served).toBe(75)
      expect(refused).toBe(45)
    })

    test('a lowered limit applies at once; a raised or removed one once the rests it caused end', async () => {
      const { pool, clock } = await setup()
      await pool.loadGroup(G, keyRows(G, 2))
      const ids = (await picks(pool, 6, rpm(5))).map((k) => k?.id)
      expect(ids.sort()).toEqual([1, 1, 1, 2, 2, 2])
      // both keys are in the rotation with three picks each: at a limit of 3 neither may serve
      expect(await pool.pick(G, undefined, rpm(3))).toBeNull()
      expect(await pool.pick(G, undefined, rpm(4))).toBeNull()
      clock.advance(PACE_WINDOW_MS)
      expect((await pool.pick(G, undefined, rpm(4)))?.id).toBeDefined()
      // no limit: the pick ignores the windows
      expect((await picks(pool, 4, rpm(0))).every((k) => k !== null)).toBe(true)
    })

    test('a key resting mid-walk does not hide a usable key behind the excluded ones', async () => {
      const { pool } = await setup()
      await pool.loadGroup(G, keyRows(G, 3))
      const p = rpm(5)
      // picks skewed by exclusion: key 1 twice, keys 2 and 3 once, the cursor on key 3's slot
      const ids = [await pool.pick(G, undefined, p), await pool.pick(G, new Set([2]), p), await pool.pick(G, undefined, p), await pool.pick(G, new Set([1, 3]), p)]
      expect(ids.map((k) => k?.id)).toEqual([1, 3, 1, 2])
      // at 2 a minute key 1 is over and rests; key 3 is excluded; key 2 still has one to serve
      expect((await pool.pick(G, new Set([3]), rpm(2)))?.id).toBe(2)
    })

    test('a key back from a 429 still respects its window', async () => {
      const { pool, clock } = await setup()
      await pool.loadGroup(G, keyRows(G, 2))
      const [a] = await picks(pool, 1, rpm(1))
      await pool.report(a!, { kind: 'rate_limited', retryAfterMs: 1000 }, { blacklistThreshold: 3 })
      clock.advance(1000)
      const next = await picks(pool, 3, rpm(1))
      expect(next.map((k) => k?.id ?? null)).toEqual([a!.id === 1 ? 2 : 1, null, null])
      expect(await pool.stats(G)).toEqual({ active: 2, cooling: 0, invalid: 0, disabled: 0 })
    })

    test('a concurrency-paced key rests until a request of it is released, once per pick', async () => {
      const { pool } = await setup()
      await pool.loadGroup(G, keyRows(G, 2))
      const [a, b] = await picks(pool, 2, conc(1))
      expect(a?.lease).toBeDefined()
      expect(await pool.pick(G, undefined, conc(1))).toBeNull()
      expect(await pool.paced(G, [1, 2])).toEqual(new Map([[1, { kind: 'concurrency' }], [2, { kind: 'concurrency' }]]))
      expect(await pool.nextFree(G)).not.toBeNull()
      await pool.release(a!)
      const again = await pool.pick(G, undefined, conc(1))
      expect(again?.id).toBe(a!.id)
      // a second release of the first pick must not free the slot the second pick holds
      await pool.release(a!)
      expect(await pool.pick(G, undefined, conc(1))).toBeNull()
      await pool.release(again!)
      await pool.release(b!)
      expect(new Set((await picks(pool, 2, conc(1))).map((k) => k?.id))).toEqual(new Set([1, 2]))
      // without a concurrency limit a pick holds nothing to release
      expect((await pool.pick(G, undefined, rpm(0)))?.lease).toBeUndefined()
    })

    test('both limits at once: two in flight, four a minute', async () => {
      const { pool, clock } = await setup()
      await pool.loadGroup(G, keyRows(G, 1))
      const pace: KeyPace = { rpm: 4, concurrency: 2, leaseMs: 600_000 }
      const [a, b, none] = await picks(pool, 3, pace)
      expect([a?.id, b?.id, none]).toEqual([1, 1, null])
      await pool.release(a!)
      const c = await pool.pick(G, undefined, pace)
      expect(c?.id).toBe(1)
      await pool.release(b!)
      await pool.release(c!)
      const d = await pool.pick(G, undefined, pace)
      await pool.release(d!)
      // four served this minute: nothing in flight, but the window is full
      expect(await pool.pick(G, undefined, pace)).toBeNull()
      expect((await pool.paced(G, [1])).get(1)?.kind).toBe('rpm')
      clock.advance(PACE_WINDOW_MS)
      expect((await pool.pick(G, undefined, pace))?.id).toBe(1)
    })

    test('a release after the group was reloaded still frees the slot', async () => {
      const { pool } = await setup()
      await pool.loadGroup(G, keyRows(G, 1))
      const k = await pool.pick(G, undefined, conc(1))
      await pool.loadGroup(G, keyRows(G, 2))
      expect((await pool.pick(G, undefined, conc(1)))?.id).toBe(2)
      expect(await pool.pick(G, undefined, conc(1))).toBeNull()
      await pool.release(k!)
      expect((await pool.pick(G, undefined, conc(1)))?.id).toBe(1)
    })

    test('over 100,000 paced keys a pick does not scan: resting keys leave the rotation, come back a few per pick', async () => {
      const { pool, clock, looked } = await setup()
      const n = 100_000
      await pool.loadGroup(G, keyRows(G, n))
      const round: (PickedKey | null)[] = []
      for (let done = 0; done < n; done += 1000)
        round.push(...(await Promise.all(Array.from({ length: 1000 }, () => pool.pick(G, undefined, rpm(1))))))
      expect(new Set(round.map((k) => k?.id)).size).toBe(n)
      // every key rests now: the next picks find an empty rotation without looking at a single key
      let before = looked()
      expect(await picks(pool, 10, rpm(1))).toEqual(Array(10).fill(null))
      expect(looked() - before).toBe(0)
      clock.advance(PACE_WINDOW_MS)
      // all 100,000 windows freed at once: each pick puts back a bounded number of them, never all
      before = looked()
      const back = await picks(pool, 10, rpm(1))
      expect(back.every((k) => k !== null)).toBe(true)
      expect(looked() - before).toBeLessThanOrEqual(10 * (PACE_WAKE_PER_PICK + 1))
      expect(await pool.stats(G)).toEqual({ active: n, cooling: 0, invalid: 0, disabled: 0 })
    })
  })
}
