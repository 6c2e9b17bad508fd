/**
 * Admin authentication: `Authorization: Bearer <AUTH_KEY>` for scripts, a signed session cookie for the UI.
 * `authGuard` adds the `{ auth: true }` macro every protected route declares; `authRoutes` is login/logout.
 * Failed attempts (a wrong login or a wrong bearer key) are throttled per client address; see AdminAuth.
 */
import { Elysia } from 'elysia'
import type { Clock } from '../shared/clock'
import { ClientAddresses } from '../shared/client-address'
import { ApiError } from '../shared/errors'
import { ok } from './envelope'
import { LoginThrottle } from './login-throttle'
import { weakSecretReason } from './security-warnings'
import { LoginBody, LoginResult, Envelope } from './schemas'
import { SESSION_COOKIE, SESSION_TTL_MS, SessionSigner, safeEqual, type SharedRevocations } from './session'

export class TooManyAttempts extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'TOO_MANY_REQUESTS', `too many failed login attempts; try again in ${retryAfterSeconds} s`)
  }
}
export const unauthorized = (message: string) => new ApiError(401, 'UNAUTHORIZED', message)

/**
 * A strong admin key (as generated: 32+ random characters) cannot be reached by guessing at any rate the throttle
 * allows, so it always passes, even from an address that is being throttled: a stranger's wrong attempts can
 * never lock the admins out (behind a proxy every client may share one address). A weak key (the short ones a
 * GPT-Load .env may carry) could be guessed: there the throttle refuses every attempt of a throttled address.
 */
export const isStrongAdminKey = (key: string) => key.length >= 32 && weakSecretReason(key) === null

/** What the guard and the login route share. */
export class AdminAuth {
  readonly sessions: SessionSigner
  readonly throttle = new LoginThrottle()
  readonly strongKey: boolean
  constructor(
    readonly authKey: string,
    readonly clock: Clock,
    sharedRevocations: () => SharedRevocations | undefined = () => undefined,
    readonly addresses: ClientAddresses = new ClientAddresses(),
  ) {
    this.sessions = new SessionSigner(authKey, sharedRevocations)
    this.strongKey = isStrongAdminKey(authKey)
  }

  /** Throws 429 while the address is throttled. */
  checkThrottle(ip: string, now = this.clock.now()): void {
    const wait = this.throttle.retryAfterMs(ip, now)
    if (wait > 0) throw new TooManyAttempts(Math.ceil(wait / 1000))
  }

  /** Accepts the right admin key (returns) or throws 401 / 429, counting the failure against the address. */
  verifyKey(ip: string, presented: string, wrongMessage: string): void {
    const now = this.clock.now()
    if (!this.strongKey) this.checkThrottle(ip, now)
    if (safeEqual(presented, this.authKey)) return
    if (this.strongKey) this.checkThrottle(ip, now)
    this.throttle.fail(ip, now)
    throw unauthorized(wrongMessage)
  }

  // requests already let in: the early check (before body and schema) and the route's macro share one decision
  private readonly passed = new WeakSet<Request>()

  /**
   * The admin key as Bearer (or as `linkKey`, a download link's `?key=`), or a valid session cookie; throws 401 /
   * 429 otherwise.
   */
  async authenticate(request: Request, server: RequestIpServer, linkKey?: string): Promise<void> {
    if (this.passed.has(request)) return
    const bearer = bearerOf(request.headers.get('authorization')) ?? linkKey
    if (bearer !== undefined) this.verifyKey(this.addresses.of(request, server), bearer, 'invalid admin key')
    else {
      const token = cookieValue(request.headers.get('cookie'), SESSION_COOKIE)
      if (token === undefined || !(await this.sessions.isValid(token, this.clock.now())))
        throw unauthorized('authentication required: Authorization: Bearer <AUTH_KEY> or a session from /api/auth/login')
    }
    this.passed.add(request)
  }
}

/**
 * The admin routes anyone may call. Every other /api route is authenticated before its body is read or its
 * parameters are validated (server/admin/index.ts), so a new public route must be listed here.
 */
// integration/info authenticates by the key it describes (server/admin/integration.ts), not the admin key
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set(['POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/integration/info'])

export type RequestIpServer = { requestIP?(r: Request): { address: string } | null } | null | undefined

function cookieValue(header: string | null, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}


const bearerOf = (header: string | null) => (header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined)

let guardSeed = 0

export function authGuard(auth: AdminAuth) {
  return new Elysia({ name: 'admin.auth-guard', seed: ++guardSeed }).macro({
    auth: {
      // An arrow, not a method: Elysia reads which context fields to build from the function's source, and it
      // cannot parse a method written on one line (as the minified binary has it): `server` came in undefined.
      // Usually a no-op: the admin plugin already authenticated the request before reading its body.
      beforeHandle: async ({ request, server }) => auth.authenticate(request, server),
    },
  })
}

export function authRoutes(auth: AdminAuth) {
  return new Elysia({ name: 'admin.auth', prefix: '/api/auth', seed: auth })
    .use(authGuard(auth))
    .post(
      '/login',
      ({ body, cookie, request, server }) => {
        const ip = auth.addresses.of(request, server)
        auth.verifyKey(ip, body.auth_key, 'invalid auth_key')
        const now = auth.clock.now()
        const { token, expiresAt } = auth.sessions.issue(now)
        cookie[SESSION_COOKIE]!.set({
          value: token,
          httpOnly: true,
          sameSite: 'strict',
          path: '/',
          maxAge: SESSION_TTL_MS / 1000,
          expires: new Date(expiresAt),
          // Secure only where the browser talks HTTPS, or a plain-HTTP install could never log in.
          secure: new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https',
        })
        return ok({ success: true, expires_at: expiresAt })
      },
      { body: LoginBody, response: Envelope(LoginResult), detail: { summary: 'Log in; sets the session cookie' } },
    )
    .post(
      '/logout',
      async ({ cookie }) => {
        const c = cookie[SESSION_COOKIE]!
        if (typeof c.value === 'string') await auth.sessions.revoke(c.value, auth.clock.now())
        c.set({ value: '', httpOnly: true, sameSite: 'strict', path: '/', maxAge: 0, expires: new Date(0) })
        return ok(null)
      },
      { detail: { summary: 'Log out; clears the session cookie' } },
    )
    .get('/check', () => ok({ authenticated: true }), { auth: true, detail: { summary: 'Is this request authenticated' } })
}
