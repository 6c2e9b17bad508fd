/**
 * Admin request bodies: JSON only (415 otherwise, but the multipart upload of add-async), bounded nesting (a
 * 100,000-deep body overflowed the schema check: 500), and auth before any of it (an unauthenticated caller gets
 * 401, never a schema message, a 415 or a 404).
 */
import { describe, expect, test } from 'bun:test'
import { MAX_BODY_DEPTH, nestsDeeper } from '../../server/admin/request-body'
import { createTestApp, data, expectError, json, makeGroup, TEST_AUTH_KEY } from './support'

const AUTH = { authorization: `Bearer ${TEST_AUTH_KEY}` }
const deepArray = '['.repeat(100_000) + ']'.repeat(100_000)
const deepObject = (field: string) => `{"${field}":` + '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_001)

describe('deeply nested JSON', () => {
  test('100,000 levels on sub-groups and every other JSON route: 400, not a stack overflow', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app, { group_type: 'aggregate' })
    const routes: [string, string, string][] = [
      ['POST', `/api/groups/${g.id}/sub-groups`, deepObject('sub_groups')],
      ['POST', `/api/groups/${g.id}/sub-groups`, deepArray],
      ['POST', '/api/groups', deepObject('param_overrides')],
      ['PUT', `/api/groups/${g.id}`, deepObject('config')],
      ['PUT', '/api/groups/reorder', deepArray],
      ['PUT', '/api/settings', deepObject('proxy_keys')],
      ['POST', '/api/keys/add-multiple', deepObject('keys_text')],
      ['POST', '/api/auth/login', deepObject('auth_key')],
    ]
    for (const [method, path, body] of routes) {
      const res = await app.api(path, { method, body, headers: { 'content-type': 'application/json' } })
      expect({ path, status: res.status, body: await res.json() }).toEqual({
        path,
        status: 400,
        body: { code: 'VALIDATION_ERROR', message: `the request body nests deeper than ${MAX_BODY_DEPTH} levels` },
      })
    }
    expect((await app.api('/health')).status).toBe(200)
  })

  test('ordinary nesting passes; brackets inside strings do not count', async () => {
    await using app = await createTestApp()
    const overrides = { generationConfig: { thinkingConfig: { budget: { tokens: [[[1]]] } } }, note: '[[[[{{{{' }
    const g = await makeGroup(app, { param_overrides: overrides })
    expect(g.param_overrides).toEqual(overrides)
    expect(nestsDeeper('"' + '['.repeat(200) + '"', 64)).toBe(false)
    expect(nestsDeeper('["\\"' + '['.repeat(100) + '"]', 64)).toBe(false)
    expect(nestsDeeper('['.repeat(65) + ']'.repeat(65), 64)).toBe(true)
    expect(nestsDeeper('['.repeat(64) + ']'.repeat(64), 64)).toBe(false)
  })
})

describe('JSON only on write routes', () => {
  test.each([
    ['text/plain', '{"name":"x"}'],
    ['text/plain;charset=UTF-8', '{"name":"x"}'],
    ['application/x-www-form-urlencoded', 'name=x&channel_type=openai'],
    ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n'],
    ['application/xml', '<group/>'],
  ])('%s on POST /api/groups: 415 in the admin shape, nothing created', async (type, body) => {
    await using app = await createTestApp()
    await expectError(app.api('/api/groups', { method: 'POST', body, headers: { 'content-type': type } }), 415, 'UNSUPPORTED_MEDIA_TYPE', 'application/json')
    expect(await data(app.api('/api/groups'))).toEqual([])
  })

  test('PUT and DELETE too, and a body without any content type', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    await expectError(app.api(`/api/groups/${g.id}`, { method: 'PUT', body: '{"display_name":"y"}', headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    await expectError(app.api('/api/settings', { method: 'PUT', body: 'max_retries=9', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    await expectError(app.api(`/api/groups/${g.id}`, { method: 'DELETE', body: 'x', headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    const untyped = new Request(`${app.url}/api/settings`, { method: 'PUT', headers: AUTH, body: new Blob(['{"max_retries":9}']) })
    expect(untyped.headers.get('content-type')).toBeNull()
    await expectError(fetch(untyped), 415, 'UNSUPPORTED_MEDIA_TYPE')
    expect((await data<{ display_name: string }[]>(app.api('/api/groups'))).map((x) => x.display_name)).not.toContain('y')
  })

  test('application/json with a charset is JSON; body-less POSTs keep working', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    const put = await app.api(`/api/groups/${g.id}`, { method: 'PUT', body: '{"display_name":"Renamed"}', headers: { 'content-type': 'application/json; charset=utf-8' } })
    expect((await data(put)).display_name).toBe('Renamed')
    const login = await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth_key: TEST_AUTH_KEY }) })
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    expect((await fetch(`${app.url}/api/auth/logout`, { method: 'POST', headers: { cookie } })).status).toBe(200)
    expect((await fetch(`${app.url}/api/auth/logout`, { method: 'POST' })).status).toBe(200)
  })

  test('multipart is let through on POST /api/keys/add-async only', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    const form = () => {
      const f = new FormData()
      f.set('group_id', String(g.id))
      f.set('keys_text', 'sk-multipart-1')
      return f
    }
    const async = await app.api('/api/keys/add-async', { method: 'POST', body: form() })
    expect(async.status).not.toBe(415)
    await expectError(app.api('/api/keys/add-multiple', { method: 'POST', body: form() }), 415, 'UNSUPPORTED_MEDIA_TYPE')
  })
})

describe('auth before anything else', () => {
  test('an unauthenticated caller gets 401 for bad params, bad queries, bad bodies, non-JSON and unknown routes', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    const probes: [string, string, RequestInit?][] = [
      ['GET', '/api/groups/not-a-number/stats'],
      ['GET', '/api/keys?page=abc&group_id=x'],
      ['GET', `/api/logs?is_success=maybe`],
      ['PUT', `/api/keys/zz/notes`, { body: '{"notes":5}', headers: { 'content-type': 'application/json' } }],
      ['POST', '/api/groups', { body: '{"name":5}', headers: { 'content-type': 'application/json' } }],
      ['POST', '/api/groups', { body: '{"name": ', headers: { 'content-type': 'application/json' } }],
      ['POST', '/api/groups', { body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
      ['POST', `/api/groups/${g.id}/sub-groups`, { body: deepArray, headers: { 'content-type': 'application/json' } }],
      ['GET', '/api/no/such/route'],
      ['DELETE', '/api/groups/99999'],
      ['GET', '/api/%zz'],
    ]
    for (const [method, path, init] of probes) {
      const res = await fetch(app.url + path, { method, ...init })
      expect({ path, status: res.status, code: ((await res.json()) as { code: string }).code }).toEqual({ path, status: 401, code: 'UNAUTHORIZED' })
    }
    // a wrong key is told so, before the body is looked at
    await expectError(fetch(`${app.url}/api/groups`, { method: 'POST', headers: { authorization: 'Bearer wrong-key-1234567', 'content-type': 'text/plain' }, body: 'x' }), 401, 'UNAUTHORIZED', 'invalid admin key')
  })

  test('every route of the OpenAPI document but login and logout answers 401 without credentials', async () => {
    await using app = await createTestApp()
    const doc = (await (await app.api('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> }
    const open: string[] = []
    let probed = 0
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        const url = app.url + path.replace(/\{[^}]+\}/g, 'x')
        const res = await fetch(url, { method: method.toUpperCase(), ...(method === 'get' ? {} : { body: '{', headers: { 'content-type': 'application/json' } }) })
        probed++
        if (res.status !== 401) open.push(`${method.toUpperCase()} ${path} ${res.status}`)
      }
    }
    expect(probed).toBeGreaterThan(30)
    expect(open.sort()).toEqual(['POST /api/auth/login 400', 'POST /api/auth/logout 400'])
  })
})
