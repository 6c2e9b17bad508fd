/** Every branch of the outcome classification (docs/architecture.md, "Key states and outcomes"), observed through real requests and key states. */
import { describe, expect, test } from 'bun:test'
import { keyStates } from '../support/test-app'
import { chat, logsOf, PROXY_KEY, proxyRig } from './helpers'

describe('outcome classification', () => {
  test('401 invalid key: retried on another key, counted, blacklisted at the threshold', async () => {
    await using rig = await proxyRig(['sk-bad-1', 'sk-good-1'], { config: { blacklist_threshold: 2 } })
    for (let i = 0; i < 4; i++) expect((await chat(rig.base)).status).toBe(200)
    await rig.app.deps.pool.flush()
    const states = await keyStates(rig.app.deps, rig.group.id)
    expect(states['sk-bad-1']).toEqual({ status: 'invalid', failures: 2 })
    expect(states['sk-good-1']!.status).toBe('active')
    const rows = await logsOf(rig.app)
    expect(rows.some((r) => r.retries === 1 && r.attempt === 2 && r.is_success)).toBe(true)
    // invalid keys are skipped: no more requests reach the upstream with it
    rig.upstream.reset()
    await chat(rig.base)
    await chat(rig.base)
    expect(rig.upstream.requests.map((r) => r.key)).toEqual(['sk-good-1', 'sk-good-1'])
  })

  test('403 is a key failure too; threshold 0 never blacklists', async () => {
    await using rig = await proxyRig(['sk-forbid-1', 'sk-good'], { config: { blacklist_threshold: 0 } })
    for (let i = 0; i < 6; i++) expect((await chat(rig.base)).status).toBe(200)
    await rig.app.deps.pool.flush()
    const s = (await keyStates(rig.app.deps, rig.group.id))['sk-forbid-1']!
    expect(s.status).toBe('active')
    expect(s.failures).toBeGreaterThanOrEqual(3)
  })

  test('429 cools the key for Retry-After and retries elsewhere; not a blacklist failure', async () => {
    await using rig = await proxyRig(['sk-429-a', 'sk-good'])
    const res = await chat(rig.base)
    expect(res.status).toBe(200)
    const pool = rig.app.deps.pool
    expect(await pool.stats(rig.group.id)).toMatchObject({ active: 1, cooling: 1 })
    await pool.flush()
    const rows = await rig.app.deps.store.groupKeys(rig.group.id)
    const cooled = rows.find((k) => k.key_value === 'sk-429-a')!
    expect(cooled.status).toBe('cooling')
    expect(cooled.failure_count).toBe(0)
    // Retry-After: 2 -> about 2 s from now, not the 60 s default
    expect(cooled.cooling_until! - Date.now()).toBeLessThan(2500)
    // while cooling, the key is not used
    rig.upstream.reset()
    await chat(rig.base)
    expect(rig.upstream.requests.map((r) => r.key)).toEqual(['sk-good'])
  })

  test('429 insufficient_quota is a key failure, not a cool-down', async () => {
    await using rig = await proxyRig(['sk-quota-1', 'sk-good'], { config: { blacklist_threshold: 1 } })
    expect((await chat(rig.base)).status).toBe(200)
    await rig.app.deps.pool.flush()
    expect((await keyStates(rig.app.deps, rig.group.id))['sk-quota-1']!.status).toBe('invalid')
  })

  test('500 and 529 retry on another key without penalising the key', async () => {
    await using rig = await proxyRig(['sk-500-a', 'sk-529-b', 'sk-good'])
    for (let i = 0; i < 3; i++) expect((await chat(rig.base)).status).toBe(200)
    await rig.app.deps.pool.flush()
    const s = await keyStates(rig.app.deps, rig.group.id)
    expect(s['sk-500-a']).toEqual({ status: 'active', failures: 0 })
    expect(s['sk-529-b']).toEqual({ status: 'active', failures: 0 })
  })

  test('other 4xx pass through untouched with no retry and no penalty', async () => {
    await using rig = await proxyRig(['sk-400-a', 'sk-good'])
    const res = await chat(rig.base)
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { type: string } }
    expect(body.error.type).toBe('invalid_request_error')
    expect(rig.upstream.requests.length).toBe(1)
    await rig.app.deps.pool.flush()
    expect((await keyStates(rig.app.deps, rig.group.id))['sk-400-a']).toEqual({ status: 'active', failures: 0 })
  })

  test('when every attempt fails the last upstream answer is returned as is', async () => {
    await using rig = await proxyRig(['sk-bad-1', 'sk-bad-2'], { config: { max_retries: 5 } })
    const res = await chat(rig.base)
    expect(res.status).toBe(401)
    const body = (await res.json()) as { error: { code: string } }
    expect(body.error.code).toBe('invalid_api_key')
    expect(rig.upstream.requests.length).toBe(2) // each key once, never the same key twice
  })

  test('max_retries bounds the attempts', async () => {
    await using rig = await proxyRig(['sk-500-1', 'sk-500-2', 'sk-500-3', 'sk-500-4'], { config: { max_retries: 1 } })
    const res = await chat(rig.base)
    expect(res.status).toBe(500)
    expect(rig.upstream.requests.length).toBe(2)
    const [row] = await logsOf(rig.app)
    expect(row).toMatchObject({ status_code: 500, is_success: false, attempt: 2, retries: 1 })
  })

  test('failover_status_codes decides which statuses retry', async () => {
    await using rig = await proxyRig(['sk-400-a', 'sk-good'], { config: { failover_status_codes: '400-499' } })
    expect((await chat(rig.base)).status).toBe(200)
    expect(rig.upstream.requests.length).toBe(2)
  })

  test('failover_status_codes without 5xx stops retrying 500', async () => {
    await using rig = await proxyRig(['sk-500-a', 'sk-good'], { config: { failover_status_codes: '401,403,429' } })
    const res = await chat(rig.base)
    expect(res.status).toBe(500)
    expect(rig.upstream.requests.length).toBe(1)
  })

  test('success resets the consecutive failure count', async () => {
    await using rig = await proxyRig(['sk-k1', 'sk-good'], { config: { blacklist_threshold: 3 } })
    rig.upstream.setBehavior('sk-k1', 'bad')
    await chat(rig.base)
    await chat(rig.base)
    await rig.app.deps.pool.flush()
    expect((await keyStates(rig.app.deps, rig.group.id))['sk-k1']!.failures).toBeGreaterThanOrEqual(1)
    rig.upstream.setBehavior('sk-k1', 'ok')
    for (let i = 0; i < 4; i++) await chat(rig.base)
    await rig.app.deps.pool.flush()
    expect((await keyStates(rig.app.deps, rig.group.id))['sk-k1']).toEqual({ status: 'active', failures: 0 })
  })

  test('network error (upstream down) retries on the next upstream and reports 502 when all are down', async () => {
    const dead = Bun.serve({ port: 0, fetch: () => new Response('') })
    const deadUrl = `http://127.0.0.1:${dead.port}`
    dead.stop(true)
    await using rig = await proxyRig(['sk-a', 'sk-b'], { config: { max_retries: 1 } })
    await rig.app.deps.store.updateGroup(rig.group.id, { upstreams: [{ url: deadUrl, weight: 1 }] })
    await rig.app.deps.groups.invalidate([rig.group.id])
    const res = await chat(rig.base)
    expect(res.status).toBe(502)
    const body = (await res.json()) as { error: { message: string } }
    expect(body.error.message).toContain('upstream')
    await rig.app.deps.pool.flush()
    expect((await keyStates(rig.app.deps, rig.group.id))['sk-a']).toEqual({ status: 'active', failures: 0 })
  })

  test('gemini 400 API_KEY_INVALID is a key failure: retried on another key', async () => {
    await using rig = await proxyRig(['sk-bad-gem', 'AIza-good'], { channel_type: 'gemini', config: { blacklist_threshold: 1 } })
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${rig.base}/v1beta/models/gemini-2.0-flash:generateContent`, {
        method: 'POST',
        headers: { 'x-goog-api-key': PROXY_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
      })
      expect(res.status).toBe(200)
    }
    await rig.app.deps.pool.flush()
    expect((await keyStates(rig.app.deps, rig.group.id))['sk-bad-gem']!.status).toBe('invalid')
  })

  test('anthropic "credit balance is too low" (400) is a key failure', async () => {
    await using rig = await proxyRig(['sk-quota-ant', 'sk-ant-good'], { channel_type: 'anthropic', config: { blacklist_threshold: 1 } })
    const res = await fetch(`${rig.base}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': PROXY_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-3-5-haiku-latest', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(res.status).toBe(200)
    await rig.app.deps.pool.flush()
    expect((await keyStates(rig.app.deps, rig.group.id))['sk-quota-ant']!.status).toBe('invalid')
  })

  test('no headers within response_header_timeout: transient, retried on the next key, no penalty', async () => {
    await using rig = await proxyRig(['sk-slow-a', 'sk-slow-b'], { config: { response_header_timeout: 1 } })
    // the fake delays its headers by 1.5 s for this body, so each attempt times out after 1 s
    const res = await chat(rig.base, { fake_delay_ms: 1500 })
    expect(res.status).toBe(502)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('timeout')
    expect(rig.upstream.requests.length).toBe(2)
    await rig.app.deps.pool.flush()
    expect(await keyStates(rig.app.deps, rig.group.id)).toEqual({
      'sk-slow-a': { status: 'active', failures: 0 },
      'sk-slow-b': { status: 'active', failures: 0 },
    })
  })

  test('a retried attempt gets its own log row (request_type retry); stats count the request once', async () => {
    await using rig = await proxyRig(['sk-bad-first', 'sk-good'])
    expect((await chat(rig.base)).status).toBe(200)
    const rows = await logsOf(rig.app)
    expect(rows.map((r) => ({ type: r.request_type, status: r.status_code, ok: r.is_success, attempt: r.attempt, key: r.key_masked }))).toEqual([
      { type: 'final', status: 200, ok: true, attempt: 2, key: 's…d' },
      { type: 'retry', status: 401, ok: false, attempt: 1, key: 'sk-…rst' },
    ])
    expect(rows[1]!.error_message).toContain('401')
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000
    const stats = await rig.app.deps.store.hourlyStats(hour - 3_600_000, hour + 3_600_000, rig.group.id)
    expect(stats.reduce((n, s) => n + s.success_count + s.failure_count, 0)).toBe(1)
    // the admin API filters them
    const only = (await (await rig.app.api('/api/logs?request_type=retry')).json()) as { data: { items: { request_type: string }[] } }
    expect(only.data.items.map((i) => i.request_type)).toEqual(['retry'])
  })

  test('a retry row names the model the client asked for, as the final row does', async () => {
    await using rig = await proxyRig(['sk-bad-first', 'sk-good'])
    expect((await chat(rig.base, { model: 'gpt-4.1-nano' })).status).toBe(200)
    const rows = await logsOf(rig.app)
    expect(rows.map((r) => ({ type: r.request_type, model: r.model }))).toEqual([
      { type: 'final', model: 'gpt-4.1-nano' },
      { type: 'retry', model: 'gpt-4.1-nano' },
    ])
  })
})
