/**
 * Cost of one answer in integer micro-USD. A price per million tokens is exactly micro-USD per token, so the cost
 * is a sum of tokens times prices, rounded once. Cached and cache-write tokens are counted inside prompt_tokens by
 * every channel (server/channels/usage.ts); they are taken out of it and charged at their own prices.
 */
import type { ModelPrice } from '../../db/types'

export interface TokenUsage {
  prompt_tokens: number
  completion_tokens: number
  /** prompt tokens read from a cache */
  cached_tokens?: number
  /** prompt tokens written to a cache (Anthropic) */
  cache_write_tokens?: number
}

export type PriceRates = Pick<ModelPrice, 'input_per_mtok' | 'output_per_mtok' | 'cached_input_per_mtok' | 'cache_write_per_mtok'>

export function costMicros(p: PriceRates, u: TokenUsage): number {
  const prompt = Math.max(0, u.prompt_tokens)
  const cached = Math.min(Math.max(0, u.cached_tokens ?? 0), prompt)
  const written = Math.min(Math.max(0, u.cache_write_tokens ?? 0), prompt - cached)
  const fresh = prompt - cached - written
  const micros =
    fresh * p.input_per_mtok +
    cached * p.cached_input_per_mtok +
    written * p.cache_write_per_mtok +
    Math.max(0, u.completion_tokens) * p.output_per_mtok
  return Math.round(micros)
}

/** What a log row records: the cost, and whether any price matched the model at all. */
export interface Priced {
  cost_micros: number
  priced: boolean
}

export interface PriceLookup {
  lookup(model: string): PriceRates | null
}

export function priceAnswer(prices: PriceLookup, model: string, usage: TokenUsage | null): Priced {
  const rates = model ? prices.lookup(model) : null
  if (!rates) return { cost_micros: 0, priced: false }
  return { cost_micros: usage ? costMicros(rates, usage) : 0, priced: true }
}
