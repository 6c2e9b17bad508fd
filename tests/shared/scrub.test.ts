/** The one key scrubber: by value (keys keypool knows) and by place and shape (texts it cannot know). */
import { describe, expect, test } from 'bun:test'
import { maskKey } from '../../server/shared/mask'
import { scrubCredentials, scrubCutText, scrubHeaders, scrubSecret } from '../../server/shared/scrub'

const KEY = 'sk-pool-0123456789abcdefXYZ'

describe('scrub', () => {
  test('every occurrence of a known key is masked; other texts stay as they are', () => {
    expect(scrubSecret(`a ${KEY} b ${KEY}`, KEY)).toBe(`a ${maskKey(KEY)} b ${maskKey(KEY)}`)
    expect(scrubSecret('nothing here', KEY)).toBe('nothing here')
    expect(scrubSecret('x', '')).toBe('x')
  })

  test('a text cut inside the key loses the key’s first characters too', () => {
    expect(scrubCutText(`message: ${KEY.slice(0, 12)}`, KEY)).toBe('message: …')
    // a short common prefix reveals nothing and stays
    expect(scrubCutText('price: sk-', KEY)).toBe('price: sk-')
  })

  test('headers quoting the key are copied with an ASCII mask; clean ones are returned as they are', () => {
    const clean = new Headers({ 'x-a': '1' })
    expect(scrubHeaders(clean, KEY)).toBe(clean)
    const h = scrubHeaders(new Headers({ 'x-echo': `key ${KEY}`, 'x-a': '1' }), KEY)
    expect(Object.fromEntries(h)).toEqual({ 'x-echo': `key ${maskKey(KEY).replace('…', '...')}`, 'x-a': '1' })
  })

  test('credentials found by place and shape in texts that describe a request', () => {
    const gemini = 'AIzaSyA-0123456789abcdefghijklmnopqrstu'
    const text = [
      `path: "http://up/v1beta/models/m:generateContent?alt=sse&key=${gemini}"`,
      'authorization: Bearer secret-token-1',
      'x-api-key=plain-secret-2',
      `and ${KEY} alone`,
    ].join('\n')
    const out = scrubCredentials(text)
    for (const secret of [gemini, 'secret-token-1', 'plain-secret-2', KEY]) expect(out).not.toContain(secret)
    expect(out).toContain(`&key=${maskKey(gemini)}"`)
    expect(out).toContain('authorization: Bearer ')
  })
})
