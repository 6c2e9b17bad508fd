/** Protocol translation on /proxy/{group}/…: only when the group enables it, never on a native path. */
import { describe, expect, test } from 'bun:test'
import { logsOf, PROXY_KEY, proxyRig } from './helpers'
import { waitFor } from '../support/test-app'

const on = { config: { protocol_translation: true } }
const messages = (base: string, body: object, headers: Record<string, string> = {}) =>
  fetch(`${base}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': PROXY_KEY, 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'hello' }], ...body }),
  })

describe('proxy translation', () => {
  test('off by default: a foreign path goes upstream untouched', async () => {
    await using rig = await proxyRig(['sk-a'])
    const res = await messages(rig.base, {})
    expect(res.status).toBe(200)
    expect(rig.upstream.requests.map((r) => r.path)).toEqual(['/v1/messages'])
    expect((await logsOf(rig.app))[0]).toMatchObject({ protocol_in: '', protocol_out: '' })
  })

  test('on: Anthropic in, Chat Completions out; answer, usage, dropped header and log row', async () => {
    await using rig = await proxyRig(['sk-a'], on)
    const res = await messages(rig.base, { top_k: 3 })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-keypool-dropped-params')).toBe('top_k')
    const body = (await res.json()) as { type: string; content: { type: string; text: string }[]; usage: { input_tokens: number; output_tokens: number } }
    expect(body.type).toBe('message')
    expect(body.content[0]!.text).toBe('fake0 fake1 fake2 fake3 fake4 ')
    expect(rig.upstream.requests.map((r) => [r.path, r.key])).toEqual([['/v1/chat/completions', 'sk-a']])
    const [row] = await logsOf(rig.app)
    expect(row).toMatchObject({ protocol_in: 'anthropic', protocol_out: 'openai', is_success: true, model: 'gpt-4o', path: '/v1/chat/completions' })
    expect(row!.prompt_tokens).toBe(body.usage.input_tokens)
    expect(row!.completion_tokens).toBe(body.usage.output_tokens)
  })

  test('on: a native path is never touched (same bytes upstream)', async () => {
    await using rig = await proxyRig(['sk-a'], on)
    const raw = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], extra_field: 1 })
    const res = await fetch(`${rig.base}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${PROXY_KEY}`, 'content-type': 'application/json' }, body: raw })
    expect(res.status).toBe(200)
    expect(rig.upstream.requests[0]!.bodySha256).toBe(new Bun.CryptoHasher('sha256').update(raw).digest('hex'))
    expect((await logsOf(rig.app))[0]).toMatchObject({ protocol_in: '', protocol_out: '' })
  })

  test('a request that cannot be expressed is a 400 in the caller shape naming the field; nothing goes upstream', async () => {
    await using rig = await proxyRig(['sk-a'], { channel_type: 'gemini', ...on })
    const res = await fetch(`${rig.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROXY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'g', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] }),
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { message: string; type: string } }
    expect(body.error.type).toBe('invalid_request_error')
    expect(body.error.message).toContain('messages[0].content[0].image_url.url')
    expect(rig.upstream.requests).toEqual([])
    const bad = await fetch(`${rig.base}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${PROXY_KEY}` }, body: '{nope' })
    expect(bad.status).toBe(400)
  })

  test('upstream and gateway errors come back in the caller shape', async () => {
    await using rig = await proxyRig(['sk-bad-revoked'], { channel_type: 'gemini', config: { protocol_translation: true, max_retries: 0 } })
    const res = await messages(rig.base, { model: 'gemini-2.0-flash' })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { type: string; error: { type: string; message: string } }
    expect(body.type).toBe('error')
    expect(body.error.type).toBe('invalid_request_error')
    expect(rig.upstream.requests[0]!.path).toBe('/v1beta/models/gemini-2.0-flash:generateContent')
    const wrongKey = await messages(rig.base, {}, { 'x-api-key': 'nope' })
    expect(wrongKey.status).toBe(401)
    expect(await wrongKey.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } })
    expect(rig.upstream.requests.length).toBe(1)
  })

  test('a Gemini caller with ?key= against an Anthropic group, streamed', async () => {
    await using rig = await proxyRig(['sk-ant'], { channel_type: 'anthropic', ...on })
    const res = await fetch(`${rig.base}/v1beta/models/claude-x:streamGenerateContent?alt=sse&key=${PROXY_KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const chunks = (await res.text()).split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)))
    expect(chunks.map((c) => c.candidates[0].content.parts[0]?.text ?? '').join('')).toBe('fake0 fake1 fake2 fake3 fake4 ')
    expect(chunks.at(-1).usageMetadata.totalTokenCount).toBeGreaterThan(0)
    const up = rig.upstream.requests[0]!
    expect([up.path, up.key, up.query]).toEqual(['/v1/messages', 'sk-ant', {}])
    const [row] = await logsOf(rig.app)
    expect(row).toMatchObject({ protocol_in: 'gemini', protocol_out: 'anthropic', is_stream: true, is_success: true })
    expect(row!.total_tokens).toBe(chunks.at(-1).usageMetadata.totalTokenCount)
  })

  test('a client that leaves a translated stream stops the upstream call (499 logged)', async () => {
    await using rig = await proxyRig(['sk-a'], on)
    const held = rig.upstream.holdNextStream()
    const res = await messages(rig.base, { stream: true })
    const reader = res.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first).toContain('message_start')
    await reader.cancel()
    await rig.upstream.waitFor((r) => r[0]?.aborted === true)
    held.release()
    await waitFor(async () => (await logsOf(rig.app)).some((r) => r.status_code === 499), 5000, 'a 499 row')
  })
})

describe('protocol_translation through the admin API', () => {
  test('a group saved with it on translates; a non-boolean value is refused', async () => {
    await using rig = await proxyRig([])
    const body = (config: object) => JSON.stringify({ name: 'ant', channel_type: 'anthropic', upstreams: [{ url: rig.upstream.url, weight: 1 }], config })
    const bad = await rig.app.api('/api/groups', { method: 'POST', body: body({ protocol_translation: 'yes' }) })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { code: string }).code).toBe('VALIDATION_ERROR')
    const created = await rig.app.api('/api/groups', { method: 'POST', body: body({ protocol_translation: true }) })
    expect(created.status).toBe(200)
    const { data } = (await created.json()) as { data: { id: number } }
    const added = await rig.app.api('/api/keys/add-multiple', { method: 'POST', body: JSON.stringify({ group_id: data.id, keys_text: 'sk-ant-1' }) })
    expect(added.status).toBe(200)
    await waitFor(async () => (await fetch(`${rig.app.url}/proxy/ant/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${PROXY_KEY}` }, body: '{}' })).status === 400, 5000, 'group live')
    const res = await fetch(`${rig.app.url}/proxy/ant/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROXY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-x', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { object: string }).object).toBe('chat.completion')
    expect(rig.upstream.requests.at(-1)!.path).toBe('/v1/messages')
  })
})

describe('hostile bodies on a translated path', () => {
  test('bodies of the wrong shape are 400s in the caller shape, never a gateway error', async () => {
    await using rig = await proxyRig(['sk-a'], { channel_type: 'gemini', ...on })
    const cases: [string, unknown][] = [
      ['/v1/messages', { model: 'm', max_tokens: 1, messages: 5 }],
      ['/v1/messages', { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 5 }] }],
      ['/v1/messages', { model: 'm', max_tokens: 1, messages: [null] }],
      ['/v1/messages', []],
      ['/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: [null] }] }],
      ['/v1/chat/completions', { model: 7, messages: [] }],
      ['/v1/responses', { model: 'm', input: [{ type: 'message', role: 'user', content: 5 }] }],
      ['/v1/responses', { model: 'm', input: 5 }],
    ]
    for (const [path, body] of cases) {
      const res = await fetch(`${rig.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${PROXY_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
      expect([path, res.status]).toEqual([path, 400])
      const json = (await res.json()) as Record<string, unknown>
      expect(path === '/v1/messages' ? json.type : typeof json.error).toBe(path === '/v1/messages' ? 'error' : 'object')
    }
    expect(rig.upstream.requests).toEqual([])
  })

  test('a Gemini caller body of the wrong shape against an OpenAI group', async () => {
    await using rig = await proxyRig(['sk-a'], on)
    for (const body of [{ contents: [{ role: 'user', parts: 'x' }] }, { contents: 'x' }, { contents: [5] }]) {
      const res = await fetch(`${rig.base}/v1beta/models/m:generateContent`, { method: 'POST', headers: { 'x-goog-api-key': PROXY_KEY }, body: JSON.stringify(body) })
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: { code: number } }).error.code).toBe(400)
    }
    expect(rig.upstream.requests).toEqual([])
  })
})

describe('hostile upstream answers on a translated path', () => {
  test('a 200 answer that is not the protocol shape becomes a 502 in the caller shape', async () => {
    const bodies = ['{"choices":5}', 'not json', '[1,2]']
    let n = 0
    using odd = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response(bodies[n++ % bodies.length], { headers: { 'content-type': 'application/json' } }) })
    await using rig = await proxyRig(['sk-a'], { ...on, upstreams: [{ url: `http://127.0.0.1:${odd.port}`, weight: 1 }] })
    for (const _ of bodies) {
      const res = await messages(rig.base, {})
      expect(res.status).toBe(502)
      expect(await res.json()).toMatchObject({ type: 'error', error: { message: 'the upstream answer could not be read for translation' } })
    }
  })
})
