/**
 * The behaviour every AccessCounters backend must have, with time passed in (no sleeping): run by
 * memory-counters.test.ts and redis-counters.test.ts with their own `make`.
 */
import { describe, expect, test } from 'bun:test'
import type { AccessCounters, AdmitInput } from '../../server/access/counters'

export type MakeCounters = () => Promise<AccessCounters>

const T0 = 1_800_000_000_000
let seq = 0
const none = { rpm: 0, tpm: 0, concurrency: 0, tokenBudget: 0, costBudgetMicros: 0, periodStart: 0, periodEnd: null }

function input(keyId: number, now: number, over: Partial<AdmitInput> = {}): AdmitInput {
  return { ...none, keyId, now, ticket: `t${++seq}`, ...over }
}

export function countersSuite(label: string, make: MakeCounters): void {
  describe(`${label}: access-key counters`, () => {
    test('RPM: a sliding 60 s window of admitted requests; refused ones do not count', async () => {
      const c = await make()
      const results = []
      for (let i = 0; i < 5; i++) results.push((await c.admit(input(1, T0 + i * 1000, { rpm: 3 }))).ok)
      expect(results).toEqual([true, true, true, false, false])
      const refused = await c.admit(input(1, T0 + 30_000, { rpm: 3 }))
      // the first admission (at T0) leaves the window at T0 + 60 s
      expect(refused).toEqual({ ok: false, reason: 'rpm', retryAfterMs: 30_000, requests: 3, requestsResetMs: 30_000, tokens: 0, tokensResetMs: 0 })
      // the window is (now - 60 s, now]
      expect((await c.admit(input(1, T0 + 59_999, { rpm: 3 }))).ok).toBe(false)
      expect((await c.admit(input(1, T0 + 60_000, { rpm: 3 }))).ok).toBe(true)
      expect((await c.admit(input(1, T0 + 60_001, { rpm: 3 }))).ok).toBe(false)
      expect((await c.admit(input(1, T0 + 61_000, { rpm: 3 }))).ok).toBe(true)
    })

    test('a window of thousands slides exactly', async () => {
      const c = await make()
      const lim = { rpm: 3000 }
      const admitted = async (at: (i: number) => number, n: number) => {
        let ok = 0
        for (let i = 0; i < n; i++) if ((await c.admit(input(5, at(i), lim))).ok) ok++
        return ok
      }
      // one admission per ms from T0
      expect(await admitted((i) => T0 + i, 3001)).toBe(3000)
      // at T0 + 61,500 the admissions of T0 … T0 + 1,500 have left the window: 1,501 free places
      expect(await admitted(() => T0 + 61_500, 2000)).toBe(1501)
    })

    test('keys do not share counters', async () => {
      const c = await make()
      expect((await c.admit(input(1, T0, { rpm: 1 }))).ok).toBe(true)
      expect((await c.admit(input(1, T0, { rpm: 1 }))).ok).toBe(false)
      expect((await c.admit(input(2, T0, { rpm: 1 }))).ok).toBe(true)
    })

    test('concurrency: leases released when the answer finishes', async () => {
      const c = await make()
      const a = input(1, T0, { concurrency: 2 })
      const b = input(1, T0, { concurrency: 2 })
      expect((await c.admit(a)).ok).toBe(true)
      expect((await c.admit(b)).ok).toBe(true)
      const third = await c.admit(input(1, T0, { concurrency: 2 }))
      expect(third.ok ? null : [third.reason, third.retryAfterMs]).toEqual(['concurrency', 1000])
      await c.finish({ keyId: 1, ticket: a.ticket, now: T0 + 10, tokens: 0, costMicros: 0, periodStart: 0, periodEnd: null })
      expect((await c.admit(input(1, T0 + 20, { concurrency: 2 }))).ok).toBe(true)
    })

    test('TPM: tokens of answers finished in the last 60 s', async () => {
      const c = await make()
      const lim = { tpm: 100 }
      const a = input(1, T0, lim)
      expect((await c.admit(a)).ok).toBe(true)
      await c.finish({ keyId: 1, ticket: a.ticket, now: T0 + 2000, tokens: 120, costMicros: 0, periodStart: 0, periodEnd: null })
      const refused = await c.admit(input(1, T0 + 3000, lim))
      expect(refused.ok).toBe(false)
      if (!refused.ok) {
        expect(refused.reason).toBe('tpm')
        expect(refused.tokens).toBe(120)
        // the tokens leave the window a minute after the answer finished (within the second it finished in)
        expect(refused.retryAfterMs).toBeGreaterThan(58_000)
        expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000)
      }
      expect((await c.admit(input(1, T0 + 63_000, lim))).ok).toBe(true)
    })

    test('budgets: tokens and cost per period, debited when answers finish; a new period starts empty', async () => {
      const c = await make()
      const period = { periodStart: T0, periodEnd: T0 + 86_400_000 }
      const lim = { tokenBudget: 1000, costBudgetMicros: 0, ...period }
      const a = input(1, T0 + 1, lim)
      expect((await c.admit(a)).ok).toBe(true)
      // admitted under budget, it may overshoot by its own cost
      await c.finish({ keyId: 1, ticket: a.ticket, now: T0 + 2, tokens: 1500, costMicros: 7, ...period })
      const refused = await c.admit(input(1, T0 + 1000, lim))
      expect(refused.ok ? null : [refused.reason, refused.retryAfterMs]).toEqual(['budget', 86_400_000 - 1000])
      expect(await c.spent(1, T0)).toEqual({ tokens: 1500, costMicros: 7 })
      const next = { periodStart: T0 + 86_400_000, periodEnd: T0 + 2 * 86_400_000 }
      expect((await c.admit(input(1, T0 + 86_400_001, { ...lim, ...next }))).ok).toBe(true)
      const costly = { tokenBudget: 0, costBudgetMicros: 5, periodStart: 0, periodEnd: null }
      const b = input(2, T0, costly)
      expect((await c.admit(b)).ok).toBe(true)
      await c.finish({ keyId: 2, ticket: b.ticket, now: T0, tokens: 1, costMicros: 5, periodStart: 0, periodEnd: null })
      const spent = await c.admit(input(2, T0, costly))
      // a total budget never resets: no Retry-After
      expect(spent.ok ? null : [spent.reason, spent.retryAfterMs]).toEqual(['budget', null])
    })

    test('seed: what the store says was spent, only when the counters know nothing of the period', async () => {
      const c = await make()
      await c.seed(3, T0, T0 + 1000, { tokens: 50, costMicros: 2 })
      await c.seed(3, T0, T0 + 1000, { tokens: 999, costMicros: 999 })
      expect(await c.spent(3, T0)).toEqual({ tokens: 50, costMicros: 2 })
      const r = await c.admit(input(3, T0, { tokenBudget: 50, periodStart: T0, periodEnd: T0 + 1000 }))
      expect(r.ok).toBe(false)
    })

    test('drop forgets a key', async () => {
      const c = await make()
      expect((await c.admit(input(4, T0, { rpm: 1 }))).ok).toBe(true)
      await c.drop(4)
      expect((await c.admit(input(4, T0, { rpm: 1 }))).ok).toBe(true)
    })
  })
}
