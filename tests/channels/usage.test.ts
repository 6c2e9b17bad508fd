import { describe, expect, test } from 'bun:test'
import { CHANNELS } from '../../server/channels/index.ts'
import type { ChannelType, Usage } from '../../server/channels/types.ts'
import * as fx from './fixtures.ts'
import { byteByByte, feed, splitAt, utf8 } from './helpers.ts'

function read(type: ChannelType, stream: boolean, chunks: Uint8Array[]) {
  const reader = CHANNELS[type].usageReader(stream)
  feed(reader, chunks)
  return { usage: reader.finish(), model: reader.model() }
}

/** The same answer cut three ways: whole, every 7 bytes, one byte at a time. */
function cuts(text: string): Uint8Array[][] {
  const every7 = Array.from({ length: Math.ceil(utf8(text).length / 7) }, (_, i) => i * 7)
  return [[utf8(text)], splitAt(text, every7), byteByByte(text)]
}

const u = (prompt_tokens: number, completion_tokens: number, total_tokens = prompt_tokens + completion_tokens): Usage => ({
  prompt_tokens,
  completion_tokens,
  total_tokens,
})

const cases: [string, ChannelType, boolean, string, Usage, string][] = [
  ['openai JSON', 'openai', false, fx.openaiChatJson, u(19, 10, 29), 'gpt-4o-2024-08-06'],
  ['openai SSE (usage in the last chunk)', 'openai', true, fx.openaiChatSse, u(12, 3, 15), 'gpt-4o-mini-2024-07-18'],
  ['responses JSON', 'openai-response', false, fx.responsesJson, u(36, 87, 123), 'gpt-4o-2024-08-06'],
  ['responses SSE (response.completed)', 'openai-response', true, fx.responsesSse, u(36, 87, 123), 'gpt-4o-2024-08-06'],
  ['anthropic JSON', 'anthropic', false, fx.anthropicJson, u(2095, 503), 'claude-3-5-haiku-20241022'],
  // input 25 + cache creation 10 + cache read 5 from message_start, output 15 from message_delta
  // …and the cached parts are kept apart for pricing (both are inside the prompt count)
  ['anthropic SSE', 'anthropic', true, fx.anthropicSse, { ...u(40, 15), cached_tokens: 5, cache_write_tokens: 10 }, 'claude-sonnet-4-20250514'],
  ['gemini JSON', 'gemini', false, fx.geminiJson, u(8, 9, 13), 'gemini-2.0-flash-001'],
  ['gemini JSON array stream (last usageMetadata wins)', 'gemini', false, fx.geminiArray, u(8, 9, 13), 'gemini-2.0-flash-001'],
  ['gemini SSE (alt=sse)', 'gemini', true, fx.geminiSse, u(8, 9, 13), 'gemini-2.0-flash-001'],
]

describe('cached prompt tokens', () => {
  test('OpenAI prompt_tokens_details.cached_tokens, Responses input_tokens_details, Gemini cachedContentTokenCount', () => {
    const chat = JSON.stringify({ model: 'gpt-4o', usage: { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, prompt_tokens_details: { cached_tokens: 64 } } })
    expect(read('openai', false, [utf8(chat)]).usage).toEqual({ ...u(100, 5), cached_tokens: 64 })
    const responses = `event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', response: { model: 'gpt-4o', usage: { input_tokens: 50, input_tokens_details: { cached_tokens: 32 }, output_tokens: 2, total_tokens: 52 } } })}\n\n`
    expect(read('openai-response', true, [utf8(responses)]).usage).toEqual({ ...u(50, 2), cached_tokens: 32 })
    const gemini = JSON.stringify({ modelVersion: 'gemini-2.5-flash', usageMetadata: { promptTokenCount: 2000, cachedContentTokenCount: 1500, candidatesTokenCount: 10, totalTokenCount: 2010 } })
    expect(read('gemini', false, [utf8(gemini)]).usage).toEqual({ ...u(2000, 10), cached_tokens: 1500 })
    const anthropic = JSON.stringify({ model: 'claude-3-5-haiku', usage: { input_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 900, output_tokens: 7 } })
    expect(read('anthropic', false, [utf8(anthropic)]).usage).toEqual({ ...u(903, 7), cached_tokens: 900 })
  })
})

describe('usage readers', () => {
  for (const [name, type, stream, text, usage, model] of cases) {
    test(`${name}: same usage and model however the bytes are cut`, () => {
      for (const chunks of cuts(text)) expect(read(type, stream, chunks)).toEqual({ usage, model })
    })
  }

  test('no usage in the answer: null, and finish() can be called twice', () => {
    const reader = CHANNELS.openai.usageReader(true)
    reader.push(utf8('data: {"model":"m","choices":[]}\n\ndata: [DONE]\n\n'))
    expect(reader.finish()).toBeNull()
    expect(reader.finish()).toBeNull()
    expect(reader.model()).toBe('m')
    expect(read('openai', false, [utf8('not json')])).toEqual({ usage: null, model: null })
  })

  test('generated text that quotes a usage object is not read as usage', () => {
    const text = JSON.stringify({ model: 'gpt-4o', choices: [{ message: { content: '{"usage":{"prompt_tokens":1000}}' } }] })
    expect(read('openai', false, [utf8(text)])).toEqual({ usage: null, model: 'gpt-4o' })
  })
})

function inPieces(text: string, size: number): Uint8Array[] {
  const bytes = utf8(text)
  return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size))
}

describe('big answers', () => {
  const bigText = 'ab😀'.repeat(1024 * 1024) // 6 MB of UTF-8, 4-byte characters included

  test('a 6 MB openai JSON body in 64 KB chunks: usage from the tail, model from the head', () => {
    const body = JSON.stringify({ id: 'x', object: 'chat.completion', model: 'gpt-4o', choices: [{ message: { content: bigText } }], usage: { prompt_tokens: 5, completion_tokens: 1500000, total_tokens: 1500005 } })
    expect(read('openai', false, inPieces(body, 65536))).toEqual({ usage: u(5, 1500000, 1500005), model: 'gpt-4o' })
  })

  test('a 6 MB responses `response.completed` SSE line still yields its usage', () => {
    const completed = { type: 'response.completed', response: { model: 'gpt-4o', output: [{ content: [{ text: bigText }] }], usage: { input_tokens: 7, output_tokens: 9, total_tokens: 16 } } }
    const text = `event: response.completed\ndata: ${JSON.stringify(completed)}\n\n`
    // 100,003-byte pieces: cuts land inside 4-byte characters
    expect(read('openai-response', true, inPieces(text, 100_003))).toEqual({ usage: u(7, 9, 16), model: 'gpt-4o' })
  })

  test('a 6 MB anthropic JSON body', () => {
    const body = JSON.stringify({ id: 'm', type: 'message', model: 'claude-x', content: [{ type: 'text', text: bigText }], usage: { input_tokens: 3, output_tokens: 4 } })
    expect(read('anthropic', false, [utf8(body)])).toEqual({ usage: u(3, 4), model: 'claude-x' })
  })
})
