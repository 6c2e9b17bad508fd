/**
 * Wrong admin keys from one address: throttled (backoff, then refusal), but a stranger can never lock the admins
 * out: a strong admin key and a valid session always pass; only a weak AUTH_KEY keeps the whole address locked.
 */
import { describe, expect, test } from 'bun:test'
import { MAX_FAILURES, REFUSE_AFTER, WINDOW_MS } from '../../server/admin/login-throttle'
import { createTestApp, data, expectError, TEST_AUTH_KEY } from './support'

const STRONG_KEY = 'kp-Xq3vN8rT2mLw9ZbK4yHc7pDs1fGj6aUe'

/** A clock the test moves by hand: the backoff waits pass without sleeping. */
function manualClock() {
  let t = Date.now()
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

const login = (url: string, auth_key: string) =>
  fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth_key }) })
const withBearer = (url: string, key: string) => fetch(`${url}/api/groups`, { headers: { authorization: `Bearer ${key}` } })
const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!

async function failuresUntilRefused(url: string, clock: ReturnType<typeof manualClock>) {
  for (let i = 0; i < REFUSE_AFTER; i++) {
    await expectError(login(url, `wrong-key-${i}`), 401, 'UNAUTHORIZED', 'invalid auth_key')
    clock.advance(20_000) // past any backoff (16 s at most), well inside the window
  }
}

describe('lockout with a strong admin key', () => {
  test('wrong attempts back off, then are refused; the right key and a session still pass', async () => {
    const clock = manualClock()
    await using app = await createTestApp({ env: { AUTH_KEY: STRONG_KEY }, clock })
    const session = cookieOf(await login(app.url, STRONG_KEY))
    for (let i = 0; i < MAX_FAILURES; i++) await expectError(login(app.url, 'not-the-key'), 401, 'UNAUTHORIZED')
    // backoff: the next wrong attempt right away is refused with a short Retry-After
    const early = await login(app.url, 'not-the-key')
    expect(early.headers.get('retry-after')).toBe('1')
    await expectError(early, 429, 'TOO_MANY_REQUESTS')
    await expectError(withBearer(app.url, 'not-the-key'), 429, 'TOO_MANY_REQUESTS')
    // the admin is not locked out meanwhile
    expect((await data(login(app.url, STRONG_KEY))).success).toBe(true)
    expect(await data(withBearer(app.url, STRONG_KEY))).toEqual([])
    expect(await data(fetch(`${app.url}/api/auth/check`, { headers: { cookie: session } }))).toEqual({ authenticated: true })

    clock.advance(2_000)
    await expectError(login(app.url, 'still-not-the-key'), 401, 'UNAUTHORIZED')
    expect((await login(app.url, 'again-wrong')).headers.get('retry-after')).toBe('2') // the wait doubled
  })

  test('refused for the rest of the window after many failures, yet the right key, bearer and session pass', async () => {
    const clock = manualClock()
    await using app = await createTestApp({ env: { AUTH_KEY: STRONG_KEY }, clock })
    const session = cookieOf(await login(app.url, STRONG_KEY))
    await failuresUntilRefused(app.url, clock)
    clock.advance(20_000)
    const refused = await login(app.url, 'wrong-again')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60)
    await expectError(refused, 429, 'TOO_MANY_REQUESTS', 'too many failed login attempts')
    expect((await data(login(app.url, STRONG_KEY))).success).toBe(true)
    expect(await data(withBearer(app.url, STRONG_KEY))).toEqual([])
    expect(await data(fetch(`${app.url}/api/auth/check`, { headers: { cookie: session } }))).toEqual({ authenticated: true })
    // the window ends: wrong keys are plain 401s again
    clock.advance(WINDOW_MS)
    await expectError(login(app.url, 'wrong-later'), 401, 'UNAUTHORIZED')
  })
})

describe('lockout with a weak admin key', () => {
  test('a throttled address is refused even with the right key; a session from before still passes', async () => {
    expect(TEST_AUTH_KEY.length).toBeLessThan(32)
    const clock = manualClock()
    await using app = await createTestApp({ clock })
    const session = cookieOf(await login(app.url, TEST_AUTH_KEY))
    for (let i = 0; i < MAX_FAILURES; i++) await expectError(login(app.url, 'not-the-key'), 401, 'UNAUTHORIZED')
    await expectError(login(app.url, TEST_AUTH_KEY), 429, 'TOO_MANY_REQUESTS')
    await expectError(withBearer(app.url, TEST_AUTH_KEY), 429, 'TOO_MANY_REQUESTS')
    expect(await data(fetch(`${app.url}/api/groups`, { headers: { cookie: session } }))).toEqual([])
    // after the backoff the right key is accepted again; the success does not clear the address's failures
    clock.advance(1_000)
    expect((await data(login(app.url, TEST_AUTH_KEY))).success).toBe(true)
    await expectError(login(app.url, 'not-the-key'), 401, 'UNAUTHORIZED')
    await expectError(login(app.url, TEST_AUTH_KEY), 429, 'TOO_MANY_REQUESTS')
  })

  test('after many failures the whole address is refused for the window, the right key too', async () => {
    const clock = manualClock()
    await using app = await createTestApp({ clock })
    await failuresUntilRefused(app.url, clock)
    clock.advance(20_000)
    await expectError(login(app.url, TEST_AUTH_KEY), 429, 'TOO_MANY_REQUESTS')
    clock.advance(WINDOW_MS)
    expect((await data(login(app.url, TEST_AUTH_KEY))).success).toBe(true)
  })
})
