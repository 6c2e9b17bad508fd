import { describe, expect, test } from 'bun:test'
import { askStreamUsage, UsageChunkFilter } from '../../server/channels/openai-stream-usage'
import { byteByByte, splitAt, utf8 } from './helpers'

const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b))
const chunk = (content: string, usage = true) =>
  `data: {"id":"c","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}}}]${usage ? ',"usage":null' : ''}}\n\n`
const USAGE_CHUNK = 'data: {"id":"c","object":"chat.completion.chunk","model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}\n\n'

/** What the upstream sends when asked, and what the client that did not ask must get. */
const asked = chunk('Hé') + chunk('llo "usage":null') + USAGE_CHUNK + 'data: [DONE]\n\n'
const plain = chunk('Hé', false) + chunk('llo "usage":null', false) + 'data: [DONE]\n\n'

function run(chunks: Uint8Array[]): { out: string; writes: number } {
  const f = new UsageChunkFilter()
  const parts: Uint8Array[] = []
  for (const c of chunks) parts.push(f.push(c))
  parts.push(f.end())
  return { out: parts.map((p) => dec(p)).join(''), writes: parts.filter((p) => p.byteLength > 0).length }
}

describe('askStreamUsage', () => {
  const ask = (body: unknown, path = '/v1/chat/completions') => dec(askStreamUsage(path, utf8(JSON.stringify(body))))

  test('a chat stream that did not ask gets include_usage; its other stream_options stay', () => {
    expect(JSON.parse(ask({ model: 'm', stream: true })!)).toEqual({ model: 'm', stream: true, stream_options: { include_usage: true } })
    expect(JSON.parse(ask({ stream: true, stream_options: { include_usage: false, x: 1 } })!).stream_options).toEqual({ include_usage: true, x: 1 })
    expect(JSON.parse(ask({ stream: true }, '/v1/completions?x=1')!).stream_options).toEqual({ include_usage: true })
  })

  test('left alone: not a stream, already asking, another path, not JSON, nested too deep', () => {
    expect(ask({ model: 'm' })).toBeNull()
    expect(ask({ model: 'm', stream: false })).toBeNull()
    expect(ask({ stream: true, stream_options: { include_usage: true } })).toBeNull()
    expect(ask({ stream: true }, '/v1/embeddings')).toBeNull()
    expect(dec(askStreamUsage('/v1/chat/completions', utf8('{"stream": true')))).toBeNull()
    expect(dec(askStreamUsage('/v1/chat/completions', utf8(`{"stream":true,"x":${'['.repeat(300)}${']'.repeat(300)}}`)))).toBeNull()
    expect(askStreamUsage('/v1/chat/completions', null)).toBeNull()
  })
})

describe('UsageChunkFilter', () => {
  test('takes out the usage chunk and every usage:null member, however the bytes are cut', () => {
    const every5 = Array.from({ length: Math.ceil(utf8(asked).length / 5) }, (_, i) => i * 5)
    for (const cut of [[utf8(asked)], splitAt(asked, every5), byteByByte(asked)]) expect(run(cut).out).toBe(plain)
  })

  test('event by event: each event goes out with the chunk that completed it', () => {
    const events = [chunk('a'), chunk('b'), USAGE_CHUNK, 'data: [DONE]\n\n']
    const f = new UsageChunkFilter()
    expect(events.map((e) => dec(f.push(utf8(e))))).toEqual([chunk('a', false), chunk('b', false), '', 'data: [DONE]\n\n'])
  })

  test('a stream with nothing to take out passes byte for byte; CRLF lines and comments are kept', () => {
    const text = ': keep-alive\r\n\r\n' + chunk('x', false).replaceAll('\n', '\r\n') + 'data: [DONE]\r\n\r\n'
    expect(run([utf8(text)]).out).toBe(text)
    const crlfUsage = USAGE_CHUNK.replaceAll('\n', '\r\n')
    expect(run([utf8(chunk('x', false) + crlfUsage + 'data: [DONE]\n\n')]).out).toBe(chunk('x', false) + 'data: [DONE]\n\n')
  })

  test('an unterminated last line goes out at the end; a line over 1 MiB is passed on, not held', () => {
    expect(run([utf8('data: [DONE]')]).out).toBe('data: [DONE]')
    const huge = 'data: ' + 'x'.repeat((1 << 20) + 10)
    const f = new UsageChunkFilter()
    const first = f.push(utf8(huge))
    expect(first.byteLength).toBe(utf8(huge).byteLength)
    expect(dec(f.push(utf8('\n' + USAGE_CHUNK)))).toBe('\n' + USAGE_CHUNK)
  })
})
