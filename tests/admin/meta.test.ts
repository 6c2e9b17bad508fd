import { describe, expect, test } from 'bun:test'
import { createTestApp, data, expectError } from './support'

describe('OpenAPI, unknown routes', () => {
  test('openapi.json describes every admin route from its schemas', async () => {
    await using app = await createTestApp()
    const res = await app.api('/api/openapi.json')
    expect(res.status).toBe(200)
    // the bare document, as OpenAPI tools expect it, not wrapped in {code, data}
    const doc = (await res.json()) as any
    expect(doc.code).toBeUndefined()
    expect(doc.openapi).toBe('3.0.3')
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${p}`))
    for (const r of [
      'POST /api/auth/login', 'GET /api/groups/', 'PUT /api/groups/{id}', 'POST /api/groups/{id}/copy', 'GET /api/keys/',
      'POST /api/keys/add-async', 'PUT /api/keys/{id}/status', 'GET /api/tasks/status', 'GET /api/logs/export',
      'GET /api/dashboard/chart', 'PUT /api/settings/', 'GET /api/channel-types/',
    ])
      expect(routes).toContain(r)
    const listKeys = doc.paths['/api/keys/'].get
    expect(listKeys.parameters.find((p: any) => p.name === 'page_size')).toMatchObject({ in: 'query', required: false, schema: { type: 'number' } })
    const login = doc.paths['/api/auth/login'].post
    expect(login.security).toEqual([])
    // every other route needs the admin key or a session (the document-wide default)
    expect(doc.security).toEqual([{ bearer: [] }, { session: [] }])
    expect(listKeys.security).toBeUndefined()
    expect(doc.paths['/api/groups/'].post.security).toBeUndefined()
    expect(login.requestBody.content['application/json'].schema).toMatchObject({ type: 'object', required: ['auth_key'] })
    const status = doc.paths['/api/keys/{id}/status'].put.requestBody.content['application/json'].schema
    expect(status.properties.status.anyOf.map((b: any) => b.const)).toEqual(['active', 'disabled'])
    // a key list row tells paced keys (at their group's key limits) from cooling ones
    const keyRow = listKeys.responses['200'].content['application/json'].schema.properties.data.properties.items.items
    expect(JSON.stringify(keyRow.properties.state)).toContain('"paced"')
    expect(keyRow.properties.paced_until).toBeDefined()
  })

  test('an unknown /api route is a 404 in the envelope', async () => {
    await using app = await createTestApp()
    await expectError(app.api('/api/nothing/here'), 404, 'NOT_FOUND', 'no such route')
  })

  test('a malformed JSON body is a 400 in the envelope', async () => {
    await using app = await createTestApp()
    const bad = { method: 'POST', body: '{"name": ', headers: { 'content-type': 'application/json' } }
    await expectError(app.api('/api/groups', bad), 400, 'VALIDATION_ERROR', 'not valid JSON')
    // not declared as JSON: refused before it is read (a cross-site form can send text/plain)
    await expectError(app.api('/api/groups', { ...bad, headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE')
  })
})

describe('health and metrics', () => {
  test('/health reports storage and Redis', async () => {
    await using app = await createTestApp()
    const res = await fetch(`${app.url}/health`)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ status: 'healthy', version: app.deps.version, storage: { dialect: 'sqlite', reachable: true }, redis: { configured: false, reachable: null } })
    expect(body.uptime).toBeGreaterThanOrEqual(0)
  })

  test('/health is 503 when storage is unreachable', async () => {
    await using app = await createTestApp()
    const ping = app.deps.store.ping
    app.deps.store.ping = async () => false
    try {
      const res = await fetch(`${app.url}/health`)
      expect(res.status).toBe(503)
      expect((await res.json()).status).toBe('unhealthy')
    } finally {
      app.deps.store.ping = ping
    }
  })

  test('/metrics: Prometheus text with requests, latency, retries, keys by state, queue depth', async () => {
    await using app = await createTestApp()
    const g = await data(app.api('/api/groups', { method: 'POST', body: JSON.stringify({ name: 'mx', channel_type: 'openai', upstreams: [{ url: 'https://a.test', weight: 1 }] }) }))
    await data(app.api('/api/keys/add-multiple', { method: 'POST', body: JSON.stringify({ group_id: g.id, keys_text: 'sk-a-1111111111 sk-b-2222222222' }) }))
    app.deps.metrics.recordRequest({ group: 'mx', status: 200, durationMs: 300, ttfbMs: 80, retries: 2, upstream: 'https://a.test' })
    const res = await fetch(`${app.url}/metrics`)
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4')
    const text = await res.text()
    for (const line of [
      'keypool_requests_total{group="mx",status="200"} 1',
      'keypool_retries_total{group="mx"} 2',
      'keypool_upstream_duration_seconds_bucket{group="mx",le="0.5"} 1',
      'keypool_upstream_duration_seconds_bucket{group="mx",le="0.25"} 0',
      'keypool_upstream_ttfb_seconds_count{group="mx"} 1',
      'keypool_keys{group="mx",state="active"} 2',
      'keypool_keys{group="mx",state="invalid"} 0',
      'keypool_log_queue_depth 0',
    ])
      expect(text.split('\n')).toContain(line)
  })
})
