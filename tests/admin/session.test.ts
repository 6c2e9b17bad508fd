import { describe, expect, test } from 'bun:test'
import { LoginThrottle, MAX_FAILURES, REFUSE_AFTER, WINDOW_MS } from '../../server/admin/login-throttle'
import { SESSION_TTL_MS, SessionSigner, safeEqual } from '../../server/admin/session'

describe('sessions', () => {
  test('a token is valid until it expires, only for the admin key that signed it, and until revoked', () => {
    const t0 = 1_000_000
    const signer = new SessionSigner('admin-key-one-123')
    const { token, expiresAt } = signer.issue(t0)
    expect(expiresAt).toBe(t0 + SESSION_TTL_MS)
    expect(signer.verify(token, t0 + 1000)).toBe(true)
    expect(signer.verify(token, expiresAt)).toBe(false)
    expect(new SessionSigner('admin-key-two-456').verify(token, t0)).toBe(false)
    // Moving the expiry forward breaks the signature.
    expect(signer.verify(token.replace(String(expiresAt), String(expiresAt + 1)), t0)).toBe(false)
    expect(signer.verify('garbage', t0)).toBe(false)
    signer.revoke(token, t0)
    expect(signer.verify(token, t0 + 1000)).toBe(false)
  })

  test('safeEqual compares whole strings', () => {
    expect(safeEqual('abc', 'abc')).toBe(true)
    expect(safeEqual('abc', 'abcd')).toBe(false)
    expect(safeEqual('', 'a')).toBe(false)
  })

  test('the throttle: free failures, then a doubling backoff, then refusal until the window ends', () => {
    const th = new LoginThrottle()
    for (let i = 0; i < MAX_FAILURES - 1; i++) th.fail('1.2.3.4', 0)
    expect(th.retryAfterMs('1.2.3.4', 0)).toBe(0)
    th.fail('1.2.3.4', 0)
    expect(th.retryAfterMs('1.2.3.4', 0)).toBe(1000)
    expect(th.retryAfterMs('1.2.3.4', 1000)).toBe(0)
    th.fail('1.2.3.4', 1000)
    expect(th.retryAfterMs('1.2.3.4', 1000)).toBe(2000)
    for (let i = MAX_FAILURES + 2; i < REFUSE_AFTER; i++) th.fail('1.2.3.4', 60_000)
    expect(th.retryAfterMs('1.2.3.4', 60_000)).toBe(2 ** (REFUSE_AFTER - 1 - MAX_FAILURES) * 1000)
    th.fail('1.2.3.4', 60_000)
    expect(th.retryAfterMs('1.2.3.4', 100_000)).toBe(WINDOW_MS - 100_000)
    expect(th.retryAfterMs('5.6.7.8', 100_000)).toBe(0)
    expect(th.retryAfterMs('1.2.3.4', WINDOW_MS)).toBe(0)
  })
})
