import { describe, expect, test } from 'bun:test'
import type { ChartData, DashboardStats } from '../../server/admin/schemas'
import { createTestApp, data, expectError, json, makeGroup } from './support'

const HOUR = 3_600_000

describe('dashboard', () => {
  test('stats: keys by state, live RPM, requests, error rate and tokens with trends, warnings', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    await data(app.api('/api/settings', json('PUT', { proxy_keys: 'Zq8#kP2v!Lm9xR4tW7yB3nC6,sk-123456' })))
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: 'sk-a-111111111111 sk-b-222222222222 sk-c-333333333333' })))
    const [k1] = await app.deps.store.groupKeys(g.id)
    await data(app.api(`/api/keys/${k1!.id}/status`, json('PUT', { status: 'disabled' })))
    const now = Math.floor(Date.now() / HOUR) * HOUR
    await app.deps.store.addHourlyStats([
      { hour: now, group_id: g.id, success_count: 90, failure_count: 10, prompt_tokens: 1000, completion_tokens: 500, access_key_id: 0, model: '', cost_micros: 0 },
      { hour: now - 30 * HOUR, group_id: g.id, success_count: 50, failure_count: 0, prompt_tokens: 100, completion_tokens: 0, access_key_id: 0, model: '', cost_micros: 0 },
    ])
    for (let i = 0; i < 4; i++) app.deps.metrics.recordRequest({ group: g.name, status: 200, durationMs: 5, ttfbMs: 1, retries: 0, upstream: 'u' })
    const s = await data<DashboardStats>(app.api('/api/dashboard/stats'))
    expect(s.keys).toEqual({ active: 2, cooling: 0, invalid: 0, disabled: 1 })
    expect(s.key_count.value).toBe(3)
    expect(s.rpm.value).toBe(4)
    expect(s.request_count).toMatchObject({ value: 100, sub_value: 10, trend: 100, trend_is_growth: true })
    expect(s.error_rate).toMatchObject({ value: 10, trend: 100 })
    expect(s.token_count).toMatchObject({ value: 1500, trend: 1400 })
    expect(s.security_warnings.map((w) => [w.type, w.message])).toEqual([
      ['weak_proxy_key', 'Proxy key #2 in proxy_keys is a well-known default.'],
      ['keys_not_encrypted', 'Upstream keys are stored in plain text in the database.'],
    ])
  })

  test('a weak admin key is warned about without showing it', async () => {
    await using app = await createTestApp({ env: { AUTH_KEY: 'short-key' } })
    const s = await data<DashboardStats>(app.api('/api/dashboard/stats', { headers: { authorization: 'Bearer short-key' } }))
    const weak = s.security_warnings.find((w) => w.type === 'weak_auth_key')
    expect(weak).toMatchObject({ message: 'The admin key (AUTH_KEY) is only 9 characters long.', severity: 'high' })
    expect(JSON.stringify(s.security_warnings)).not.toContain('short-key')
  })

  test('a strong admin key and ENCRYPTION_KEY leave no warnings', async () => {
    await using app = await createTestApp({ env: { AUTH_KEY: 'Zq8#kP2v!Lm9xR4tW7yB3nC6', ENCRYPTION_KEY: 'an-encryption-key-of-good-length' } })
    const s = await data<DashboardStats>(app.api('/api/dashboard/stats', { headers: { authorization: 'Bearer Zq8#kP2v!Lm9xR4tW7yB3nC6' } }))
    expect(s.security_warnings).toEqual([])
  })

  test('chart: hourly successes and failures, per group or overall', async () => {
    await using app = await createTestApp()
    const a = await makeGroup(app)
    const b = await makeGroup(app)
    const now = Math.floor(Date.now() / HOUR) * HOUR
    await app.deps.store.addHourlyStats([
      { hour: now, group_id: a.id, success_count: 5, failure_count: 1, prompt_tokens: 0, completion_tokens: 0, access_key_id: 0, model: '', cost_micros: 0 },
      { hour: now - HOUR, group_id: b.id, success_count: 2, failure_count: 0, prompt_tokens: 0, completion_tokens: 0, access_key_id: 0, model: '', cost_micros: 0 },
    ])
    const all = await data<ChartData>(app.api('/api/dashboard/chart?hours=3'))
    expect(all.labels).toEqual([now - 2 * HOUR, now - HOUR, now].map((h) => new Date(h).toISOString()))
    expect(all.datasets.map((d) => [d.label, d.data])).toEqual([['success', [0, 2, 5]], ['failure', [0, 0, 1]]])
    const one = await data<ChartData>(app.api(`/api/dashboard/chart?hours=3&group_id=${a.id}`))
    expect(one.datasets.map((d) => d.data)).toEqual([[0, 0, 5], [0, 0, 1]])
    expect((await data<ChartData>(app.api('/api/dashboard/chart'))).labels).toHaveLength(24)
    await expectError(app.api('/api/dashboard/chart?hours=0'), 400, 'VALIDATION_ERROR', 'hours must be an integer from 1 to 720')
  })
})
