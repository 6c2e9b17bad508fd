/** The usage readers fed the bytes of real HTTP answers (the fake upstream's), as the proxy will feed them. */
import { afterAll, describe, expect, test } from 'bun:test'
import { CHANNELS } from '../../server/channels/index.ts'
import type { ChannelType, InjectTarget, Usage } from '../../server/channels/types.ts'
import { startFakeUpstream } from '../support/fake-upstream.ts'

const upstream = await startFakeUpstream()
afterAll(() => upstream.stop())

/** Sends like the proxy will (key injected by the channel) and reads the answer chunk by chunk. */
async function usageOf(type: ChannelType, path: string, body: object) {
  const channel = CHANNELS[type]
  const target: InjectTarget = { headers: new Headers({ 'content-type': 'application/json' }), url: new URL(path, upstream.url), clientUsedQueryKey: false }
  channel.injectKey(target, 'sk-live')
  const res = await fetch(target.url, { method: 'POST', headers: target.headers, body: JSON.stringify(body) })
  const reader = channel.usageReader((res.headers.get('content-type') ?? '').startsWith('text/event-stream'))
  const copy: Uint8Array<ArrayBuffer>[] = []
  for await (const chunk of res.body!) {
    reader.push(chunk)
    copy.push(chunk as Uint8Array<ArrayBuffer>)
  }
  return { usage: reader.finish(), model: reader.model(), text: await new Blob(copy).text() }
}

const messages = [{ role: 'user', content: 'How many tokens?' }]
const gemini = { contents: [{ role: 'user', parts: [{ text: 'How many tokens?' }] }] }

describe('usage read from fake upstream answers', () => {
  // Oracles: the same answers read the naive way (whole text, JSON.parse everything).
  const data = (t: string) => t.split(/\r?\n/).filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]').map((l) => JSON.parse(l.slice(6)))
  const usage = (p: number, c: number, t = p + c): Usage => ({ prompt_tokens: p, completion_tokens: c, total_tokens: t })
  const fromGemini = (m: { promptTokenCount: number; candidatesTokenCount: number; totalTokenCount: number }) =>
    usage(m.promptTokenCount, m.candidatesTokenCount, m.totalTokenCount)
  const cases: [string, ChannelType, string, object, (text: string) => Usage][] = [
    ['openai JSON', 'openai', '/v1/chat/completions', { model: 'gpt-4o', messages }, (t) => JSON.parse(t).usage],
    ['openai SSE', 'openai', '/v1/chat/completions', { model: 'gpt-4o', messages, stream: true, fake_chunks: 9, stream_options: { include_usage: true } }, (t) => data(t).at(-1).usage],
    ['responses SSE', 'openai-response', '/v1/responses', { model: 'gpt-4o', input: 'hi', stream: true }, (t) => {
      const u = data(t).at(-1).response.usage
      return usage(u.input_tokens, u.output_tokens, u.total_tokens)
    }],
    ['anthropic SSE', 'anthropic', '/v1/messages', { model: 'gpt-4o', messages, stream: true }, (t) => {
      const events = data(t)
      return usage(events[0].message.usage.input_tokens, events.find((e) => e.type === 'message_delta').usage.output_tokens)
    }],
    ['gemini SSE', 'gemini', '/v1beta/models/gpt-4o:streamGenerateContent?alt=sse', gemini, (t) => fromGemini(data(t).at(-1).usageMetadata)],
    ['gemini JSON array', 'gemini', '/v1beta/models/gpt-4o:streamGenerateContent', gemini, (t) => fromGemini(JSON.parse(t).at(-1).usageMetadata)],
  ]
  for (const [name, type, path, body, expected] of cases) {
    test(name, async () => {
      const { usage, model, text } = await usageOf(type, path, body)
      expect({ usage, model }).toEqual({ usage: expected(text), model: 'gpt-4o' })
    })
  }

  test('a 5 MB echoed stream: usage still found, reply intact', async () => {
    const big = 'z'.repeat(5 * 1024 * 1024)
    const { usage, text } = await usageOf('openai-response', '/v1/responses', { model: 'gpt-4o', input: big, stream: true, fake_echo: true })
    const tokens = Math.ceil(big.length / 4)
    expect(usage).toEqual({ prompt_tokens: tokens + 1, completion_tokens: tokens, total_tokens: 2 * tokens + 1 })
    expect(text.length).toBeGreaterThan(3 * big.length) // deltas + done events + response.completed all carry it
  })

  test('the upstream saw only the injected key', () => {
    expect(new Set(upstream.requests.map((r) => r.key))).toEqual(new Set(['sk-live']))
  })
})
