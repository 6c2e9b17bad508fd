import { expect, test } from 'bun:test'
import { SseParser } from '../../server/translate/sse'

const enc = (s: string) => new TextEncoder().encode(s)

test('events come out as soon as their blank line arrives, across chunk and CRLF boundaries', () => {
  const p = new SseParser()
  expect(p.push(enc('event: a\r\ndata: {"x"'))).toEqual([])
  expect(p.push(enc(':1}\r\n\r'))).toEqual([])
  expect(p.push(enc('\n: comment\ndata: line1\ndata: line2\n\ndata: tail'))).toEqual([
    { event: 'a', data: '{"x":1}' },
    { event: 'message', data: 'line1\nline2' },
  ])
  expect(p.end()).toEqual([{ event: 'message', data: 'tail' }])
})

test('a multi-byte character split between chunks is decoded whole', () => {
  const p = new SseParser()
  const bytes = enc('data: é\n\n')
  expect(p.push(bytes.subarray(0, 7))).toEqual([])
  expect(p.push(bytes.subarray(7))).toEqual([{ event: 'message', data: 'é' }])
})

test('upstream events of an unexpected shape are skipped, the rest of the stream still arrives', async () => {
  const { translateRequest, translateStream } = await import('../../server/translate')
  const t = translateRequest('openai', 'anthropic', '/v1/chat/completions', { model: 'c', stream: true, messages: [{ role: 'user', content: 'x' }] })
  const text = [
    'event: message_start\ndata: {"type":"message_start"}\n\n',
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0}\n\n',
    'event: content_block_delta\ndata: not json\n\n',
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok"}}\n\n',
    'event: message_stop\ndata: {"type":"message_stop"}\n\n',
  ].join('')
  const out = await new Response(translateStream(t, new Blob([text]).stream())).text()
  const chunks = out.split('\n').filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]').map((l) => JSON.parse(l.slice(6)))
  expect(chunks.map((c) => c.choices[0]?.delta?.content)).toEqual(['ok'])
  expect(out.endsWith('data: [DONE]\n\n')).toBe(true)
})
