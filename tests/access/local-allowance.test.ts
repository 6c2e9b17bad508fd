/**
 * The local allowance of high-RPM keys in front of the Redis counters: its bounds on their own, then two counter
 * instances (two nodes) on the real Redis: the admissions made locally reach the shared window, far fewer Redis
 * calls than admissions are made, and the limit holds within the documented bound.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import type { AdmitInput } from '../../server/access/counters'
import { LOCAL_FRESH_MS, LOCAL_MIN_RPM, LocalAllowance } from '../../server/access/local-allowance'
import { RedisAccessCounters, type CounterRedisClient } from '../../server/access/redis-counters'
import { redisUp, RedisFixture } from '../cluster/redis-env'

const T0 = 1_800_000_000_000
let seq = 0
const none = { rpm: 0, tpm: 0, concurrency: 0, tokenBudget: 0, costBudgetMicros: 0, periodStart: 0, periodEnd: null }
const input = (now: number, over: Partial<AdmitInput> = {}): AdmitInput => ({ ...none, keyId: 1, now, ticket: `l${++seq}`, ...over })
const view = (at: number, over: Partial<Parameters<LocalAllowance['see']>[1]> = {}) => ({
  requests: 0, requestsResetMs: 0, tokens: 0, tokensResetMs: 0, at, periodStart: 0, spentTokens: 0, spentCostMicros: 0, ...over,
})

describe('local allowance', () => {
  test('only keys with a high RPM limit and no concurrency limit', () => {
    expect(LocalAllowance.eligible(input(T0, { rpm: LOCAL_MIN_RPM - 1 }))).toBe(false)
    expect(LocalAllowance.eligible(input(T0, { rpm: LOCAL_MIN_RPM }))).toBe(true)
    expect(LocalAllowance.eligible(input(T0, { rpm: 100_000, concurrency: 5 }))).toBe(false)
  })

  test('no view, a stale view or another budget period: the exact path decides', () => {
    const l = new LocalAllowance()
    const lim = { rpm: 64_000 }
    expect(l.tryAdmit(input(T0, lim))).toBeNull()
    l.see(1, view(T0))
    expect(l.tryAdmit(input(T0 + LOCAL_FRESH_MS, lim))).not.toBeNull()
    expect(l.tryAdmit(input(T0 + LOCAL_FRESH_MS + 1, lim))).toBeNull()
    expect(l.tryAdmit(input(T0 + 10, { ...lim, periodStart: 5 }))).toBeNull()
  })

  test('at most 1/64 of the limit unsent, and only while the window is under half full', () => {
    const l = new LocalAllowance()
    const lim = { rpm: 6400 } // 100 unsent at most
    l.see(1, view(T0))
    let local = 0
    while (l.tryAdmit(input(T0, lim))) local++
    expect(local).toBe(100)
    const taken = l.take(1)!
    expect(taken.count).toBe(100)
    // being written: still counted against the half
    l.see(1, view(T0 + 1, { requests: 3100 }))
    expect(l.tryAdmit(input(T0 + 2, lim))).toBeNull()
    l.written(1, 100, view(T0 + 3, { requests: 3198 }))
    expect(l.tryAdmit(input(T0 + 4, lim))?.requests).toBe(3199)
    expect(l.tryAdmit(input(T0 + 4, lim))?.requests).toBe(3200)
    expect(l.tryAdmit(input(T0 + 4, lim))).toBeNull()
  })

  test('TPM and budgets: local only while under half spent', () => {
    const l = new LocalAllowance()
    l.see(1, view(T0, { tokens: 499, spentTokens: 10, spentCostMicros: 10 }))
    expect(l.tryAdmit(input(T0, { rpm: 10_000, tpm: 1000 }))).not.toBeNull()
    l.see(1, view(T0 + 1, { tokens: 500 }))
    expect(l.tryAdmit(input(T0 + 1, { rpm: 10_000, tpm: 1000 }))).toBeNull()
    l.see(1, view(T0 + 2, { spentTokens: 50 }))
    expect(l.tryAdmit(input(T0 + 2, { rpm: 10_000, tokenBudget: 100 }))).toBeNull()
    expect(l.tryAdmit(input(T0 + 2, { rpm: 10_000, tokenBudget: 101 }))).not.toBeNull()
    l.see(1, view(T0 + 3, { spentCostMicros: 1000 }))
    expect(l.tryAdmit(input(T0 + 3, { rpm: 10_000, costBudgetMicros: 2000 }))).toBeNull()
  })
})

const fixture = new RedisFixture()
afterAll(() => fixture.closeAll())

/** A client that counts the scripts it runs. */
function counting(client: CounterRedisClient): CounterRedisClient & { calls: number } {
  const c = {
    calls: 0,
    get isReady() {
      return client.isReady
    },
    evalSha: (sha: string, o: { keys: string[]; arguments: string[] }) => (c.calls++, client.evalSha(sha, o)),
    eval: (script: string, o: { keys: string[]; arguments: string[] }) => (c.calls++, client.eval(script, o)),
    hmGet: (k: string, f: string[]) => client.hmGet(k, f),
    del: (k: string[]) => client.del(k),
  }
  return c
}

describe.skipIf(!redisUp)('local allowance on Redis', () => {
  test('two nodes, one 6,400 RPM key: local admissions reach the shared window, few calls, the limit holds', async () => {
    const prefix = `${fixture.prefix}local:`
    const ca = counting((await fixture.connect('local-a')) as unknown as CounterRedisClient)
    const cb = counting((await fixture.connect('local-b')) as unknown as CounterRedisClient)
    const a = new RedisAccessCounters(ca, prefix)
    const b = new RedisAccessCounters(cb, prefix)
    const lim = { rpm: 6400 }
    let admitted = 0
    // 8,000 requests over 4 s (fake time), alternating nodes
    for (let i = 0; i < 8000; i++) {
      const r = await (i % 2 ? a : b).admit(input(T0 + Math.floor(i / 2), lim))
      if (r.ok) admitted++
      // let the batch timers run now and then, as a serving node's event loop does
      if (i % 200 === 0) await Bun.sleep(25)
    }
    // 3,200 could go local (the half), less what the views lag behind; each node holds at most 100 unsent
    expect(admitted).toBeGreaterThanOrEqual(6400)
    expect(admitted).toBeLessThanOrEqual(6400 + 2 * 100)
    expect(ca.calls + cb.calls).toBeLessThan(8000 - 2000)
    await Bun.sleep(60)
    // every admission is in the shared window now: an exact admission sees them all
    const c = new RedisAccessCounters(await fixture.connect('local-c'), prefix)
    const seen = await c.admit(input(T0 + 4000, { rpm: 100_000, concurrency: 1 }))
    expect(seen.requests).toBe(admitted + 1)
  })

  test('Redis not ready: no local admission (fails closed at once, as the exact path does)', async () => {
    const real = (await fixture.connect('local-d')) as unknown as CounterRedisClient
    let ready = true
    const client = counting(real)
    Object.defineProperty(client, 'isReady', { get: () => ready })
    const c = new RedisAccessCounters(client, `${fixture.prefix}ready:`)
    expect((await c.admit(input(T0, { rpm: 64_000 }))).ok).toBe(true)
    const before = client.calls
    expect((await c.admit(input(T0 + 1, { rpm: 64_000 }))).ok).toBe(true)
    expect(client.calls).toBe(before) // local
    ready = false
    expect((await c.admit(input(T0 + 2, { rpm: 64_000 }))).ok).toBe(true)
    expect(client.calls).toBeGreaterThan(before) // the exact path asked Redis
  })
})
