import { describe, expect, test } from 'bun:test'
import { newGroup } from '../../db/new-group'
import type { RequestLog } from '../../db/types'
import { hashKey } from '../../server/admin/key-text'
import type { LogView, PagedOf } from '../../server/admin/schemas'
import { createTestApp, data, expectError } from './support'

const T0 = Date.parse('2030-01-01T00:00:00Z')

function row(over: Partial<RequestLog>): RequestLog {
  return {
    timestamp: T0, group_id: 1, group_name: 'alpha', key_id: 1, key_hash: 'h', key_masked: 'sk-ab…wxyz', model: 'gpt-4o',
    method: 'POST', path: '/v1/chat/completions', status_code: 200, is_success: true, duration_ms: 120, ttfb_ms: 40,
    is_stream: false, attempt: 1, retries: 0, upstream: 'https://api.example.test', source_ip: '10.0.0.1', user_agent: 'curl',
    error_message: '', prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, request_body: null, request_type: 'final', protocol_in: '', protocol_out: '',
    access_key_id: null, cost_micros: 0, priced: false, cached_tokens: 0, cache_write_tokens: 0, tier: 0, cache_hit: false, ...over,
  }
}

describe('logs', () => {
  test('each filter, pagination, usage columns, masked keys', async () => {
    await using app = await createTestApp()
    const keyHash = hashKey(app.deps.store, 'sk-live-abcdefghijklmnop')
    const g = await app.deps.store.createGroup(newGroup('alpha'))
    await app.deps.store.addKeys(g.id, ['sk-live-abcdefghijklmnop'])
    const [key] = await app.deps.store.groupKeys(g.id)
    await app.deps.store.insertLogs([
      row({ timestamp: T0 }),
      row({ timestamp: T0 + 1000, group_name: 'beta', model: 'claude', status_code: 401, is_success: false, error_message: 'invalid api key', source_ip: '10.0.0.2' }),
      row({ timestamp: T0 + 2000, key_id: key!.id, key_hash: keyHash, key_masked: 'sk-li…mnop', status_code: 500, is_success: false, error_message: 'upstream boom' }),
    ])
    const ids = async (q: string) => (await data<PagedOf<LogView>>(app.api(`/api/logs?${q}`))).items.map((l) => l.timestamp - T0)
    expect(await ids('')).toEqual([2000, 1000, 0])
    expect(await ids('group_name=beta')).toEqual([1000])
    expect(await ids('model=claude')).toEqual([1000])
    expect(await ids('is_success=true')).toEqual([0])
    expect(await ids('is_success=false&status_code=500')).toEqual([2000])
    expect(await ids('source_ip=10.0.0.2')).toEqual([1000])
    expect(await ids('error_contains=boom')).toEqual([2000])
    expect(await ids('key_value=sk-live-abcdefghijklmnop')).toEqual([2000])
    expect(await ids(`start_time=${new Date(T0 + 500).toISOString()}&end_time=${T0 + 1500}`)).toEqual([1000])
    expect(await ids('group_name=&model=&is_success=&status_code=')).toEqual([2000, 1000, 0])
    const page = await data<PagedOf<LogView>>(app.api('/api/logs?page=2&page_size=2'))
    expect(page.pagination).toEqual({ page: 2, page_size: 2, total_items: 3, total_pages: 2 })
    expect(page.items[0]).toMatchObject({ key_value: 'sk-ab…wxyz', prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, ttfb_ms: 40 })
    expect(page.items[0]).not.toHaveProperty('key_hash')
    await expectError(app.api('/api/logs?start_time=yesterday'), 400, 'VALIDATION_ERROR', 'start_time must be an ISO 8601 time')
    await expectError(app.api(`/api/logs?start_time=${T0 + 10}&end_time=${T0}`), 400, 'VALIDATION_ERROR', 'start_time must not be after end_time')
    await expectError(app.api('/api/logs?status_code=abc'), 400, 'VALIDATION_ERROR', 'status_code must be')
    await expectError(app.api('/api/logs?is_success=yes'), 400, 'VALIDATION_ERROR', 'is_success must be')
  })

  test('CSV export with the same filters, quoted safely', async () => {
    await using app = await createTestApp()
    await app.deps.store.insertLogs([
      row({ timestamp: T0, error_message: 'said "no", twice' }),
      row({ timestamp: T0 + 1, group_name: 'beta', user_agent: '=HYPERLINK("x")' }),
    ])
    const res = await app.api('/api/logs/export?group_name=alpha')
    expect(res.headers.get('content-type')).toContain('text/csv')
    const lines = (await res.text()).trim().split('\r\n')
    expect(lines[0]).toBe('id,timestamp,group_name,key_value,model,method,path,status_code,is_success,duration_ms,ttfb_ms,is_stream,retries,upstream,source_ip,user_agent,error_message,prompt_tokens,completion_tokens,total_tokens,request_type,access_key_id,cost_usd,priced,cached_tokens,cache_write_tokens,tier')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain(',2030-01-01T00:00:00.000Z,alpha,sk-ab…wxyz,gpt-4o,')
    expect(lines[1]).toContain(',"said ""no"", twice",10,5,15')
    const beta = (await (await app.api('/api/logs/export?group_name=beta')).text()).trim().split('\r\n')[1]
    expect(beta).toContain(`,"'=HYPERLINK(""x"")",`)
  })

  test('rows show access key and cost; filter by access_key_id (list and CSV); a bad id is a 400 naming it', async () => {
    await using app = await createTestApp()
    await app.deps.store.insertLogs([
      row({ timestamp: T0, access_key_id: 3, cost_micros: 1_234_567, priced: true, cached_tokens: 4, path: '/k3' }),
      row({ timestamp: T0 + 1, access_key_id: 4, path: '/k4' }),
      row({ timestamp: T0 + 2, access_key_id: null, path: '/proxy-key' }),
    ])
    const page = await data<PagedOf<LogView>>(app.api('/api/logs?access_key_id=3'))
    expect(page.items.map((r) => r.path)).toEqual(['/k3'])
    expect(page.items[0]).toMatchObject({ access_key_id: 3, cost_micros: 1_234_567, cost_usd: 1.234567, priced: true, cached_tokens: 4, cache_write_tokens: 0 })
    const all = await data<PagedOf<LogView>>(app.api('/api/logs?access_key_id='))
    expect(all.items.map((r) => [r.path, r.access_key_id, r.priced])).toEqual([['/proxy-key', null, false], ['/k4', 4, false], ['/k3', 3, true]])
    const csv = (await (await app.api('/api/logs/export?access_key_id=3')).text()).trim().split('\r\n')
    expect(csv).toHaveLength(2)
    expect(csv[1]!.endsWith(',final,3,1.234567,true,4,0,0')).toBe(true)
    await expectError(app.api('/api/logs?access_key_id=abc'), 400, 'VALIDATION_ERROR', 'access_key_id')
    await expectError(app.api('/api/logs/export?access_key_id=0'), 400, 'VALIDATION_ERROR', 'access_key_id')
  })
})
