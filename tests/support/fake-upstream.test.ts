import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { startFakeUpstream } from './fake-upstream.ts'

const upstream = await startFakeUpstream()
afterAll(() => upstream.stop())
beforeEach(() => upstream.reset())

type Init = { key?: string; header?: 'bearer' | 'x-api-key' | 'x-goog-api-key' | 'query'; body?: unknown; method?: string; headers?: Record<string, string>; signal?: AbortSignal }

function call(path: string, init: Init = {}): Promise<Response> {
  const url = new URL(path, upstream.url)
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers }
  const key = init.key
  if (key !== undefined) {
    const style = init.header ?? (path.startsWith('/v1beta') ? 'x-goog-api-key' : path.startsWith('/v1/messages') ? 'x-api-key' : 'bearer')
    if (style === 'bearer') headers.authorization = `Bearer ${key}`
    else if (style === 'query') url.searchParams.set('key', key)
    else headers[style] = key
  }
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body)
  return fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, signal: init.signal })
}

const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello there' }] }
const sseDataLines = (text: string) =>
  text.split(/\r?\n/).filter((l) => l.startsWith('data: ')).map((l) => l.slice(6))

describe('OpenAI routes', () => {
  test('chat completion JSON with usage and the sha of the request body', async () => {
    const body = JSON.stringify(chat)
    const res = await call('/v1/chat/completions', { key: 'sk-ok', body })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-fake-request-sha256')).toBe(new Bun.CryptoHasher('sha256').update(body).digest('hex'))
    const json = (await res.json()) as { model: string; object: string; choices: { message: { content: string } }[]; usage: object }
    expect(json.object).toBe('chat.completion')
    expect(json.model).toBe('gpt-4o')
    expect(json.choices[0]!.message.content).toBe('fake0 fake1 fake2 fake3 fake4 ')
    expect(json.usage).toEqual({ prompt_tokens: 11, completion_tokens: 8, total_tokens: 19 })
  })

  test('chat completion SSE: fake_chunks pieces, usage in the last chunk when include_usage asks, then [DONE]', async () => {
    const res = await call('/v1/chat/completions', { key: 'sk-ok', body: { ...chat, stream: true, fake_chunks: 3, stream_options: { include_usage: true } } })
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const data = sseDataLines(await res.text())
    expect(data.at(-1)).toBe('[DONE]')
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d))
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')
    expect(text).toBe('fake0 fake1 fake2 ')
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 } })
    // as OpenAI: every other chunk says usage: null
    expect(chunks.slice(0, -1).map((c) => c.usage)).toEqual([null, null, null, null, null])
  })

  test('chat completion SSE without include_usage: no usage anywhere, as OpenAI', async () => {
    const res = await call('/v1/chat/completions', { key: 'sk-ok', body: { ...chat, stream: true, fake_chunks: 3 } })
    const text = await res.text()
    expect(text).not.toContain('usage')
    expect(sseDataLines(text).at(-1)).toBe('[DONE]')
  })

  test('embeddings, one vector per input', async () => {
    const res = await call('/v1/embeddings', { key: 'sk-ok', body: { model: 'text-embedding-3-small', input: ['a', 'b'] } })
    const json = (await res.json()) as { data: { index: number; embedding: number[] }[]; usage: object }
    expect(json.data.map((d) => [d.index, d.embedding.length])).toEqual([[0, 8], [1, 8]])
    expect(json.usage).toEqual({ prompt_tokens: 1, total_tokens: 1 })
  })

  test('models list', async () => {
    const json = (await (await call('/v1/models', { key: 'sk-ok' })).json()) as { object: string; data: { id: string }[] }
    expect(json.object).toBe('list')
    expect(json.data.map((m) => m.id)).toEqual(['gpt-4o', 'gpt-4o-mini', 'o3-mini'])
  })

  test('responses JSON and SSE ending with response.completed and usage', async () => {
    const body = { model: 'gpt-4o', input: 'Hi' }
    const json = (await (await call('/v1/responses', { key: 'sk-ok', body })).json()) as { object: string; status: string; usage: object }
    expect(json.object).toBe('response')
    expect(json.usage).toMatchObject({ input_tokens: 1, output_tokens: 8, total_tokens: 9 })
    const text = await (await call('/v1/responses', { key: 'sk-ok', body: { ...body, stream: true, fake_chunks: 2 } })).text()
    const types = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1])
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ])
    const completed = JSON.parse(sseDataLines(text).at(-1)!)
    expect(completed.response.usage).toMatchObject({ input_tokens: 1, output_tokens: 3, total_tokens: 4 })
  })
})

describe('Anthropic routes', () => {
  const messages = { model: 'claude-3-5-haiku-20241022', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] }

  test('messages JSON', async () => {
    const json = (await (await call('/v1/messages', { key: 'sk-ant-ok', body: messages })).json()) as Record<string, unknown>
    expect(json).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-3-5-haiku-20241022', stop_reason: 'end_turn' })
    expect(json.usage).toEqual({ input_tokens: 8, output_tokens: 8 })
  })

  test('messages SSE: the full event sequence', async () => {
    const text = await (await call('/v1/messages', { key: 'sk-ant-ok', body: { ...messages, stream: true, fake_chunks: 2 } })).text()
    const types = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1])
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
    const data = sseDataLines(text).map((d) => JSON.parse(d))
    expect(data[0].message.usage.input_tokens).toBe(8)
    expect(data[6].usage).toEqual({ output_tokens: 3 })
  })

  test('models list (told apart from OpenAI by anthropic-version)', async () => {
    const res = await call('/v1/models', { key: 'sk-ant-ok', header: 'x-api-key', headers: { 'anthropic-version': '2023-06-01' } })
    const json = (await res.json()) as { data: { type: string }[]; has_more: boolean }
    expect(json.has_more).toBe(false)
    expect(json.data.every((m) => m.type === 'model')).toBe(true)
  })
})

describe('Gemini routes', () => {
  const contents = { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] }

  test('generateContent JSON with usageMetadata', async () => {
    const json = (await (await call('/v1beta/models/gemini-2.0-flash:generateContent', { key: 'AIza-ok', body: contents })).json()) as Record<string, unknown>
    expect(json.modelVersion).toBe('gemini-2.0-flash')
    expect(json.usageMetadata).toEqual({ promptTokenCount: 11, candidatesTokenCount: 8, totalTokenCount: 19 })
  })

  test('streamGenerateContent: SSE with alt=sse, a JSON array without', async () => {
    const path = '/v1beta/models/gemini-2.0-flash:streamGenerateContent'
    const sse = await (await call(`${path}?alt=sse`, { key: 'AIza-ok', body: { ...contents, fake_chunks: 3 } })).text()
    const chunks = sseDataLines(sse).map((d) => JSON.parse(d))
    expect(chunks).toHaveLength(3)
    expect(chunks.at(-1).candidates[0].finishReason).toBe('STOP')
    const res = await call(path, { key: 'AIza-ok', body: { ...contents, fake_chunks: 3 } })
    expect(res.headers.get('content-type')).toStartWith('application/json')
    const array = (await res.json()) as { usageMetadata: { candidatesTokenCount: number } }[]
    expect(array.map((c) => c.usageMetadata.candidatesTokenCount)).toEqual([2, 3, 5])
  })

  test('models list and the ?key= style', async () => {
    const json = (await (await call('/v1beta/models', { key: 'AIza-ok', header: 'query' })).json()) as { models: { name: string }[] }
    expect(json.models.map((m) => m.name)).toContain('models/gemini-2.0-flash')
    expect(upstream.requests[0]).toMatchObject({ key: 'AIza-ok', query: { key: 'AIza-ok' } })
  })
})

describe('recording', () => {
  test('a request is recorded with method, path, query, headers, key, body sha and length', async () => {
    const body = JSON.stringify(chat)
    await (await call('/v1/chat/completions?x=1', { key: 'sk-rec', body, headers: { 'x-trace': 't1' } })).text()
    const [r] = upstream.requests
    expect(r).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      query: { x: '1' },
      key: 'sk-rec',
      bodySha256: new Bun.CryptoHasher('sha256').update(body).digest('hex'),
      bodyLength: body.length,
      status: 200,
      aborted: false,
    })
    expect(r!.headers['x-trace']).toBe('t1')
  })

  test('GET /__requests returns the record for out-of-process use, reset() clears it', async () => {
    await (await call('/v1/models', { key: 'sk-a' })).text()
    const listed = (await (await fetch(`${upstream.url}/__requests`)).json()) as { key: string }[]
    expect(listed.map((r) => r.key)).toEqual(['sk-a'])
    upstream.reset()
    expect(upstream.requests).toEqual([])
  })

  test('key sources: bearer, x-api-key, x-goog-api-key, ?key=', async () => {
    for (const header of ['bearer', 'x-api-key', 'x-goog-api-key', 'query'] as const) {
      await (await call('/v1/models', { key: `sk-${header}`, header })).text()
    }
    expect(upstream.requests.map((r) => r.key)).toEqual(['sk-bearer', 'sk-x-api-key', 'sk-x-goog-api-key', 'sk-query'])
  })
})

describe('body controls', () => {
  test('echo: a 5 MB request comes back as the answer, streamed in fake_chunks pieces', async () => {
    const big = 'é🌍x'.repeat(750_000) // 5.25 MB of UTF-8
    const body = { model: 'gpt-4o', messages: [{ role: 'user', content: big }], fake_echo: true }
    const json = (await (await call('/v1/chat/completions', { key: 'sk-ok', body })).json()) as { choices: { message: { content: string } }[] }
    expect(json.choices[0]!.message.content).toBe(big)
    const text = await (await call('/v1/chat/completions', { key: 'sk-ok', body: { ...body, model: 'echo-model', fake_echo: undefined, stream: true, fake_chunks: 7 } })).text()
    const deltas = sseDataLines(text).slice(0, -1).map((d) => JSON.parse(d).choices[0]?.delta?.content ?? '')
    expect(deltas.join('')).toBe(big)
    expect(upstream.requests[0]!.bodyLength).toBeGreaterThan(5_000_000)
  })

  test('echo on anthropic, responses and gemini request shapes', async () => {
    const a = (await (await call('/v1/messages', { key: 'sk-ok', body: { model: 'echo', messages: [{ role: 'user', content: [{ type: 'text', text: 'ping A' }] }] } })).json()) as { content: { text: string }[] }
    expect(a.content[0]!.text).toBe('ping A')
    const r = (await (await call('/v1/responses', { key: 'sk-ok', body: { model: 'echo', input: 'ping R' } })).json()) as { output: { content: { text: string }[] }[] }
    expect(r.output[0]!.content[0]!.text).toBe('ping R')
    const g = (await (await call('/v1beta/models/echo:generateContent', { key: 'AIza', body: { contents: [{ role: 'user', parts: [{ text: 'ping G' }] }] } })).json()) as { candidates: { content: { parts: { text: string }[] } }[] }
    expect(g.candidates[0]!.content.parts[0]!.text).toBe('ping G')
  })

  test('gzip: JSON and SSE answers compressed, readable after decompression', async () => {
    const res = await fetch(`${upstream.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-ok' },
      body: JSON.stringify({ ...chat, fake_gzip: true }),
      decompress: false,
    })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    const raw = new Uint8Array(await res.arrayBuffer())
    expect(Array.from(raw.subarray(0, 2))).toEqual([0x1f, 0x8b])
    expect(JSON.parse(new TextDecoder().decode(Bun.gunzipSync(raw))).object).toBe('chat.completion')
    const streamed = await call('/v1/chat/completions', { key: 'sk-ok', body: { ...chat, stream: true, fake_gzip: true } })
    expect(streamed.headers.get('content-encoding')).toBe('gzip')
    expect(sseDataLines(await streamed.text()).at(-1)).toBe('[DONE]')
  })

  test('invalid JSON body: 400 in the caller family shape', async () => {
    const res = await call('/v1/messages', { key: 'sk-ok', body: '{not json' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } })
  })

  test('unknown route: 404', async () => {
    const res = await call('/v1/nothing', { key: 'sk-ok', body: {} })
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } })
  })
})
