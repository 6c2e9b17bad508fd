import { describe, expect, test } from 'bun:test'
import type { KeyTestResults, TaskStatus } from '../../server/admin/schemas'
import { startFakeUpstream } from '../support/fake-upstream'
import { createTestApp, data, expectError, json, makeGroup } from './support'

describe('key validation routes', () => {
  test('validate-group restores passing keys, blacklists bad ones, leaves upstream failures alone', async () => {
    await using upstream = await startFakeUpstream()
    await using app = await createTestApp()
    const g = await makeGroup(app, { name: 'val' }, upstream.url)
    const keys = ['sk-good-0000000001', 'sk-bad-00000000001', 'sk-500-00000000001', 'sk-forbid-00000001']
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: keys.join(' ') })))
    const good = (await app.deps.store.groupKeys(g.id)).find((k) => k.key_value === keys[0])!
    await app.deps.store.setKeyStatus([good.id], 'invalid')
    const started = await data<TaskStatus>(app.api('/api/keys/validate-group', json('POST', { group_id: g.id })))
    expect(started).toMatchObject({ task_type: 'KEY_VALIDATION', group_name: 'val', total: 4 })
    await app.deps.tasks.idle()
    const done = await data<TaskStatus>(app.api('/api/tasks/status'))
    expect(done).toMatchObject({ is_running: false, processed: 4, total: 4, result: { total: 4, valid: 1, invalid: 2, unchanged: 1, total_keys: 4, valid_keys: 1, invalid_keys: 2 } })
    const states = Object.fromEntries((await app.deps.store.groupKeys(g.id)).map((k) => [k.key_value, k.status]))
    expect(states).toEqual({ [keys[0]!]: 'active', [keys[1]!]: 'invalid', [keys[2]!]: 'active', [keys[3]!]: 'invalid' })
    expect((await app.deps.pool.stats(g.id)).invalid).toBe(2)
    // The request the validator sent used the channel's minimal request with the real key.
    expect(upstream.requests.map((r) => r.key).sort()).toEqual([...keys].sort())
    expect(upstream.requests[0]!.path).toBe('/v1/chat/completions')
  })

  test('test-multiple answers at once with masked keys', async () => {
    await using upstream = await startFakeUpstream()
    await using app = await createTestApp()
    const g = await makeGroup(app, {}, upstream.url)
    const r = await data<KeyTestResults>(app.api('/api/keys/test-multiple', json('POST', { group_id: g.id, keys_text: 'sk-good-0000000001 sk-bad-00000000001' })))
    expect(r.results.map(({ key_value, is_valid, status }) => ({ key_value, is_valid, status }))).toEqual([
      { key_value: 'sk-go…0001', is_valid: true, status: 200 },
      { key_value: 'sk-ba…0001', is_valid: false, status: 401 },
    ])
    expect(r.results[1]!.error).not.toContain('sk-bad-00000000001')
    expect(r.results[1]!.error).toContain('401')
    await expectError(app.api('/api/keys/test-multiple', json('POST', { group_id: g.id, keys_text: Array.from({ length: 501 }, (_, i) => `sk-${i}-abcdefgh`).join(' ') })), 400, 'VALIDATION_ERROR', 'test at most 500')
  })

  test('test-multiple applies what it learned to the group’s keys (disabled keys stay disabled)', async () => {
    await using upstream = await startFakeUpstream()
    await using app = await createTestApp()
    const g = await makeGroup(app, { name: 'tm' }, upstream.url)
    const keys = ['sk-good-0000000009', 'sk-bad-00000000009', 'sk-good-off-000009', 'sk-500-00000000009']
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: keys.join(' ') })))
    const byValue = async () => Object.fromEntries((await app.deps.store.groupKeys(g.id)).map((k) => [k.key_value, k]))
    const before = await byValue()
    await app.deps.store.setKeyStatus([before[keys[0]!]!.id], 'invalid')
    await data(app.api(`/api/keys/${before[keys[2]!]!.id}/status`, json('PUT', { status: 'disabled' })))
    await data(app.api('/api/keys/test-multiple', json('POST', { group_id: g.id, keys_text: keys.join('\n') })))
    const after = Object.fromEntries(Object.entries(await byValue()).map(([v, k]) => [v, k.status]))
    expect(after).toEqual({ [keys[0]!]: 'active', [keys[1]!]: 'invalid', [keys[2]!]: 'disabled', [keys[3]!]: 'active' })
    expect((await app.deps.pool.stats(g.id)).invalid).toBe(1)
  })
})
