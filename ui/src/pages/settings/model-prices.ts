/** The model-price editor's rows (text as typed) and their conversion to the PUT body, checked first. */
import type { ModelPriceInput, ModelPriceView } from '../../api/types'
import { t } from '../../i18n'

export const PRICE_FIELDS = ['input_per_mtok', 'output_per_mtok', 'cached_input_per_mtok', 'cache_write_per_mtok'] as const
export type PriceField = (typeof PRICE_FIELDS)[number]

export type PriceRow = { id: number; model: string } & Record<PriceField, string>

let nextId = 0
export function priceRow(p?: ModelPriceView): PriceRow {
  return {
    id: ++nextId,
    model: p?.model ?? '',
    input_per_mtok: String(p?.input_per_mtok ?? 0),
    output_per_mtok: String(p?.output_per_mtok ?? 0),
    cached_input_per_mtok: String(p?.cached_input_per_mtok ?? 0),
    cache_write_per_mtok: String(p?.cache_write_per_mtok ?? 0),
  }
}

export function toPrices(rows: readonly PriceRow[]): { prices: ModelPriceInput[] } | { error: string } {
  const seen = new Set<string>()
  const prices: ModelPriceInput[] = []
  for (const r of rows) {
    const model = r.model.trim()
    if (!model) return { error: t('prices.errModel') }
    if (seen.has(model)) return { error: t('prices.errDuplicate', { model }) }
    seen.add(model)
    const amounts = {} as Record<PriceField, number>
    for (const f of PRICE_FIELDS) {
      const text = r[f].trim() || '0'
      if (!/^\d+(\.\d+)?$/.test(text)) return { error: t('prices.errAmount') }
      amounts[f] = Number(text)
    }
    prices.push({ model, ...amounts })
  }
  return { prices }
}
