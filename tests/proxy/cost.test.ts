/** Each log row is priced from the usage read on the way and the model price list, cached prompt tokens included. */
import { describe, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { logsOf, PROXY_KEY, proxyRig } from './helpers'

describe('cost on the log row', () => {
  test('openai: cached prompt tokens at the cached-input price, plain and streamed', async () => {
    await using rig = await proxyRig(['sk-good'])
    const client = new OpenAI({ apiKey: PROXY_KEY, baseURL: `${rig.base}/v1`, maxRetries: 0 })
    const extra = { fake_cached_tokens: 1000 } as Record<string, unknown>
    const done = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...extra })
    const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }], ...extra })
    for await (const _ of stream) void _
    const rows = (await logsOf(rig.app)).sort((a, b) => Number(a.is_stream) - Number(b.is_stream))
    expect(rows).toHaveLength(2)
    for (const row of rows) {
      expect(row.cached_tokens).toBe(1000)
      expect(row.prompt_tokens).toBe(done.usage!.prompt_tokens)
      // gpt-4o: $2.50 input, $1.25 cached input, $10 output per million = micro-USD per token
      const fresh = row.prompt_tokens - 1000
      expect(row).toMatchObject({ priced: true, cost_micros: Math.round(fresh * 2.5 + 1000 * 1.25 + row.completion_tokens * 10) })
    }
  })

  test('anthropic: cache reads at their price, counted inside prompt_tokens', async () => {
    await using rig = await proxyRig(['sk-ant-good'], { channel_type: 'anthropic' })
    const client = new Anthropic({ apiKey: PROXY_KEY, baseURL: rig.base, maxRetries: 0 })
    const msg = await client.messages.create({
      model: 'claude-sonnet-4-20250514', max_tokens: 20, messages: [{ role: 'user', content: 'hello' }], fake_cached_tokens: 500,
    } as Anthropic.MessageCreateParamsNonStreaming)
    const [row] = await logsOf(rig.app)
    expect(row!.prompt_tokens).toBe(msg.usage.input_tokens + 500)
    expect(row!.cached_tokens).toBe(500)
    // claude-sonnet-4: $3 input, $0.30 cache read, $15 output
    expect(row!.cost_micros).toBe(Math.round(msg.usage.input_tokens * 3 + 500 * 0.3 + msg.usage.output_tokens * 15))
  })

  test('a model without a price: cost 0 and priced false; a new price applies to the next request', async () => {
    await using rig = await proxyRig(['sk-good'])
    const client = new OpenAI({ apiKey: PROXY_KEY, baseURL: `${rig.base}/v1`, maxRetries: 0 })
    await client.chat.completions.create({ model: 'my-local-llama', messages: [{ role: 'user', content: 'hi' }] })
    const [first] = await logsOf(rig.app)
    expect(first).toMatchObject({ model: 'my-local-llama', priced: false, cost_micros: 0, access_key_id: null })
    expect(first!.total_tokens).toBeGreaterThan(0)
    const put = await rig.app.api('/api/model-prices', {
      method: 'PUT',
      body: JSON.stringify({ prices: [{ model: 'my-local-*', input_per_mtok: 1000, output_per_mtok: 2000 }] }),
    })
    expect(put.status).toBe(200)
    await client.chat.completions.create({ model: 'my-local-llama', messages: [{ role: 'user', content: 'hi' }] })
    const rows = await logsOf(rig.app)
    const second = rows.find((r) => r.id !== first!.id)!
    expect(second).toMatchObject({ priced: true, cost_micros: second.prompt_tokens * 1000 + second.completion_tokens * 2000 })
    // hourly stats carry the cost per model
    const stats = await rig.app.deps.store.hourlyStats(0, Date.now() + 3_600_000)
    expect(stats.map((s) => [s.model, s.access_key_id, s.success_count, s.cost_micros])).toEqual([['my-local-llama', 0, 2, second.cost_micros]])
  })
})
