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
