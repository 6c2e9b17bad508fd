import { describe, expect, test } from 'bun:test'
import type { HourlyStat } from '../../db/types'
import type { TopList } from '../../server/admin/pricing-schemas'
import type { ChartData, DashboardStats } from '../../server/admin/schemas'
import { createTestApp, data, expectError, makeGroup } from './support'

const HOUR = 3_600_000

const stat = (over: Partial<HourlyStat>): HourlyStat => ({
  hour: 0, group_id: 1, access_key_id: 0, model: '', success_count: 1, failure_count: 0, prompt_tokens: 0, completion_tokens: 0,
  cost_micros: 0, ...over,
})

describe('dashboard: cost', () => {
  test('the cost card, the cost and tokens charts, per access key', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    const now = Math.floor(Date.now() / HOUR) * HOUR
    await app.deps.store.addHourlyStats([
      stat({ hour: now, group_id: g.id, access_key_id: 1, model: 'gpt-4o', cost_micros: 1_500_000, prompt_tokens: 10, completion_tokens: 5 }),
      stat({ hour: now, group_id: g.id, access_key_id: 2, model: 'gpt-4o', cost_micros: 250_000 }),
      stat({ hour: now - HOUR, group_id: g.id, access_key_id: 1, model: 'claude', cost_micros: 1_000, prompt_tokens: 1 }),
      stat({ hour: now - 30 * HOUR, group_id: g.id, cost_micros: 100_000 }),
    ])
    const s = await data<DashboardStats>(app.api('/api/dashboard/stats'))
    expect(s.cost).toMatchObject({ value: 1.751, trend_is_growth: true })
    const cost = await data<ChartData>(app.api('/api/dashboard/chart?metric=cost&hours=3'))
    expect(cost.datasets).toEqual([{ label: 'cost_usd', data: [0, 0.001, 1.75], color: '#f59e0b' }])
    const one = await data<ChartData>(app.api('/api/dashboard/chart?metric=cost&hours=3&access_key_id=2'))
    expect(one.datasets[0]!.data).toEqual([0, 0, 0.25])
    const tokens = await data<ChartData>(app.api('/api/dashboard/chart?metric=tokens&hours=2&access_key_id=1'))
    expect(tokens.datasets.map((d) => [d.label, d.data])).toEqual([['prompt_tokens', [1, 10]], ['completion_tokens', [0, 5]]])
    // the default stays GPT-Load's successes and failures
    const plain = await data<ChartData>(app.api('/api/dashboard/chart?hours=1'))
    expect(plain.datasets.map((d) => [d.label, d.data])).toEqual([['success', [2]], ['failure', [0]]])
    await expectError(app.api('/api/dashboard/chart?metric=money'), 400, 'VALIDATION_ERROR', 'metric')
  })

  test('top access keys and models by cost or requests over a range', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    const t0 = Date.parse('2031-03-01T00:00:00Z')
    await app.deps.store.addHourlyStats([
      stat({ hour: t0, group_id: g.id, access_key_id: 1, model: 'gpt-4o', success_count: 2, cost_micros: 300 }),
      stat({ hour: t0 + HOUR, group_id: g.id, access_key_id: 2, model: 'gpt-4o-mini', success_count: 9, failure_count: 1, cost_micros: 90 }),
      stat({ hour: t0 + HOUR, group_id: g.id, access_key_id: 0, model: 'gpt-4o', success_count: 1, cost_micros: 1000 }),
      stat({ hour: t0 + 10 * HOUR, group_id: g.id, access_key_id: 3, model: 'late', success_count: 50, cost_micros: 99_999 }),
    ])
    const range = `start_time=${new Date(t0).toISOString()}&end_time=${t0 + 2 * HOUR}`
    const keys = await data<TopList>(app.api(`/api/dashboard/top?by=access_key&${range}`))
    expect(keys).toMatchObject({ by: 'access_key', order: 'cost', start_time: t0, end_time: t0 + 2 * HOUR })
    expect(keys.items.map((i) => [i.access_key_id, i.requests, i.cost_micros, i.cost_usd])).toEqual([
      [null, 1, 1000, 0.001],
      [1, 2, 300, 0.0003],
      [2, 10, 90, 0.00009],
    ])
    const models = await data<TopList>(app.api(`/api/dashboard/top?by=model&order=requests&${range}`))
    expect(models.items.map((i) => [i.model, i.requests, i.failures, i.access_key_id])).toEqual([
      ['gpt-4o-mini', 10, 1, null],
      ['gpt-4o', 3, 0, null],
    ])
    const one = await data<TopList>(app.api(`/api/dashboard/top?by=model&limit=1&${range}`))
    expect(one.items.map((i) => i.model)).toEqual(['gpt-4o'])
    await expectError(app.api('/api/dashboard/top?by=group'), 400, 'VALIDATION_ERROR', 'by')
    await expectError(app.api('/api/dashboard/top?by=model&limit=0'), 400, 'VALIDATION_ERROR', 'limit')
    await expectError(app.api(`/api/dashboard/top?by=model&start_time=${t0 + HOUR}&end_time=${t0}`), 400, 'VALIDATION_ERROR', 'start_time')
    await expectError(app.api('/api/dashboard/top?by=model&end_time=yesterday'), 400, 'VALIDATION_ERROR', 'end_time')
  })
})
