import { describe, expect, test } from 'bun:test'
import type { SettingsCategory } from '../../server/admin/schemas'
import { createTestApp, data, expectError, json, makeGroup } from './support'

const valueOf = (cats: SettingsCategory[], key: string) => cats.flatMap((c) => c.settings).find((s) => s.key === key)

describe('settings', () => {
  test('GET lists every setting by category with value, default and range', async () => {
    await using app = await createTestApp()
    const cats = await data<SettingsCategory[]>(app.api('/api/settings'))
    expect(cats.map((c) => c.category_name)).toEqual(['Basic', 'Logs', 'Requests', 'Keys', 'Alerts'])
    expect(valueOf(cats, 'max_retries')).toEqual({
      key: 'max_retries', name: 'Max Retries', value: 3, default_value: 3, type: 'int', min_value: 0, max_value: 100,
      group_override: true, description: expect.any(String),
    })
    expect(cats.flatMap((c) => c.settings)).toHaveLength(29)
  })

  test('PUT validates type and range, writes nothing on error, applies at once', async () => {
    await using app = await createTestApp()
    await expectError(app.api('/api/settings', json('PUT', { max_retries: 'x' })), 400, 'VALIDATION_ERROR', 'max_retries must be an integer')
    await expectError(app.api('/api/settings', json('PUT', { request_timeout: 0 })), 400, 'VALIDATION_ERROR', 'request_timeout must be at least 1')
    await expectError(app.api('/api/settings', json('PUT', { key_rpm_limit: -1 })), 400, 'VALIDATION_ERROR', 'key_rpm_limit must be at least 0')
    await expectError(app.api('/api/settings', json('PUT', { key_concurrency_limit: 10_001 })), 400, 'VALIDATION_ERROR', 'key_concurrency_limit must be at most 10000')
    await expectError(app.api('/api/settings', json('PUT', { max_retries: 5, nope: 1 })), 400, 'VALIDATION_ERROR', 'unknown setting: nope')
    await expectError(app.api('/api/settings', json('PUT', { failover_status_codes: '4xx' })), 400, 'VALIDATION_ERROR', 'failover_status_codes')
    await expectError(app.api('/api/settings', json('PUT', { enable_request_body_logging: 'maybe' })), 400, 'VALIDATION_ERROR', 'enable_request_body_logging must be true or false')
    // a body that is not an object is refused as such, not read index by index ("unknown setting: 0")
    for (const body of ['[1,2]', '"max_retries"'])
      await expectError(app.api('/api/settings', { method: 'PUT', headers: { 'content-type': 'application/json' }, body }), 400, 'VALIDATION_ERROR', 'the request body must be a JSON object')
    expect(app.deps.settings.get().max_retries).toBe(3) // the bad batch wrote nothing
    const cats = await data<SettingsCategory[]>(app.api('/api/settings', json('PUT', { max_retries: 7, proxy_keys: 'a-long-proxy-key-1234567890' })))
    expect(valueOf(cats, 'max_retries')?.value).toBe(7)
    expect(app.deps.settings.get()).toMatchObject({ max_retries: 7, proxy_keys: 'a-long-proxy-key-1234567890' })
    expect((await app.deps.store.getSettings()).max_retries).toBe('7')
  })

  test('group config overrides resolve group > system', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app, { config: { max_retries: 1 } })
    await data(app.api('/api/settings', json('PUT', { max_retries: 9, blacklist_threshold: 4 })))
    const resolved = app.deps.settings.forGroup(app.deps.groups.byId(g.id)!.config)
    expect({ max_retries: resolved.max_retries, blacklist_threshold: resolved.blacklist_threshold }).toEqual({ max_retries: 1, blacklist_threshold: 4 })
  })
})
