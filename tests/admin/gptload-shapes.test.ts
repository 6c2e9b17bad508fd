/** The shapes GPT-Load's web admin reads, beside keypool's own names (issue 15 item 2). */
import { describe, expect, test } from 'bun:test'
import type { RequestLog } from '../../db/types'
import type { GroupView, KeyView, LogView, PagedOf, SubGroupView } from '../../server/admin/schemas'
import { createTestApp, data, json, makeGroup } from './support'

describe('GPT-Load shapes', () => {
  test('sub-group items carry the whole group and its live key counts', async () => {
    await using app = await createTestApp()
    const a = await makeGroup(app, { name: 'sub-a', display_name: 'Sub A' })
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: a.id, keys_text: 'sk-a-111111111111 sk-a-222222222222 sk-a-333333333333 sk-a-444444444444' })))
    const keys = (await data<PagedOf<KeyView>>(app.api(`/api/keys?group_id=${a.id}`))).items
    await data(app.api(`/api/keys/${keys[0]!.id}/status`, json('PUT', { status: 'disabled' })))
    // blacklisted as the proxy would after repeated failures
    await app.deps.store.setKeyStatus([keys[1]!.id], 'invalid')
    await app.deps.pool.setStatus(a.id, [keys[1]!.id], 'invalid')
    const agg = await data<GroupView>(app.api('/api/groups', json('POST', { name: 'agg', group_type: 'aggregate', channel_type: 'openai', sub_groups: [{ group_id: a.id, weight: 4 }] })))
    const [item] = await data<SubGroupView[]>(app.api(`/api/groups/${agg.id}/sub-groups`))
    expect({ ...item!, group: undefined }).toEqual({
      group_id: a.id, name: 'sub-a', weight: 4, priority: 1, group: undefined,
      total_keys: 4, active_keys: 2, invalid_keys: 1, cooling_keys: 0, disabled_keys: 1,
    })
    const listed = (await data<GroupView[]>(app.api('/api/groups'))).find((g) => g.id === a.id)
    expect(item!.group).toEqual(listed!)
    // the answers of the write routes carry the same items
    const afterWeight = await data<SubGroupView[]>(app.api(`/api/groups/${agg.id}/sub-groups/${a.id}/weight`, json('PUT', { weight: 2 })))
    expect(afterWeight.map((s) => ({ id: s.group.id, weight: s.weight, total: s.total_keys }))).toEqual([{ id: a.id, weight: 2, total: 4 }])
  })

  test('log rows carry request_path and upstream_addr beside path and upstream', async () => {
    await using app = await createTestApp()
    const row: RequestLog = {
      timestamp: Date.now(), group_id: 1, group_name: 'alpha', key_id: 1, key_hash: 'h', key_masked: 'sk-ab…wxyz', model: 'gpt-4o',
      method: 'POST', path: '/v1/chat/completions', status_code: 200, is_success: true, duration_ms: 120, ttfb_ms: 40,
      is_stream: false, attempt: 1, retries: 0, upstream: 'https://api.example.test', source_ip: '10.0.0.1', user_agent: 'curl',
      error_message: '', prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, request_body: null, request_type: 'final', protocol_in: '', protocol_out: '',
      access_key_id: null, cost_micros: 0, priced: false, cached_tokens: 0, cache_write_tokens: 0, tier: 0, cache_hit: false,
    }
    await app.deps.store.insertLogs([row])
    const [item] = (await data<PagedOf<LogView>>(app.api('/api/logs'))).items
    expect(item).toMatchObject({
      path: '/v1/chat/completions', request_path: '/v1/chat/completions',
      upstream: 'https://api.example.test', upstream_addr: 'https://api.example.test', key_value: 'sk-ab…wxyz',
    })
  })
})
