import { describe, expect, test } from 'bun:test'
import { createHash, createHmac } from 'node:crypto'
import { createKeyCipher, identityCipher, isEncrypted, SwitchableCipher } from '../../db/cipher'

describe('createKeyCipher without ENCRYPTION_KEY', () => {
  test('is identity with a sha256 hash', () => {
    for (const c of [createKeyCipher(undefined, 's'), createKeyCipher('', 's')]) {
      expect([c.encrypt('sk-1'), c.decrypt('sk-1'), c.hash('sk-1')]).toEqual([
        'sk-1', 'sk-1', createHash('sha256').update('sk-1').digest('hex'),
      ])
    }
  })
})

describe('createKeyCipher with ENCRYPTION_KEY', () => {
  const c = createKeyCipher('my-secret', 'salt-a')

  test('round-trips, with a fresh IV per value', () => {
    const a = c.encrypt('sk-abcdef-ü-🔑')
    const b = c.encrypt('sk-abcdef-ü-🔑')
    expect(a.startsWith('enc:v1:')).toBe(true)
    expect(isEncrypted(a)).toBe(true)
    expect(a).not.toBe(b)
    expect(a).not.toContain('sk-abcdef')
    expect([c.decrypt(a), c.decrypt(b)]).toEqual(['sk-abcdef-ü-🔑', 'sk-abcdef-ü-🔑'])
  })

  test('leaves values written before encryption was enabled as they are', () => {
    expect(c.decrypt('sk-plain-old')).toBe('sk-plain-old')
  })

  test('hash is a keyed HMAC-SHA256, stable for the same key and salt, different otherwise', () => {
    const h = c.hash('sk-1')
    expect(h).toMatch(/^[0-9a-f]{64}$/)
    expect(h).toBe(createKeyCipher('my-secret', 'salt-a').hash('sk-1'))
    expect(h).not.toBe(identityCipher.hash('sk-1'))
    expect(h).not.toBe(createHmac('sha256', 'my-secret').update('sk-1').digest('hex'))
    expect(h).not.toBe(createKeyCipher('my-secret', 'salt-b').hash('sk-1'))
    expect(h).not.toBe(createKeyCipher('other', 'salt-a').hash('sk-1'))
  })

  test('another key or salt cannot decrypt, and says ENCRYPTION_KEY', () => {
    const sealed = c.encrypt('sk-1')
    expect(() => createKeyCipher('other', 'salt-a').decrypt(sealed)).toThrow('ENCRYPTION_KEY')
    expect(() => createKeyCipher('my-secret', 'salt-b').decrypt(sealed)).toThrow('ENCRYPTION_KEY')
  })

  test('a tampered value is rejected', () => {
    const sealed = c.encrypt('sk-1')
    const raw = Buffer.from(sealed.slice('enc:v1:'.length), 'base64')
    raw[raw.length - 1]! ^= 1
    expect(() => c.decrypt(`enc:v1:${raw.toString('base64')}`)).toThrow('ENCRYPTION_KEY')
  })
})

test('SwitchableCipher delegates to the cipher it was last given', () => {
  const s = new SwitchableCipher()
  expect(s.encrypt('k')).toBe('k')
  const real = createKeyCipher('x', 'y')
  s.use(real)
  expect(s.hash('k')).toBe(real.hash('k'))
  expect(s.decrypt(s.encrypt('k'))).toBe('k')
  expect(isEncrypted(s.encrypt('k'))).toBe(true)
})
