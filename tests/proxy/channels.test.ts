/** Each channel's credential handling through the proxy: the upstream sees only the real key, where it expects it. */
import { describe, expect, test } from 'bun:test'
import { logsOf, PROXY_KEY, proxyRig } from './helpers'

describe('channels through the proxy', () => {
  test('anthropic: x-api-key swapped, anthropic-version kept or defaulted, usage read from the stream', async () => {
    await using rig = await proxyRig(['sk-ant-real'], { channel_type: 'anthropic' })
    const body = JSON.stringify({ model: 'claude-3-5-haiku-latest', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] })
    const res = await fetch(`${rig.base}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': PROXY_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body,
    })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).toContain('event: message_stop')
    const seen = rig.upstream.requests[0]!
    expect(seen.key).toBe('sk-ant-real')
    expect(seen.headers['x-api-key']).toBe('sk-ant-real')
    expect(seen.headers.authorization).toBeUndefined()
    expect(seen.headers['anthropic-version']).toBe('2023-06-01')
    const [row] = await logsOf(rig.app)
    expect(row!.prompt_tokens).toBeGreaterThan(0)
    expect(row!.completion_tokens).toBeGreaterThan(0)
    expect(row!.model).toBe('claude-3-5-haiku-latest')
  })

  test('anthropic: a Bearer proxy key also works and never reaches the upstream', async () => {
    await using rig = await proxyRig(['sk-ant-real'], { channel_type: 'anthropic' })
    const res = await fetch(`${rig.base}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROXY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-3-5-haiku-latest', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(res.status).toBe(200)
    const seen = rig.upstream.requests[0]!
    expect(seen.headers.authorization).toBeUndefined()
    expect(seen.headers['anthropic-version']).toBe('2023-06-01')
  })

  test('gemini: ?key= style is kept with the real key; header style uses x-goog-api-key', async () => {
    await using rig = await proxyRig(['AIza-real-key'], { channel_type: 'gemini' })
    const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })
    const q = await fetch(`${rig.base}/v1beta/models/gemini-2.0-flash:generateContent?key=${PROXY_KEY}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    expect(q.status).toBe(200)
    expect(rig.upstream.requests[0]!.query).toEqual({ key: 'AIza-real-key' })
    expect(rig.upstream.requests[0]!.headers['x-goog-api-key']).toBeUndefined()
    const h = await fetch(`${rig.base}/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': PROXY_KEY },
      body,
    })
    expect(h.status).toBe(200)
    expect(await h.text()).toContain('STOP')
    const seen = rig.upstream.requests[1]!
    expect(seen.headers['x-goog-api-key']).toBe('AIza-real-key')
    expect(seen.query).toEqual({ alt: 'sse' })
    const rows = await logsOf(rig.app)
    expect(rows.every((r) => r.model === 'gemini-2.0-flash')).toBe(true)
    expect(rows.find((r) => r.is_stream)!.total_tokens).toBeGreaterThan(0)
  })

  test('openai-response: /v1/responses with Bearer injection and usage from response.completed', async () => {
    await using rig = await proxyRig(['sk-resp'], { channel_type: 'openai-response' })
    const res = await fetch(`${rig.base}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROXY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', input: 'hi', stream: true }),
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('response.completed')
    expect(rig.upstream.requests[0]!.headers.authorization).toBe('Bearer sk-resp')
    const [row] = await logsOf(rig.app)
    expect(row!.total_tokens).toBeGreaterThan(0)
  })
})
