/**
 * OpenAI chat streams carry usage only when asked: keypool asks upstream for the client that did not, hides the extra
 * chunk, and logs the tokens and cost (docs: README "Cost"). Real server, fake upstream that honours include_usage.
 */
import { describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { createProxyDeps } from '../../server/app'
import { admitRequest, prepareRequest, type Prepared } from '../../server/proxy/prepare'
import { logsOf, PROXY_KEY, proxyRig } from './helpers'

const body = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'count to five' }], stream: true, fake_chunks: 6, ...over })

const post = (url: string, text: string, key: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: text })

describe('usage of OpenAI chat streams', () => {
  test('the openai SDK streaming without include_usage sees no usage chunk; the log row has tokens and cost', async () => {
    await using rig = await proxyRig(['sk-good'])
    const client = new OpenAI({ apiKey: PROXY_KEY, baseURL: `${rig.base}/v1`, maxRetries: 0 })
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi there' }] })
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = []
    for await (const c of stream) chunks.push(c)
    expect(chunks.length).toBeGreaterThan(3)
    expect(chunks.every((c) => c.choices.length === 1 && !('usage' in c))).toBe(true)
    const [row] = await logsOf(rig.app)
    expect(row!.is_stream).toBe(true)
    expect(row!.prompt_tokens).toBeGreaterThan(0)
    expect(row!.completion_tokens).toBeGreaterThan(0)
    // gpt-4o-mini at the shipped $0.15 / $0.60 per million
    expect(row!.priced).toBe(true)
    expect(row!.cost_micros).toBe(Math.round(row!.prompt_tokens * 0.15 + row!.completion_tokens * 0.6))
    expect(row!.cost_micros).toBeGreaterThan(0)
    // the upstream was asked for an uncompressed answer keypool can read
    expect(rig.upstream.requests[0]!.headers['accept-encoding']).toBe('identity')
  })

  test('the client gets byte for byte what the upstream sends a client that did not ask, chunk by chunk', async () => {
    await using rig = await proxyRig(['sk-good'])
    const text = body({ fake_chunk_delay_ms: 5 })
    const direct = await (await post(`${rig.upstream.url}/v1/chat/completions`, text, 'sk-good')).text()
    expect(direct).not.toContain('usage')
    const res = await post(`${rig.base}/v1/chat/completions`, text, PROXY_KEY)
    const reader = res.body!.getReader()
    let reads = 0
    let got = ''
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      reads++
      got += new TextDecoder().decode(value)
    }
    expect(got).toBe(direct)
    expect(reads).toBeGreaterThan(3)
    const [row] = await logsOf(rig.app)
    expect(row!.total_tokens).toBeGreaterThan(0)
  })

  test('a client that asks gets the usage chunk and its own request bytes upstream', async () => {
    await using rig = await proxyRig(['sk-good'])
    const text = body({ stream_options: { include_usage: true } })
    const direct = await (await post(`${rig.upstream.url}/v1/chat/completions`, text, 'sk-good')).text()
    const got = await (await post(`${rig.base}/v1/chat/completions`, text, PROXY_KEY)).text()
    expect(got).toBe(direct)
    expect(got).toContain('"choices":[],"usage":{')
    const sha = new Bun.CryptoHasher('sha256').update(text).digest('hex')
    expect(rig.upstream.requests.at(-1)!.bodySha256).toBe(sha)
  })

  test('with openai_stream_usage off the request passes untouched and the usage stays unknown', async () => {
    await using rig = await proxyRig(['sk-good'], { config: { openai_stream_usage: false } })
    const text = body()
    const got = await (await post(`${rig.base}/v1/chat/completions`, text, PROXY_KEY)).text()
    expect(got).not.toContain('usage')
    expect(rig.upstream.requests[0]!.bodySha256).toBe(new Bun.CryptoHasher('sha256').update(text).digest('hex'))
    const [row] = await logsOf(rig.app)
    expect([row!.total_tokens, row!.cost_micros, row!.priced]).toEqual([0, 0, true])
  })

  test('with the setting off, a request whose limits need usage (needsUsage) still asks for it', async () => {
    await using rig = await proxyRig(['sk-good'], { config: { openai_stream_usage: false } })
    const d = createProxyDeps(rig.app.deps)
    const url = new URL(`${rig.base}/v1/chat/completions`)
    const prepare = async (needsUsage: boolean) => {
      const request = new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_KEY}` }, body: body() })
      const admitted = admitRequest(d, { request, groupName: 'g1', path: '/v1/chat/completions', url, ip: '127.0.0.1' })
      if (admitted instanceof Response) throw new Error(`refused: ${admitted.status}`)
      admitted.rec.needsUsage = needsUsage
      const prepared = (await prepareRequest(admitted, d.cache)) as Prepared
      admitted.rec.finish(200, true, '')
      return { sent: JSON.parse(new TextDecoder().decode(prepared.body!)), hide: prepared.rec.hideUsageChunk }
    }
    expect(await prepare(true)).toMatchObject({ sent: { stream_options: { include_usage: true } }, hide: true })
    const off = await prepare(false)
    expect([off.sent.stream_options, off.hide]).toEqual([undefined, false])
  })
})
