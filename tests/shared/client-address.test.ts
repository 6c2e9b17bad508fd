import { describe, expect, test } from 'bun:test'
import { ClientAddresses, parseCidr, parseIp } from '../../server/shared/client-address'

const h = (init: Record<string, string>) => new Headers(init)

describe('addresses and CIDRs', () => {
  test.each([
    ['10.0.0.0/8', { v6: false, net: 10n << 24n, prefix: 8 }],
    ['10.1.2.3/8', { v6: false, net: 10n << 24n, prefix: 8 }],
    ['127.0.0.1', { v6: false, net: (127n << 24n) | 1n, prefix: 32 }],
    ['::1', { v6: true, net: 1n, prefix: 128 }],
    ['fd00::/8', { v6: true, net: 0xfdn << 120n, prefix: 8 }],
    ['::ffff:192.168.0.0/16', { v6: false, net: (192n << 24n) | (168n << 16n), prefix: 16 }],
  ])('%s parses', (raw, want) => expect(parseCidr(raw)).toEqual(want))

  test.each(['', 'x', '10.0.0.0/33', '::/129', '10.0.0/8', '256.0.0.1', '1::2::3', '10.0.0.0/8/8', '10.0.0.0/', 'a.b.c.d/8'])(
    '%p is not a CIDR',
    (raw) => expect(parseCidr(raw)).toBeNull(),
  )

  test('IPv4-mapped IPv6 is the IPv4 address', () => {
    expect(parseIp('::ffff:127.0.0.1')).toEqual(parseIp('127.0.0.1'))
    expect(parseIp('2001:db8::1')?.v6).toBe(true)
  })
})

describe('the client address', () => {
  const behind = new ClientAddresses(['127.0.0.1', '10.0.0.0/8', 'fd00::/8'])

  test('without TRUSTED_PROXIES forwarded headers are never believed', () => {
    const none = new ClientAddresses()
    expect(none.resolve(h({ 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.8' }), '127.0.0.1')).toBe('127.0.0.1')
  })

  test('a peer that is not a trusted proxy is the client, whatever it forwards', () => {
    expect(behind.resolve(h({ 'x-forwarded-for': '10.0.0.1' }), '198.51.100.1')).toBe('198.51.100.1')
  })

  test('the right-most untrusted X-Forwarded-For hop is the client', () => {
    expect(behind.resolve(h({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.9.9.9' }), '127.0.0.1')).toBe('203.0.113.9')
    expect(behind.resolve(h({ 'x-forwarded-for': '203.0.113.9:5555' }), '::ffff:127.0.0.1')).toBe('203.0.113.9')
    expect(behind.resolve(h({ 'x-forwarded-for': '[2001:db8::7]:443, fd00::1' }), '10.0.0.2')).toBe('2001:db8::7')
    // all hops trusted: the left-most one is where the request came from
    expect(behind.resolve(h({ 'x-forwarded-for': '10.0.0.5, 10.0.0.6' }), '127.0.0.1')).toBe('10.0.0.5')
  })

  test('garbage in the chain stops the walk at the last trusted hop', () => {
    expect(behind.resolve(h({ 'x-forwarded-for': 'evil, 10.0.0.7' }), '127.0.0.1')).toBe('10.0.0.7')
  })

  test('X-Real-IP from a trusted proxy when there is no X-Forwarded-For; an invalid one is ignored', () => {
    expect(behind.resolve(h({ 'x-real-ip': '198.51.100.7' }), '127.0.0.1')).toBe('198.51.100.7')
    expect(behind.resolve(h({ 'x-real-ip': 'not an ip' }), '127.0.0.1')).toBe('127.0.0.1')
  })
})
