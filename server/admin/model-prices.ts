/**
 * `GET/PUT /api/model-prices` (the whole list; PUT replaces it), `POST /api/model-prices/reset` (the shipped list)
 * and `GET /api/model-prices/match?model=` (which row prices a model). A change reprices the next request on every
 * node: the price book reloads here and tells the others through the config bus.
 */
import { Elysia } from 'elysia'
import { DEFAULT_PRICES_DATE } from '../pricing/defaults'
import type { PriceBook } from '../pricing/price-book'
import { authGuard } from './auth'
import type { AdminContext } from './context'
import { ok } from './envelope'
import { checkPriceList } from './model-prices-service'
import { ModelPriceList, ModelPriceMatch, ModelPriceMatchQuery, ModelPricesBody } from './pricing-schemas'
import { Envelope } from './schemas'

const listOf = (prices: PriceBook) => ({ items: [...prices.list()], defaults_date: DEFAULT_PRICES_DATE })

export function modelPriceRoutes({ deps, auth, seed }: AdminContext) {
  return new Elysia({ name: 'admin.model-prices', prefix: '/api/model-prices', seed })
    .use(authGuard(auth))
    .guard({ auth: true })
    .get('/', () => ok(listOf(deps.prices)), {
      response: Envelope(ModelPriceList),
      detail: { summary: 'Model prices (USD per million tokens by model glob; the most specific glob wins)' },
    })
    .put(
      '/',
      async ({ body }) => {
        await deps.prices.replace(checkPriceList(body.prices))
        return ok(listOf(deps.prices))
      },
      {
        body: ModelPricesBody,
        response: Envelope(ModelPriceList),
        detail: { summary: 'Replace the model price list (missing cache prices are the input price)' },
      },
    )
    .post(
      '/reset',
      async () => {
        await deps.prices.resetToDefaults()
        return ok(listOf(deps.prices))
      },
      { response: Envelope(ModelPriceList), detail: { summary: 'Replace the model price list with the shipped one' } },
    )
    .get('/match', ({ query }) => ok({ model: query.model, price: deps.prices.lookup(query.model) }), {
      query: ModelPriceMatchQuery,
      response: Envelope(ModelPriceMatch),
      detail: { summary: 'The price row that a model name matches (null: the model is not priced)' },
    })
}
