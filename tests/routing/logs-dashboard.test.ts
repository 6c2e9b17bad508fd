/** Log rows and the dashboard say which group and tier served a request and how often a fallback tier did. */
import { describe, expect, test } from 'bun:test'
import { data } from '../admin/support'
import { chatAt, routingRig } from './helpers'

describe('tiers in logs and dashboard', () => {
  test('rows carry group and tier, min_tier filters the fallbacks, the dashboard counts them', async () => {
    await using rig = await routingRig()
    await rig.group('free', { models: ['m'], priority: 1 }, ['sk-free'])
    await rig.group('paid', { models: ['m'], priority: 2 }, ['sk-paid'])
    await rig.group('direct', {}, ['sk-direct'])
    expect((await chatAt(rig.app.url, 'm')).status).toBe(200)
    rig.upstream.setBehavior('sk-free', '500')
    expect((await chatAt(rig.app.url, 'm')).status).toBe(200)
    expect((await chatAt(`${rig.app.url}/proxy/direct`, 'm')).status).toBe(200)
    await rig.app.deps.logs.flush()
    const all = await data(rig.app.api('/api/logs?request_type=final&page_size=50'))
    expect(all.items.map((r: { group_name: string; tier: number }) => [r.group_name, r.tier])).toEqual([
      ['direct', 0], ['paid', 2], ['free', 1],
    ])
    const fallbacks = await data(rig.app.api('/api/logs?min_tier=2'))
    expect(fallbacks.items.map((r: { group_name: string }) => r.group_name)).toEqual(['paid'])
    const res = await rig.app.api('/api/logs?min_tier=x')
    expect(res.status).toBe(400)
    const stats = await data(rig.app.api('/api/dashboard/stats'))
    expect(stats.fallback_count).toMatchObject({ value: 1, sub_value: 2 })
    const csv = await (await rig.app.api('/api/logs/export?request_type=final')).text()
    expect(csv.split('\r\n')[0]!.endsWith(',request_type,access_key_id,cost_usd,priced,cached_tokens,cache_write_tokens,tier')).toBe(true)
  })
})
