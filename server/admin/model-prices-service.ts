/** Checks a new model price list (every message names the row and field at fault) and hands it to the price book. */
import type { NewModelPrice } from '../../db/types'
import { validationError } from '../shared/errors'
import type { ModelPriceInput } from './pricing-schemas'

const MAX_ROWS = 5000
const MAX_MODEL_CHARS = 200
/** no model costs more than this per million tokens; a bigger number is a typo (a per-token price pasted ×10^6) */
const MAX_PRICE = 100_000

function priceOf(row: number, field: string, v: number | undefined, fallback?: number): number {
  const value = v ?? fallback
  if (value === undefined || !Number.isFinite(value) || value < 0 || value > MAX_PRICE)
    throw validationError(`prices[${row}].${field} must be a number of USD per million tokens from 0 to ${MAX_PRICE}`)
  return value
}

export function checkPriceList(rows: ModelPriceInput[]): NewModelPrice[] {
  if (rows.length > MAX_ROWS) throw validationError(`prices may hold at most ${MAX_ROWS} rows`)
  const seen = new Set<string>()
  return rows.map((r, i) => {
    const model = r.model.trim()
    if (model === '' || model.length > MAX_MODEL_CHARS)
      throw validationError(`prices[${i}].model must be a model name or glob of 1 to ${MAX_MODEL_CHARS} characters`)
    if (seen.has(model.toLowerCase())) throw validationError(`prices[${i}].model "${model}" is listed twice`)
    seen.add(model.toLowerCase())
    const input = priceOf(i, 'input_per_mtok', r.input_per_mtok)
    return {
      model,
      input_per_mtok: input,
      output_per_mtok: priceOf(i, 'output_per_mtok', r.output_per_mtok),
      cached_input_per_mtok: priceOf(i, 'cached_input_per_mtok', r.cached_input_per_mtok, input),
      cache_write_per_mtok: priceOf(i, 'cache_write_per_mtok', r.cache_write_per_mtok, input),
    }
  })
}
