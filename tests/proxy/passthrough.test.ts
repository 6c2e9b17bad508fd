/** The proxy forwards exactly what the client sent (but credentials) and returns exactly what the upstream said. */
import { describe, expect, test } from 'bun:test'
import { chat, logsOf, PROXY_KEY, proxyRig } from './helpers'

const sha256 = (b: Uint8Array | string) => new Bun.CryptoHasher('sha256').update(b).digest('hex')

describe('proxy passthrough', () => {
  test('swaps the proxy key for a pool key and passes body bytes through unchanged', async () => {
    await using rig = await proxyRig(['sk-good-1'])
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'héllo ✓' }], temperature: 0.25 })
    const res = await fetch(`${rig.base}/v1/chat/completions?foo=bar&x=1%202`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_KEY}`, 'x-custom': 'kept', 'openai-organization': 'org-1' },
      body,
    })
    expect(res.status).toBe(200)
    const json = (await res.json()) as { choices: unknown[]; usage: { total_tokens: number } }
    expect(json.choices.length).toBe(1)
    const seen = rig.upstream.requests[0]!
    expect(seen.key).toBe('sk-good-1')
    expect(seen.path).toBe('/v1/chat/completions')
    expect(seen.query).toEqual({ foo: 'bar', x: '1 2' })
    expect(seen.bodySha256).toBe(sha256(body))
    expect(seen.headers['x-custom']).toBe('kept')
    expect(seen.headers['openai-organization']).toBe('org-1')
    expect(JSON.stringify(seen.headers)).not.toContain(PROXY_KEY)
    expect(res.headers.get('x-fake-request-sha256')).toBe(sha256(body))
    const [row] = await logsOf(rig.app)
    expect(row).toMatchObject({
      group_name: 'g1',
      status_code: 200,
      is_success: true,
      is_stream: false,
      model: 'gpt-4o-mini',
      path: '/v1/chat/completions',
      attempt: 1,
      retries: 0,
      upstream: rig.upstream.url,
      key_masked: 'sk-…d-1',
    })
    expect(row!.total_tokens).toBe(json.usage.total_tokens)
    expect(row!.total_tokens).toBeGreaterThan(0)
    expect(JSON.stringify(row)).not.toContain('sk-good-1')
  })

  test('5 MB request and 5 MB response arrive intact', async () => {
    await using rig = await proxyRig(['sk-good'])
    const text = 'x'.repeat(5 * 1024 * 1024 - 7) + 'ünï✓'
    const body = JSON.stringify({ model: 'gpt-4o-mini-echo', messages: [{ role: 'user', content: text }] })
    const res = await fetch(`${rig.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_KEY}` },
      body,
    })
    expect(res.status).toBe(200)
    const json = (await res.json()) as { choices: { message: { content: string } }[] }
    expect(sha256(json.choices[0]!.message.content)).toBe(sha256(text))
    expect(rig.upstream.requests[0]!.bodySha256).toBe(sha256(body))
  })

  test('gzip answers pass through byte-exact with their content-encoding', async () => {
    await using rig = await proxyRig(['sk-good'])
    const res = await fetch(`${rig.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_KEY}`, 'accept-encoding': 'gzip' },
      body: JSON.stringify({ model: 'gpt-4o-mini', fake_gzip: true, messages: [{ role: 'user', content: 'zip me' }] }),
      decompress: false,
    } as RequestInit)
    expect(res.headers.get('content-encoding')).toBe('gzip')
    const raw = new Uint8Array(await res.arrayBuffer())
    const plain = JSON.parse(new TextDecoder().decode(Bun.gunzipSync(raw))) as { object: string }
    expect(plain.object).toBe('chat.completion')
  })

  test('SSE is streamed chunk by chunk and usage is read from the stream', async () => {
    await using rig = await proxyRig(['sk-good'])
    const res = await chat(rig.base, { stream: true, fake_chunks: 8, fake_chunk_delay_ms: 5, stream_options: { include_usage: true } })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    let reads = 0
    let text = ''
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      reads++
      text += new TextDecoder().decode(value)
    }
    expect(reads).toBeGreaterThan(3) // arrived in pieces, not buffered into one
    const events = text.split('\n\n').filter((e) => e.startsWith('data: '))
    expect(events.at(-1)).toBe('data: [DONE]')
    expect(events.length).toBeGreaterThanOrEqual(9)
    const [row] = await logsOf(rig.app)
    expect(row!.is_stream).toBe(true)
    expect(row!.total_tokens).toBeGreaterThan(0)
    expect(row!.ttfb_ms).not.toBeNull()
  })

  test('hop-by-hop headers are not forwarded', async () => {
    await using rig = await proxyRig(['sk-good'])
    await chat(rig.base, {}, { connection: 'keep-alive, x-hop', 'x-hop': '1', te: 'trailers', 'proxy-authorization': 'Basic abc' })
    const h = rig.upstream.requests[0]!.headers
    expect(h['x-hop']).toBeUndefined()
    expect(h['proxy-authorization']).toBeUndefined()
    expect(h.te).toBeUndefined()
  })
})

test('usage is read from a gzip answer too (SDKs ask for compression), while the client gets the exact bytes', async () => {
  await using rig = await proxyRig(['sk-good'])
  const res = await fetch(`${rig.base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_KEY}`, 'accept-encoding': 'gzip' },
    body: JSON.stringify({ model: 'gpt-4o-mini', fake_gzip: true, messages: [{ role: 'user', content: 'count my tokens' }] }),
    decompress: false,
  } as RequestInit)
  expect(res.headers.get('content-encoding')).toBe('gzip')
  const json = JSON.parse(new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(await res.arrayBuffer())))) as {
    usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number }
  }
  const [row] = await logsOf(rig.app)
  expect({ p: row!.prompt_tokens, c: row!.completion_tokens, t: row!.total_tokens }).toEqual({
    p: json.usage.prompt_tokens,
    c: json.usage.completion_tokens,
    t: json.usage.total_tokens,
  })
  expect(row!.total_tokens).toBeGreaterThan(0)
})
