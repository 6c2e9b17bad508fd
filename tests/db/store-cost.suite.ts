// Model prices, cost columns, per-access-key hourly stats and usage totals of a Store backend (part of storeSuite).
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { identityCipher } from '../../db/cipher'
import type { HourlyStat, KeyCipher, NewModelPrice, Store } from '../../db/types'
import { logRow } from './fixtures'

const HOUR = 3_600_000
const T0 = 1_700_000_000_000

const price = (model: string, input: number, output = input * 4): NewModelPrice => ({
  model, input_per_mtok: input, output_per_mtok: output, cached_input_per_mtok: input / 10, cache_write_per_mtok: input * 1.25,
})

function usage(over: Partial<HourlyStat>): HourlyStat {
  return {
    hour: T0, group_id: 1, access_key_id: 0, model: '', success_count: 1, failure_count: 0, prompt_tokens: 10,
    completion_tokens: 20, cost_micros: 100, cache_hits: 0, ...over,
  }
}

export function costSuite(label: string, open: (cipher: KeyCipher) => Promise<Store>): void {
  describe(`${label}: cost, access keys and model prices`, () => {
    let store: Store
    beforeEach(async () => {
      store = await open(identityCipher)
    })
    afterEach(async () => {
      await store.close()
    })

    test('a log row keeps access_key_id, cost and cache counts; the log filter finds rows by access key', async () => {
      const a = logRow({ path: 'a', access_key_id: 7, cost_micros: 12_345_678_901, priced: true, cached_tokens: 3, cache_write_tokens: 2 })
      const b = logRow({ path: 'b', timestamp: T0 + 1, access_key_id: 8 })
      const c = logRow({ path: 'c', timestamp: T0 + 2, access_key_id: null })
      await store.insertLogs([a, b, c])
      const all = (await store.queryLogs({ page: 1, page_size: 10 })).items
      expect(all.find((r) => r.path === 'a')).toEqual({ ...a, id: all.find((r) => r.path === 'a')!.id })
      const paths = async (access_key_id: number) =>
        (await store.queryLogs({ access_key_id, page: 1, page_size: 10 })).items.map((r) => r.path)
      expect(await paths(7)).toEqual(['a'])
      expect(await paths(8)).toEqual(['b'])
      expect(await paths(9)).toEqual([])
    })

    test('hourly stats are kept per access key and model, cost added up; filters by group and access key', async () => {
      await store.addHourlyStats([
        usage({ access_key_id: 1, model: 'gpt-4o' }),
        usage({ access_key_id: 1, model: 'gpt-4o', success_count: 0, failure_count: 1, cost_micros: 50 }),
        usage({ access_key_id: 2, model: 'gpt-4o' }),
        usage({ access_key_id: 1, model: 'claude' }),
      ])
      await store.addHourlyStats([usage({ access_key_id: 1, model: 'gpt-4o', cost_micros: 1 })])
      const rows = await store.hourlyStats(T0, T0 + HOUR)
      expect(rows).toEqual([
        usage({ access_key_id: 1, model: 'claude' }),
        usage({ access_key_id: 1, model: 'gpt-4o', success_count: 2, failure_count: 1, prompt_tokens: 30, completion_tokens: 60, cost_micros: 151 }),
        usage({ access_key_id: 2, model: 'gpt-4o' }),
      ])
      expect((await store.hourlyStats(T0, T0 + HOUR, undefined, 2)).map((r) => r.access_key_id)).toEqual([2])
      expect(await store.hourlyStats(T0, T0 + HOUR, 5)).toEqual([])
    })

    test('usageTotals sums a range per access key or per model, by cost or by requests', async () => {
      await store.addHourlyStats([
        usage({ access_key_id: 1, model: 'a', success_count: 10, cost_micros: 10 }),
        usage({ access_key_id: 1, model: 'b', hour: T0 + HOUR, success_count: 1, cost_micros: 500 }),
        usage({ access_key_id: 2, model: 'b', success_count: 3, failure_count: 2, cost_micros: 200 }),
        usage({ access_key_id: 0, model: 'c', group_id: 2, success_count: 1, cost_micros: 1 }),
        // outside the range
        usage({ access_key_id: 3, model: 'z', hour: T0 + 5 * HOUR, success_count: 99, cost_micros: 9999 }),
      ])
      const q = { since: T0, until: T0 + 2 * HOUR, limit: 10 }
      expect(await store.usageTotals({ ...q, by: 'access_key', order: 'cost' })).toEqual([
        { access_key_id: 1, model: '', requests: 11, failures: 0, prompt_tokens: 20, completion_tokens: 40, cost_micros: 510 },
        { access_key_id: 2, model: '', requests: 5, failures: 2, prompt_tokens: 10, completion_tokens: 20, cost_micros: 200 },
        { access_key_id: 0, model: '', requests: 1, failures: 0, prompt_tokens: 10, completion_tokens: 20, cost_micros: 1 },
      ])
      expect((await store.usageTotals({ ...q, by: 'model', order: 'requests' })).map((r) => [r.model, r.requests])).toEqual([
        ['a', 10], ['b', 6], ['c', 1],
      ])
      expect((await store.usageTotals({ ...q, by: 'model', order: 'cost', limit: 1 })).map((r) => r.model)).toEqual(['b'])
      expect((await store.usageTotals({ ...q, by: 'model', order: 'cost', group_id: 2 })).map((r) => r.model)).toEqual(['c'])
    })

    test('model prices: seeded once (an emptied list stays empty), replaced whole, listed by model', async () => {
      expect(await store.seedModelPrices([price('gpt-4o*', 2.5), price('claude-*', 3)], 'seeded', 'd1')).toBe(true)
      expect(await store.seedModelPrices([price('other', 1)], 'seeded', 'd2')).toBe(false)
      expect((await store.listModelPrices()).map((p) => p.model)).toEqual(['claude-*', 'gpt-4o*'])
      expect(await store.getMeta('seeded')).toBe('d1')
      const rows = await store.replaceModelPrices([price('b', 0.125, 1), price('a', 1.5)])
      expect(rows.map(({ id: _, updated_at: __, ...r }) => r)).toEqual([price('a', 1.5), price('b', 0.125, 1)])
      expect(rows.every((r) => r.updated_at > 0)).toBe(true)
      expect(await store.listModelPrices()).toEqual(rows)
      await store.replaceModelPrices([])
      expect(await store.seedModelPrices([price('x', 1)], 'seeded', 'd3')).toBe(false)
      expect(await store.listModelPrices()).toEqual([])
    })
  })
}
