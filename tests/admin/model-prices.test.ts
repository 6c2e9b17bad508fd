import { describe, expect, test } from 'bun:test'
import { DEFAULT_PRICES, DEFAULT_PRICES_DATE } from '../../server/pricing/defaults'
import type { ModelPriceList, ModelPriceMatch } from '../../server/admin/pricing-schemas'
import { createTestApp, data, expectError, json } from './support'

describe('model prices', () => {
  test('a fresh install answers the shipped, dated list, and it is in the OpenAPI document', async () => {
    await using app = await createTestApp()
    const list = await data<ModelPriceList>(app.api('/api/model-prices'))
    expect(list.defaults_date).toBe(DEFAULT_PRICES_DATE)
    expect(list.items.map(({ id: _, updated_at: __, ...p }) => p)).toEqual(
      [...DEFAULT_PRICES].sort((a, b) => (a.model < b.model ? -1 : 1)),
    )
    const doc = (await (await app.api('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> }
    expect(Object.keys(doc.paths['/api/model-prices/'] ?? doc.paths['/api/model-prices'] ?? {}).sort()).toEqual(['get', 'put'])
    expect(doc.paths['/api/model-prices/reset']).toHaveProperty('post')
    expect(doc.paths['/api/dashboard/top']).toHaveProperty('get')
  })

  test('PUT replaces the list; cache prices default to the input price; match answers the most specific row', async () => {
    await using app = await createTestApp()
    const body = {
      prices: [
        { model: 'gpt-4o*', input_per_mtok: 2.5, output_per_mtok: 10, cached_input_per_mtok: 1.25 },
        { model: 'gpt-4o-mini*', input_per_mtok: 0.15, output_per_mtok: 0.6 },
        { model: 'gpt-4o-2024-05-13', input_per_mtok: 5, output_per_mtok: 15 },
      ],
    }
    const list = await data<ModelPriceList>(app.api('/api/model-prices', json('PUT', body)))
    expect(list.items.map((p) => [p.model, p.input_per_mtok, p.cached_input_per_mtok, p.cache_write_per_mtok])).toEqual([
      ['gpt-4o*', 2.5, 1.25, 2.5],
      ['gpt-4o-2024-05-13', 5, 5, 5],
      ['gpt-4o-mini*', 0.15, 0.15, 0.15],
    ])
    const match = async (model: string) =>
      (await data<ModelPriceMatch>(app.api(`/api/model-prices/match?model=${encodeURIComponent(model)}`))).price?.model ?? null
    expect(await match('gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini*')
    expect(await match('GPT-4o-2024-08-06')).toBe('gpt-4o*')
    expect(await match('gpt-4o-2024-05-13')).toBe('gpt-4o-2024-05-13')
    expect(await match('claude-3-5-haiku')).toBeNull()
    // the proxy prices from the same in-memory table
    expect(app.deps.prices.lookup('gpt-4o-mini')?.input_per_mtok).toBe(0.15)
    // reset restores the shipped list
    const reset = await data<ModelPriceList>(app.api('/api/model-prices/reset', { method: 'POST' }))
    expect(reset.items).toHaveLength(DEFAULT_PRICES.length)
  })

  test('bad lists are refused with a message naming the row and field, and nothing changes', async () => {
    await using app = await createTestApp()
    const before = await data<ModelPriceList>(app.api('/api/model-prices'))
    const put = (prices: unknown) => app.api('/api/model-prices', json('PUT', { prices }))
    await expectError(put([{ model: 'a', input_per_mtok: -1, output_per_mtok: 1 }]), 400, 'VALIDATION_ERROR', 'prices[0].input_per_mtok')
    await expectError(put([{ model: 'a', input_per_mtok: 1, output_per_mtok: 1 }, { model: 'A', input_per_mtok: 1, output_per_mtok: 1 }]), 400, 'VALIDATION_ERROR', 'prices[1].model')
    await expectError(put([{ model: ' ', input_per_mtok: 1, output_per_mtok: 1 }]), 400, 'VALIDATION_ERROR', 'prices[0].model')
    await expectError(put([{ model: 'a', input_per_mtok: 1, output_per_mtok: 1e9 }]), 400, 'VALIDATION_ERROR', 'prices[0].output_per_mtok')
    await expectError(put([{ model: 'a', input_per_mtok: 'x', output_per_mtok: 1 }]), 400, 'VALIDATION_ERROR', 'input_per_mtok')
    await expectError(app.api('/api/model-prices', json('PUT', {})), 400, 'VALIDATION_ERROR', 'prices')
    expect(await data<ModelPriceList>(app.api('/api/model-prices'))).toEqual(before)
    const anon = await fetch(`${app.url}/api/model-prices`)
    expect(anon.status).toBe(401)
  })

  test('an operator’s list survives a restart; an emptied list is not seeded again', async () => {
    const dataDir = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/keypool-prices-`)
    const env = { DATABASE_DSN: `${dataDir}/k.db` }
    {
      await using app = await createTestApp({ dataDir, env })
      await data(app.api('/api/model-prices', json('PUT', { prices: [] })))
    }
    {
      await using app = await createTestApp({ dataDir, env })
      expect((await data<ModelPriceList>(app.api('/api/model-prices'))).items).toEqual([])
      await data(app.api('/api/model-prices', json('PUT', { prices: [{ model: 'mine-*', input_per_mtok: 1, output_per_mtok: 2 }] })))
    }
    await using app = await createTestApp({ dataDir, env })
    expect((await data<ModelPriceList>(app.api('/api/model-prices'))).items.map((p) => p.model)).toEqual(['mine-*'])
    ;(await import('node:fs')).rmSync(dataDir, { recursive: true, force: true })
  })
})
