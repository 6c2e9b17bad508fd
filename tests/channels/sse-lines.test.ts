import { describe, expect, test } from 'bun:test'
import type { CapturedText } from '../../server/channels/byte-window.ts'
import { LineSplitter, sseData } from '../../server/channels/sse-lines.ts'
import { byteByByte, feed, splitAt, utf8 } from './helpers.ts'

function collect(chunks: Uint8Array[], lineLimit?: number): CapturedText[] {
  const lines: CapturedText[] = []
  const splitter = new LineSplitter((l) => lines.push(l), lineLimit)
  feed(splitter, chunks)
  splitter.end()
  return lines
}
const full = (text: string): CapturedText => ({ truncated: false, text })

const STREAM = 'event: delta\r\ndata: {"text":"héllo 🌍"}\r\n\r\ndata:{"n":2}\n\ndata: [DONE]'

describe('LineSplitter', () => {
  const expected = [full('event: delta'), full('data: {"text":"héllo 🌍"}'), full(''), full('data:{"n":2}'), full(''), full('data: [DONE]')]

  test('one chunk: LF and CRLF lines, and a last line without newline at end()', () => {
    expect(collect([utf8(STREAM)])).toEqual(expected)
  })

  test('one byte per chunk: cuts inside UTF-8 characters, inside `data:` and between CR and LF', () => {
    expect(collect(byteByByte(STREAM))).toEqual(expected)
  })

  test('cuts inside the 4-byte emoji and inside the 2-byte é', () => {
    const text = 'data: é🌍\n'
    const bytes = utf8(text)
    expect(bytes.length).toBe(13)
    // é is bytes 6-7, 🌍 bytes 8-11
    expect(collect(splitAt(text, [3, 7, 9, 10]))).toEqual([full('data: é🌍')])
  })

  test('an over-long line keeps its head and tail, lines after it are whole', () => {
    const long = `data: {"start":1,"text":"${'x'.repeat(10_000)}","usage":{"n":5}}`
    const lines = collect(splitAt(`${long}\ndata: next\n`, [100, 5000, 9000]), 1024)
    expect(lines).toHaveLength(2)
    const first = lines[0]!
    if (!first.truncated) throw new Error('expected a truncated line')
    expect(first.head.startsWith('data: {"start":1')).toBe(true)
    expect(first.tail.endsWith('"usage":{"n":5}}')).toBe(true)
    expect(first.head.length + first.tail.length).toBeLessThanOrEqual(1024)
    expect(lines[1]).toEqual(full('data: next'))
  })

  test('the rest of a big chunk after its last newline joins the next chunk', () => {
    const big = new Uint8Array(1_000_000).fill(0x61)
    big[999_997] = 0x0a
    const lines: CapturedText[] = []
    const splitter = new LineSplitter((l) => lines.push(l))
    splitter.push(big)
    splitter.push(utf8('bc\n'))
    expect(lines.at(-1)).toEqual(full('aabc'))
  })
})

describe('sseData', () => {
  test('strips `data:` and one optional space, ignores other fields', () => {
    expect(sseData(full('data: {"a":1}'))).toEqual(full('{"a":1}'))
    expect(sseData(full('data:{"a":1}'))).toEqual(full('{"a":1}'))
    expect(sseData(full('data:  two spaces'))).toEqual(full(' two spaces'))
    expect(sseData(full('event: message_start'))).toBeNull()
    expect(sseData(full(': comment'))).toBeNull()
    expect(sseData({ truncated: true, head: 'data: {"x"', tail: '}' })).toEqual({ truncated: true, head: '{"x"', tail: '}' })
  })
})
