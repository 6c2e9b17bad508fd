/** Shapes of the model-price routes and the dashboard's cost views (TypeBox; beside schemas.ts, same rules). */
import { t, type Static } from 'elysia'
import { literalUnion as lit } from '../shared/literal-union'

/** USD per million tokens; `model` is a glob (`*` any run, `?` one character), the most specific match wins. */
export const ModelPriceView = t.Object({
  id: t.Integer(),
  model: t.String(),
  input_per_mtok: t.Number(),
  output_per_mtok: t.Number(),
  cached_input_per_mtok: t.Number(),
  cache_write_per_mtok: t.Number(),
  updated_at: t.Integer(),
})
/** One row of `PUT /api/model-prices`; a missing cache price is the input price. */
export const ModelPriceInput = t.Object({
  model: t.String(),
  input_per_mtok: t.Number(),
  output_per_mtok: t.Number(),
  cached_input_per_mtok: t.Optional(t.Number()),
  cache_write_per_mtok: t.Optional(t.Number()),
})
/** the whole list: it replaces the stored one */
export const ModelPricesBody = t.Object({ prices: t.Array(ModelPriceInput) })
export const ModelPriceList = t.Object({
  items: t.Array(ModelPriceView),
  /** the date of the list keypool ships (what reset restores) */
  defaults_date: t.String(),
})
export const ModelPriceMatchQuery = t.Object({ model: t.String() })
export const ModelPriceMatch = t.Object({ model: t.String(), price: t.Nullable(ModelPriceView) })

export const TopQuery = t.Object({
  by: lit(['access_key', 'model'] as const),
  /** default cost */
  order: t.Optional(lit(['cost', 'requests'] as const)),
  /** ISO 8601 or epoch ms; default 24 h before end_time */
  start_time: t.Optional(t.String()),
  /** ISO 8601 or epoch ms; default now */
  end_time: t.Optional(t.String()),
  limit: t.Optional(t.Numeric({ description: '1 to 100, default 10' })),
  group_id: t.Optional(t.Numeric()),
})
export const TopItem = t.Object({
  /** the access key (null: requests made with proxy keys) when by=access_key, else null */
  access_key_id: t.Nullable(t.Integer()),
  /** the model when by=model, else '' */
  model: t.String(),
  requests: t.Integer(),
  failures: t.Integer(),
  prompt_tokens: t.Integer(),
  completion_tokens: t.Integer(),
  cost_micros: t.Integer(),
  cost_usd: t.Number(),
})
export const TopList = t.Object({
  by: lit(['access_key', 'model'] as const),
  order: lit(['cost', 'requests'] as const),
  start_time: t.Integer(),
  end_time: t.Integer(),
  items: t.Array(TopItem),
})

export type ModelPriceView = Static<typeof ModelPriceView>
export type ModelPriceInput = Static<typeof ModelPriceInput>
export type ModelPriceList = Static<typeof ModelPriceList>
export type ModelPriceMatch = Static<typeof ModelPriceMatch>
export type TopQuery = Static<typeof TopQuery>
export type TopItem = Static<typeof TopItem>
export type TopList = Static<typeof TopList>
