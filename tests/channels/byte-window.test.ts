import { describe, expect, test } from 'bun:test'
import { ByteWindow } from '../../server/channels/byte-window.ts'
import { feed, splitAt, utf8 } from './helpers.ts'

describe('ByteWindow', () => {
  test('keeps everything while under the limit', () => {
    const w = new ByteWindow(64, 16)
    feed(w, splitAt('hello, wörld', [3, 8]))
    expect(w.text()).toEqual({ truncated: false, text: 'hello, wörld' })
    expect(w.length).toBe(13)
  })

  test('over the limit keeps the head and the most recent tail in order', () => {
    const w = new ByteWindow(32, 8)
    const text = Array.from({ length: 20 }, (_, i) => String(i).padStart(3, '0')).join('') // 60 bytes
    feed(w, splitAt(text, [5, 20, 31, 33, 47, 50]))
    expect(w.text()).toEqual({ truncated: true, head: text.slice(0, 8), tail: text.slice(-24) })
  })

  test('a single chunk bigger than the whole window', () => {
    const w = new ByteWindow(32, 8)
    const text = 'a'.repeat(8) + 'b'.repeat(1000) + 'c'.repeat(24)
    w.push(utf8(text))
    expect(w.text()).toEqual({ truncated: true, head: 'a'.repeat(8), tail: 'c'.repeat(24) })
  })

  test('clear() starts over', () => {
    const w = new ByteWindow(16, 4)
    w.push(utf8('x'.repeat(40)))
    w.clear()
    w.push(utf8('new'))
    expect(w.text()).toEqual({ truncated: false, text: 'new' })
  })
})
