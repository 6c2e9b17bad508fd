/** The official SDKs pointed at /proxy/{group}: only the base URL and the key change for the client. */
import { describe, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import { logsOf, PROXY_KEY, proxyRig } from './helpers'

describe('official SDKs', () => {
  test('openai: chat, streaming chat, embeddings, models; a revoked and a rate-limited key in the pool', async () => {
    await using rig = await proxyRig(['sk-bad-revoked', 'sk-429-limited', 'sk-good-1'])
    const client = new OpenAI({ apiKey: PROXY_KEY, baseURL: `${rig.base}/v1`, maxRetries: 0 })
    const done = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
    expect(done.choices[0]!.message.content).toBeTruthy()
    expect(done.usage!.total_tokens).toBeGreaterThan(0)
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'stream please' }],
    })
    let text = ''
    let usage = 0
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? ''
      if (chunk.usage) usage = chunk.usage.total_tokens
    }
    expect(text.length).toBeGreaterThan(0)
    expect(usage).toBeGreaterThan(0)
    const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] })
    expect(emb.data.length).toBe(2)
    const models = await client.models.list()
    expect(models.data.length).toBeGreaterThan(0)
    // the upstream only ever saw pool keys
    expect(rig.upstream.requests.every((r) => r.key?.startsWith('sk-') && r.key !== PROXY_KEY)).toBe(true)
  })

  test('openai: a gateway error surfaces as the SDK error type with our message', async () => {
    await using rig = await proxyRig([])
    const client = new OpenAI({ apiKey: PROXY_KEY, baseURL: `${rig.base}/v1`, maxRetries: 0 })
    const err = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e)
    expect(err).toBeInstanceOf(OpenAI.APIError)
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503)
    expect((err as Error).message).toContain('no available keys')
  })

  test('anthropic: messages and streaming messages', async () => {
    await using rig = await proxyRig(['sk-ant-good', 'sk-quota-dead'], { channel_type: 'anthropic' })
    const client = new Anthropic({ apiKey: PROXY_KEY, baseURL: rig.base, maxRetries: 0 })
    const msg = await client.messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 20, messages: [{ role: 'user', content: 'hello' }] })
    expect(msg.content[0]!.type).toBe('text')
    expect(msg.usage.input_tokens).toBeGreaterThan(0)
    const stream = client.messages.stream({ model: 'claude-3-5-haiku-latest', max_tokens: 20, messages: [{ role: 'user', content: 'stream' }] })
    const final = await stream.finalMessage()
    expect(final.usage.output_tokens).toBeGreaterThan(0)
    expect(rig.upstream.requests.every((r) => r.headers['x-api-key'] !== PROXY_KEY)).toBe(true)
    const rows = await logsOf(rig.app)
    expect(rows.filter((r) => r.is_success).length).toBe(2)
  })

  test('google genai: generateContent and generateContentStream', async () => {
    await using rig = await proxyRig(['AIza-good', 'sk-bad-gem'], { channel_type: 'gemini' })
    const ai = new GoogleGenAI({ apiKey: PROXY_KEY, httpOptions: { baseUrl: rig.base } })
    const res = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'hello' })
    expect(res.text).toBeTruthy()
    expect(res.usageMetadata?.totalTokenCount).toBeGreaterThan(0)
    let text = ''
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'stream it' })) text += chunk.text ?? ''
    expect(text.length).toBeGreaterThan(0)
    expect(rig.upstream.requests.every((r) => r.key !== PROXY_KEY)).toBe(true)
  })
})
