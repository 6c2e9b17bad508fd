import { describe, expect, test } from 'bun:test'
import { MAX_FAILURES } from '../../server/admin/login-throttle'
import { createTestApp, data, expectError, json, TEST_AUTH_KEY } from './support'

const login = (url: string, auth_key: string) =>
  fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth_key }) })

const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!

describe('admin auth', () => {
  test('every /api route needs the admin key or a session; /health and login do not', async () => {
    await using app = await createTestApp()
    await expectError(fetch(`${app.url}/api/groups`), 401, 'UNAUTHORIZED', 'authentication required')
    await expectError(fetch(`${app.url}/api/settings`, { headers: { authorization: 'Bearer wrong-key-123' } }), 401, 'UNAUTHORIZED', 'invalid admin key')
    expect(await data(app.api('/api/groups'))).toEqual([])
    expect((await fetch(`${app.url}/health`)).status).toBe(200)
  })

  test('login sets an HttpOnly, SameSite=Strict, expiring session cookie that authenticates', async () => {
    await using app = await createTestApp()
    const res = await login(app.url, TEST_AUTH_KEY)
    const body = await data<{ success: boolean; expires_at: number }>(res)
    expect(body.success).toBe(true)
    expect(body.expires_at).toBeGreaterThan(Date.now())
    const setCookie = res.headers.get('set-cookie')!
    expect(setCookie).toMatch(/^keypool_session=[^;]+;/)
    expect(setCookie).toContain('HttpOnly')
    expect(setCookie).toContain('SameSite=Strict')
    expect(setCookie).toContain('Path=/')
    expect(setCookie).toMatch(/Max-Age=\d+/)
    expect(setCookie).toContain('Expires=')
    // The cookie holds a signed token, never the admin key.
    expect(setCookie).not.toContain(TEST_AUTH_KEY)
    expect(await data(fetch(`${app.url}/api/auth/check`, { headers: { cookie: cookieOf(res) } }))).toEqual({ authenticated: true })
  })

  test('a tampered cookie is refused and logout ends the session', async () => {
    await using app = await createTestApp()
    const cookie = cookieOf(await login(app.url, TEST_AUTH_KEY))
    const tampered = cookie.replace(/=(\d)/, (_m, d) => `=${(Number(d) + 1) % 10}`)
    await expectError(fetch(`${app.url}/api/groups`, { headers: { cookie: tampered } }), 401, 'UNAUTHORIZED')
    const out = await fetch(`${app.url}/api/auth/logout`, { method: 'POST', headers: { cookie } })
    expect(out.status).toBe(200)
    expect(out.headers.get('set-cookie')).toMatch(/keypool_session=;|Max-Age=0/)
    await expectError(fetch(`${app.url}/api/groups`, { headers: { cookie } }), 401, 'UNAUTHORIZED')
  })

  test('failed logins are throttled per client IP, even for the right key afterwards', async () => {
    await using app = await createTestApp()
    for (let i = 0; i < MAX_FAILURES; i++) await expectError(login(app.url, 'not-the-key'), 401, 'UNAUTHORIZED', 'invalid auth_key')
    const blocked = await login(app.url, TEST_AUTH_KEY)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    await expectError(blocked, 429, 'TOO_MANY_REQUESTS', 'too many failed login attempts')
  })

  test('a wrong body names the field', async () => {
    await using app = await createTestApp()
    await expectError(app.api('/api/auth/login', json('POST', {})), 400, 'VALIDATION_ERROR', 'auth_key is required')
  })

  test('JSON sent with the form content type of curl -d is refused: 415, JSON only', async () => {
    await using app = await createTestApp()
    const res = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ auth_key: TEST_AUTH_KEY }),
    })
    await expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'application/json')
  })
})
