import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { startFakeUpstream } from './fake-upstream.ts'

const upstream = await startFakeUpstream()
afterAll(() => upstream.stop())
beforeEach(() => upstream.reset())

type Family = 'openai' | 'anthropic' | 'gemini'
const routes: Record<Family, { path: string; auth: (key: string) => Record<string, string>; body: object }> = {
  openai: { path: '/v1/chat/completions', auth: (k) => ({ authorization: `Bearer ${k}` }), body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] } },
  anthropic: { path: '/v1/messages', auth: (k) => ({ 'x-api-key': k }), body: { model: 'claude', max_tokens: 5, messages: [{ role: 'user', content: 'Hi' }] } },
  gemini: { path: '/v1beta/models/gemini-2.0-flash:generateContent', auth: (k) => ({ 'x-goog-api-key': k }), body: { contents: [{ parts: [{ text: 'Hi' }] }] } },
}

async function ask(family: Family, key: string | null, extra: object = {}) {
  const r = routes[family]
  const res = await fetch(upstream.url + r.path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === null ? {} : r.auth(key)) },
    body: JSON.stringify({ ...r.body, ...extra }),
  })
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> }
}

/** What an error answer says, whatever its family: [status, openai code | anthropic type | google status]. */
function verdict(family: Family, r: { status: number; body: Record<string, any> }): [number, string | null] {
  if (family === 'openai') return [r.status, r.body.error?.code ?? r.body.error?.type ?? null]
  if (family === 'anthropic') return [r.status, r.body.error?.type ?? null]
  return [r.status, r.body.error?.status ?? null]
}

const expected: Record<string, Record<Family, [number, string | null]>> = {
  none: { openai: [401, 'invalid_request_error'], anthropic: [401, 'authentication_error'], gemini: [401, 'UNAUTHENTICATED'] },
  'sk-bad-1': { openai: [401, 'invalid_api_key'], anthropic: [401, 'authentication_error'], gemini: [400, 'INVALID_ARGUMENT'] },
  'sk-forbid-1': { openai: [403, 'forbidden'], anthropic: [403, 'permission_error'], gemini: [403, 'PERMISSION_DENIED'] },
  'sk-429-1': { openai: [429, 'rate_limit_exceeded'], anthropic: [429, 'rate_limit_error'], gemini: [429, 'RESOURCE_EXHAUSTED'] },
  'sk-quota-1': { openai: [429, 'insufficient_quota'], anthropic: [400, 'invalid_request_error'], gemini: [429, 'RESOURCE_EXHAUSTED'] },
  'sk-500-1': { openai: [500, 'server_error'], anthropic: [500, 'api_error'], gemini: [500, 'INTERNAL'] },
  'sk-529-1': { openai: [529, 'overloaded'], anthropic: [529, 'overloaded_error'], gemini: [529, 'UNAVAILABLE'] },
  'sk-400-1': { openai: [400, 'invalid_request_error'], anthropic: [400, 'invalid_request_error'], gemini: [400, 'INVALID_ARGUMENT'] },
  'sk-good-1': { openai: [200, null], anthropic: [200, null], gemini: [200, null] },
}

describe('key behaviours by prefix, in each provider error shape', () => {
  for (const family of ['openai', 'anthropic', 'gemini'] as const) {
    test(family, async () => {
      const seen: Record<string, [number, string | null]> = {}
      for (const key of Object.keys(expected)) seen[key] = verdict(family, await ask(family, key === 'none' ? null : key))
      expect(seen).toEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v[family]])))
    })
  }

  test('error bodies carry what classifiers look for', async () => {
    expect((await ask('gemini', 'sk-bad')).body.error.details[0].reason).toBe('API_KEY_INVALID')
    expect((await ask('anthropic', 'sk-quota')).body.error.message).toContain('credit balance is too low')
    expect((await ask('openai', 'sk-quota')).body.error).toMatchObject({ type: 'insufficient_quota', param: null })
  })

  test('rate limits carry their retry hint', async () => {
    const plain = await ask('openai', 'sk-429-a')
    expect([plain.headers.get('retry-after'), plain.headers.get('retry-after-ms')]).toEqual(['2', null])
    const ms = await ask('anthropic', 'sk-429ms-a')
    expect([ms.status, ms.headers.get('retry-after'), ms.headers.get('retry-after-ms')]).toEqual([429, null, '1500'])
  })

  test('sk-flaky fails on odd-numbered requests of that key only', async () => {
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await ask('openai', 'sk-flaky-1')).status)
    statuses.push((await ask('openai', 'sk-flaky-2')).status)
    expect(statuses).toEqual([500, 200, 500, 200, 500])
  })

  test('setBehavior overrides the prefix at run time; null restores it; also over HTTP', async () => {
    upstream.setBehavior('sk-good', 'bad')
    expect((await ask('openai', 'sk-good')).status).toBe(401)
    upstream.setBehavior('sk-bad-x', 'ok')
    expect((await ask('openai', 'sk-bad-x')).status).toBe(200)
    upstream.setBehavior('sk-bad-x', null)
    expect((await ask('openai', 'sk-bad-x')).status).toBe(401)
    const set = await fetch(`${upstream.url}/__behavior`, { method: 'POST', body: JSON.stringify({ key: 'sk-good', behavior: '429' }) })
    expect(set.status).toBe(200)
    expect((await ask('gemini', 'sk-good')).status).toBe(429)
    upstream.setBehavior('sk-good', '500')
    expect((await ask('anthropic', 'sk-good')).status).toBe(500)
  })

  test('reset() also forgets overrides', async () => {
    upstream.setBehavior('sk-good', 'bad')
    upstream.reset()
    expect((await ask('openai', 'sk-good')).status).toBe(200)
  })
})

describe('client going away', () => {
  test('sk-hang: headers and a first chunk, then nothing until the client aborts', async () => {
    const controller = new AbortController()
    const res = await fetch(`${upstream.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-hang-1' },
      body: JSON.stringify({ ...routes.openai.body, stream: true }),
      signal: controller.signal,
    })
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first).toStartWith('data: {')
    expect(upstream.requests[0]!.aborted).toBe(false)
    controller.abort()
    await upstream.waitFor((rs) => rs[0]!.aborted)
    expect(upstream.requests[0]!.aborted).toBe(true)
  })

  test('a slow stream cancelled by the client mid-way is marked aborted; a finished one is not', async () => {
    const body = JSON.stringify({ ...routes.anthropic.body, stream: true, fake_chunks: 1000, fake_chunk_delay_ms: 5 })
    const res = await fetch(`${upstream.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'sk-slow' }, body })
    const reader = res.body!.getReader()
    await reader.read()
    await reader.cancel()
    await upstream.waitFor((rs) => rs[0]!.aborted)
    await (await fetch(`${upstream.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'sk-fast' }, body: JSON.stringify({ ...routes.anthropic.body, stream: true }) })).text()
    expect(upstream.requests.map((r) => [r.key, r.aborted])).toEqual([
      ['sk-slow', true],
      ['sk-fast', false],
    ])
  })
})
