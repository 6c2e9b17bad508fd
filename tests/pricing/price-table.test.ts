import { describe, expect, test } from 'bun:test'
import type { ModelPrice } from '../../db/types'
import { costMicros, priceAnswer } from '../../server/pricing/cost'
import { DEFAULT_PRICES, DEFAULT_PRICES_DATE } from '../../server/pricing/defaults'
import { compileGlob } from '../../server/pricing/glob'
import { PriceTable } from '../../server/pricing/price-table'

const row = (model: string, input: number, output = 0, cached = input, write = input, id = 0): ModelPrice => ({
  id, model, input_per_mtok: input, output_per_mtok: output, cached_input_per_mtok: cached, cache_write_per_mtok: write, updated_at: 0,
})

describe('globs', () => {
  test('* is any run, ? one character, the rest literal, case-insensitive', () => {
    const m = (p: string, s: string) => {
      const g = compileGlob(p)
      return g.re ? g.re.test(s.toLowerCase()) : g.pattern === s.toLowerCase()
    }
    expect(m('gpt-4o*', 'gpt-4o-2024-08-06')).toBe(true)
    expect(m('gpt-4o*', 'gpt-4')).toBe(false)
    expect(m('gpt-4.1*', 'gpt-4x1')).toBe(false) // the dot is a dot
    expect(m('o?-mini', 'o3-mini')).toBe(true)
    expect(m('o?-mini', 'o33-mini')).toBe(false)
    expect(m('*sonnet*', 'Claude-3-7-SONNET-latest')).toBe(true)
    expect(m('(a)+[b]', '(a)+[b]')).toBe(true)
  })
})

describe('PriceTable', () => {
  const table = new PriceTable([
    row('*', 100, 0, 100, 100, 1),
    row('gpt-4o*', 2.5, 10, 1.25, 2.5, 2),
    row('gpt-4o-mini*', 0.15, 0.6, 0.075, 0.15, 3),
    row('gpt-4o-2024-05-13', 5, 15, 5, 5, 4),
    row('gpt-4o-m?ni*', 9, 9, 9, 9, 5),
  ])
  const id = (model: string) => table.lookup(model)?.id ?? null

  test('the most specific match wins: exact, then more literal characters, then fewer wildcards', () => {
    expect(id('gpt-4o-2024-05-13')).toBe(4)
    expect(id('GPT-4O-2024-05-13')).toBe(4)
    expect(id('gpt-4o-2024-08-06')).toBe(2)
    expect(id('gpt-4o-mini-2024-07-18')).toBe(3) // 11 literals, one wildcard, beats gpt-4o-m?ni* (10 literals)
    expect(id('gpt-4o-mxni')).toBe(5)
    expect(id('llama-3')).toBe(1)
    expect(id('models/gpt-4o')).toBe(2) // Gemini-style prefix
  })

  test('no match and an empty name are unpriced; lookups are memoised and stay right', () => {
    const narrow = new PriceTable([row('claude-*', 3)])
    for (let i = 0; i < 3; i++) expect(narrow.lookup('gpt-4o')).toBeNull()
    expect(narrow.lookup('')).toBeNull()
    for (let i = 0; i < 10_000; i++) narrow.lookup(`claude-${i}`) // past the memo bound
    expect(narrow.lookup('claude-x')?.model).toBe('claude-*')
    expect(narrow.rows.map((r) => r.model)).toEqual(['claude-*'])
  })
})

describe('cost', () => {
  const p = row('m', 2.5, 10, 1.25, 3.75)

  test('micro-USD: uncached prompt, cached, cache-write and completion tokens each at their price', () => {
    expect(costMicros(p, { prompt_tokens: 1000, completion_tokens: 100 })).toBe(2500 + 1000)
    // 1000 prompt tokens of which 600 read from cache and 200 written to it
    expect(costMicros(p, { prompt_tokens: 1000, completion_tokens: 0, cached_tokens: 600, cache_write_tokens: 200 }))
      .toBe(200 * 2.5 + 600 * 1.25 + 200 * 3.75)
    // counts that do not add up never make a negative or doubled charge
    expect(costMicros(p, { prompt_tokens: 10, completion_tokens: 0, cached_tokens: 50, cache_write_tokens: 50 })).toBe(13)
    expect(costMicros(row('cheap', 0.05, 0.4), { prompt_tokens: 3, completion_tokens: 1 })).toBe(1) // 0.55 rounds to 1
  })

  test('priceAnswer: unknown model = 0 and priced false; no usage = 0 and priced true', () => {
    const t = new PriceTable([row('gpt-*', 1, 2)])
    expect(priceAnswer(t, 'gpt-x', { prompt_tokens: 10, completion_tokens: 10 })).toEqual({ cost_micros: 30, priced: true })
    expect(priceAnswer(t, 'gpt-x', null)).toEqual({ cost_micros: 0, priced: true })
    expect(priceAnswer(t, 'claude', { prompt_tokens: 10, completion_tokens: 10 })).toEqual({ cost_micros: 0, priced: false })
    expect(priceAnswer(t, '', { prompt_tokens: 10, completion_tokens: 10 })).toEqual({ cost_micros: 0, priced: false })
  })
})

describe('the shipped list', () => {
  const table = new PriceTable(DEFAULT_PRICES.map((p, i) => ({ ...p, id: i, updated_at: 0 })))
  const price = (model: string) => {
    const r = table.lookup(model)
    return r ? [r.input_per_mtok, r.output_per_mtok] : null
  }

  test('is dated, has no duplicate globs and no negative prices', () => {
    expect(DEFAULT_PRICES_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(new Set(DEFAULT_PRICES.map((p) => p.model.toLowerCase())).size).toBe(DEFAULT_PRICES.length)
    for (const p of DEFAULT_PRICES)
      for (const v of [p.input_per_mtok, p.output_per_mtok, p.cached_input_per_mtok, p.cache_write_per_mtok]) expect(v).toBeGreaterThanOrEqual(0)
  })

  test('prices the models of each family the way their names come back in answers', () => {
    expect(price('gpt-4o-2024-08-06')).toEqual([2.5, 10])
    expect(price('gpt-4o-mini-2024-07-18')).toEqual([0.15, 0.6])
    expect(price('gpt-4.1-nano-2025-04-14')).toEqual([0.1, 0.4])
    expect(price('o4-mini-2025-04-16')).toEqual([1.1, 4.4])
    expect(price('o3-2025-04-16')).toEqual([2, 8])
    expect(price('gpt-5-mini-2025-08-07')).toEqual([0.25, 2])
    expect(price('claude-sonnet-4-20250514')).toEqual([3, 15])
    expect(price('claude-opus-4-5-20251101')).toEqual([5, 25])
    expect(price('claude-opus-4-1-20250805')).toEqual([15, 75])
    expect(price('claude-3-5-haiku-20241022')).toEqual([0.8, 4])
    expect(price('gemini-2.5-flash-lite')).toEqual([0.1, 0.4])
    expect(price('gemini-2.5-pro')).toEqual([1.25, 10])
    expect(price('gemini-2.0-flash-001')).toEqual([0.1, 0.4])
    expect(price('some-local-llama')).toBeNull()
  })
})
