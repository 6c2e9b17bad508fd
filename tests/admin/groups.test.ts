import type { RequestLog } from '../../db/types'
import { describe, expect, test } from 'bun:test'
import type { GroupStats, GroupView, SubGroupView } from '../../server/admin/schemas'
import { createTestApp, data, expectError, json, makeGroup } from './support'

const base = { channel_type: 'openai', upstreams: [{ url: 'https://api.example.test', weight: 1 }] }

describe('groups', () => {
  test('create, list, update, delete', async () => {
    await using app = await createTestApp()
    const g = await data<GroupView>(app.api('/api/groups', json('POST', { ...base, name: 'main', config: { max_retries: 5 } })))
    expect(g).toMatchObject({ name: 'main', display_name: 'main', group_type: 'standard', test_model: 'gpt-4o-mini', config: { max_retries: 5 } })
    expect(g.endpoint).toBe(`${app.url}/proxy/main`) // app_url unset: the request's own origin
    expect(app.deps.groups.byName('main')?.id).toBe(g.id) // the proxy's cache sees it at once
    expect((await data<GroupView[]>(app.api('/api/groups'))).map((x) => x.name)).toEqual(['main'])
    expect(await data(app.api('/api/groups/list'))).toEqual([{ id: g.id, name: 'main', display_name: 'main' }])

    const u = await data<GroupView>(app.api(`/api/groups/${g.id}`, json('PUT', { display_name: 'Main', header_rules: [{ key: 'X-Team', value: 'a', action: 'set' }] })))
    expect(u).toMatchObject({ name: 'main', display_name: 'Main', header_rules: [{ key: 'X-Team', value: 'a', action: 'set' }] })
    expect(app.deps.groups.byId(g.id)?.display_name).toBe('Main')

    await data(app.api(`/api/groups/${g.id}`, { method: 'DELETE' }))
    expect(await data(app.api('/api/groups'))).toEqual([])
    expect(app.deps.groups.byName('main')).toBeUndefined()
    await expectError(app.api(`/api/groups/${g.id}`, { method: 'DELETE' }), 404, 'NOT_FOUND', `group ${g.id} not found`)
  })

  test('every field is validated with a message naming it', async () => {
    await using app = await createTestApp()
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, name: 'Bad Name' }, 'name must be'],
      [{ ...base }, 'name must be'],
      [{ ...base, name: 'a', upstreams: [] }, 'upstreams must list at least one'],
      [{ ...base, name: 'a', upstreams: [{ url: 'ftp://x', weight: 1 }] }, 'upstreams[0].url must be an http(s) URL'],
      [{ ...base, name: 'a', upstreams: 'x' }, 'upstreams must be an array'],
      [{ ...base, name: 'a', upstreams: [{ url: 'https://a.test', weight: 0 }] }, 'at least one weight must be above 0'],
      [{ ...base, name: 'a', upstreams: [{ url: 'https://a.test', weight: -1 }] }, 'upstreams[0].weight must be an integer'],
      [{ ...base, name: 'a', channel_type: 'foo' }, 'channel_type must be one of openai, openai-response, anthropic, gemini'],
      [{ ...base, name: 'a', header_rules: [{ key: 'bad header', value: '', action: 'set' }] }, 'header_rules[0].key must be a valid header name'],
      [{ ...base, name: 'a', header_rules: [{ key: 'X-A', value: '', action: 'add' }] }, 'header_rules[0].action must be set or remove'],
      [{ ...base, name: 'a', param_overrides: [1] }, 'param_overrides must be a JSON object'],
      [{ ...base, name: 'a', param_overrides: 'x' }, 'param_overrides must be a JSON object'],
      [{ ...base, name: 'a', model_redirect_rules: { a: 1 } }, 'model_redirect_rules.a must map to a model name'],
      [{ ...base, name: 'a', config: { max_retries: 'many' } }, 'config: max_retries must be an integer'],
      [{ ...base, name: 'a', config: { app_url: 'http://x' } }, 'config: app_url cannot be overridden per group'],
      [{ ...base, name: 'a', config: { key_rpm_limit: -5 } }, 'config: key_rpm_limit must be at least 0'],
      [{ ...base, name: 'a', config: { key_concurrency_limit: 1.5 } }, 'config: key_concurrency_limit must be an integer'],
      [{ ...base, name: 'a', validation_endpoint: 'v1/x' }, 'validation_endpoint must start with /'],
      [{ ...base, name: 'a', group_type: 'mixed' }, 'group_type must be standard or aggregate'],
      [{ ...base, name: 'a', model_redirect_strict: 'yes' }, 'model_redirect_strict must be a boolean'],
    ]
    for (const [body, message] of cases) await expectError(app.api('/api/groups', json('POST', body)), 400, 'VALIDATION_ERROR', message)
    await makeGroup(app, { name: 'taken' })
    await expectError(app.api('/api/groups', json('POST', { ...base, name: 'taken' })), 409, 'CONFLICT', 'a group named taken already exists')
    await expectError(app.api('/api/groups/abc', json('PUT', {})), 400, 'VALIDATION_ERROR')
    // an array body was a silent no-op update answered 200
    const taken = (await app.deps.store.getGroupByName('taken'))!
    await expectError(app.api(`/api/groups/${taken.id}`, json('PUT', [1])), 400, 'VALIDATION_ERROR', 'the request body must be a JSON object')
    await expectError(app.api('/api/groups', json('POST', [{ ...base, name: 'arr' }])), 400, 'VALIDATION_ERROR', 'the request body must be a JSON object')
  })

  test('reorder changes the listing order', async () => {
    await using app = await createTestApp()
    const a = await makeGroup(app, { name: 'a' })
    const b = await makeGroup(app, { name: 'b' })
    await data(app.api('/api/groups/reorder', json('PUT', [{ id: a.id, sort: 2 }, { id: b.id, sort: 1 }])))
    expect((await data<GroupView[]>(app.api('/api/groups'))).map((g) => g.name)).toEqual(['b', 'a'])
    await expectError(app.api('/api/groups/reorder', json('PUT', [{ id: 999, sort: 1 }])), 400, 'VALIDATION_ERROR', 'group 999 not found')
  })

  test('copy with none, valid_only and all keys', async () => {
    await using app = await createTestApp()
    const src = await makeGroup(app, { name: 'src' })
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: src.id, keys_text: 'sk-one-111111111111 sk-two-222222222222 sk-three-3333333333' })))
    const [first] = (await app.deps.store.groupKeys(src.id)).filter((k) => k.key_value === 'sk-one-111111111111')
    await app.deps.store.setKeyStatus([first!.id], 'invalid')
    const copy = async (copy_keys: string) => data<{ group: GroupView; keys_copied: number }>(app.api(`/api/groups/${src.id}/copy`, json('POST', { copy_keys })))
    const none = await copy('none')
    const valid = await copy('valid_only')
    const all = await copy('all')
    expect([none.group.name, valid.group.name, all.group.name]).toEqual(['src_copy', 'src_copy2', 'src_copy3'])
    expect([none.keys_copied, valid.keys_copied, all.keys_copied]).toEqual([0, 2, 3])
    expect(valid.group.upstreams).toEqual(src.upstreams)
    expect((await app.deps.pool.stats(all.group.id)).active).toBe(3)
    await expectError(app.api(`/api/groups/${src.id}/copy`, json('POST', { copy_keys: 'some' })), 400, 'VALIDATION_ERROR', 'copy_keys')
  })

  test('stats: keys by state and requests over 24 h / 7 d / 30 d', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app, { name: 'st' })
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: 'sk-a-1111111111111 sk-b-2222222222222' })))
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000
    await app.deps.store.addHourlyStats([
      { hour, group_id: g.id, success_count: 8, failure_count: 2, prompt_tokens: 0, completion_tokens: 0, access_key_id: 0, model: '', cost_micros: 0, cache_hits: 0 },
      { hour: hour - 3 * 86_400_000, group_id: g.id, success_count: 10, failure_count: 0, prompt_tokens: 0, completion_tokens: 0, access_key_id: 0, model: '', cost_micros: 0, cache_hits: 0 },
      { hour: hour - 20 * 86_400_000, group_id: g.id, success_count: 0, failure_count: 5, prompt_tokens: 0, completion_tokens: 0, access_key_id: 0, model: '', cost_micros: 0, cache_hits: 0 },
    ])
    expect(await data<GroupStats>(app.api(`/api/groups/${g.id}/stats`))).toEqual({
      key_stats: { total_keys: 2, active_keys: 2, cooling_keys: 0, invalid_keys: 0, disabled_keys: 0 },
      stats_24_hour: { total_requests: 10, failed_requests: 2, failure_rate: 0.2 },
      stats_7_day: { total_requests: 20, failed_requests: 2, failure_rate: 0.1 },
      stats_30_day: { total_requests: 25, failed_requests: 7, failure_rate: 0.28 },
      cache_24_hour: { cache_hits: 0, hit_rate: 0 },
      cache_7_day: { cache_hits: 0, hit_rate: 0 },
      cache_30_day: { cache_hits: 0, hit_rate: 0 },
    })
  })

  test('aggregate groups: weighted sub-groups of the same channel type', async () => {
    await using app = await createTestApp()
    const a = await makeGroup(app, { name: 'sa' })
    const b = await makeGroup(app, { name: 'sb' })
    const claude = await makeGroup(app, { name: 'sc', channel_type: 'anthropic' })
    const agg = await data<GroupView>(app.api('/api/groups', json('POST', { name: 'agg', group_type: 'aggregate', channel_type: 'openai', sub_groups: [{ group_id: a.id, weight: 3 }] })))
    expect(agg.sub_groups).toEqual([{ group_id: a.id, weight: 3, priority: 1 }])
    const subs = await data<SubGroupView[]>(app.api(`/api/groups/${agg.id}/sub-groups`, json('POST', { sub_groups: [{ group_id: b.id, weight: 1 }] })))
    // keypool's own fields of each item (GPT-Load's `group` and key counts: tests/admin/gptload-shapes.test.ts)
    const brief = (list: SubGroupView[]) => list.map(({ group_id, name, weight }) => ({ group_id, name, weight }))
    expect(brief(subs)).toEqual([{ group_id: a.id, name: 'sa', weight: 3 }, { group_id: b.id, name: 'sb', weight: 1 }])
    await expectError(app.api(`/api/groups/${agg.id}/sub-groups`, json('POST', { sub_groups: [{ group_id: claude.id, weight: 1 }] })), 400, 'VALIDATION_ERROR', 'sc is anthropic, the aggregate is openai')
    await expectError(app.api(`/api/groups/${agg.id}/sub-groups`, json('POST', { sub_groups: [{ group_id: 999, weight: 1 }] })), 400, 'VALIDATION_ERROR', 'group 999 not found')
    expect(brief(await data(app.api(`/api/groups/${agg.id}/sub-groups/${b.id}`, json('PUT', { weight: 5 }))))).toEqual([
      { group_id: a.id, name: 'sa', weight: 3 },
      { group_id: b.id, name: 'sb', weight: 5 },
    ])
    await expectError(app.api(`/api/groups/${agg.id}/sub-groups/${a.id}`, json('PUT', { weight: 0 })).then(async () => app.api(`/api/groups/${agg.id}/sub-groups/${b.id}`, json('PUT', { weight: 0 }))), 400, 'VALIDATION_ERROR', 'sub_groups: at least one weight must be above 0')
    expect(brief(await data(app.api(`/api/groups/${agg.id}/sub-groups/${a.id}`, { method: 'DELETE' })))).toEqual([{ group_id: b.id, name: 'sb', weight: 5 }])
    // Deleting a sub-group removes it from the aggregate.
    await data(app.api(`/api/groups/${b.id}`, { method: 'DELETE' }))
    expect(app.deps.groups.byId(agg.id)?.sub_groups).toEqual([])
    await expectError(app.api('/api/keys/add-multiple', json('POST', { group_id: agg.id, keys_text: 'sk-x-111111111111' })), 400, 'VALIDATION_ERROR', 'aggregate group')
  })

  test('deleting a group deletes its keys and keeps its request logs', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app, { name: 'gone' })
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: 'sk-a-1111111111111' })))
    await app.deps.store.insertLogs([logRow(g.id, 'gone')])
    await data(app.api(`/api/groups/${g.id}`, { method: 'DELETE' }))
    expect(await app.deps.store.groupKeys(g.id)).toEqual([])
    const logs = await data<{ items: { group_name: string }[] }>(app.api('/api/logs?group_name=gone'))
    expect(logs.items.map((l) => l.group_name)).toEqual(['gone'])
  })
})

function logRow(groupId: number, groupName: string): RequestLog {
  return {
    timestamp: Date.now(), group_id: groupId, group_name: groupName, key_id: null, key_hash: 'h', key_masked: 'sk-…', model: 'm',
    method: 'POST', path: '/v1/chat/completions', status_code: 200, is_success: true, duration_ms: 5, ttfb_ms: 2,
    is_stream: false, attempt: 1, retries: 0, upstream: 'https://api.example.test', source_ip: '127.0.0.1', user_agent: 'ua',
    error_message: '', prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, request_body: null, request_type: 'final', protocol_in: '', protocol_out: '',
      access_key_id: null, cost_micros: 0, priced: false, cached_tokens: 0, cache_write_tokens: 0, tier: 0, cache_hit: false,
  }
}
