/**
 * The admin guard as the compiled binary runs it: bundled and minified with scripts/build.ts's options. Elysia
 * decides from a handler's source text which context fields to build; a guard it cannot parse gets no `server`,
 * and then every client shared one failed-attempt count ('unknown') for bearer keys.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_FAILURES } from '../../server/admin/login-throttle'

const AUTH_KEY = 'bundled-auth-key-0123456789'
type Started = { auth: { throttle: { retryAfterMs(ip: string, now: number): number } }; url: string; stop(): Promise<void> }
let dir = ''
let start: (authKey: string) => Started

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keypool-auth-bundle-'))
  const built = await Bun.build({
    entrypoints: [join(import.meta.dir, 'fixtures/bundled-auth-entry.ts')],
    outdir: dir,
    target: 'bun',
    format: 'esm',
    minify: { whitespace: true, syntax: true, identifiers: false },
  })
  if (!built.success) throw new AggregateError(built.logs, 'bundle failed')
  start = (await import(built.outputs[0]!.path)).start
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('minified, wrong bearer keys count against the client address, as wrong logins do', async () => {
  const app = start(AUTH_KEY)
  try {
    for (let i = 0; i < MAX_FAILURES; i++) {
      const res = await fetch(`${app.url}/api/auth/protected`, { headers: { authorization: 'Bearer wrong-key-0123456789' } })
      expect(res.status).not.toBe(200)
    }
    // Not one count shared by every client...
    expect(app.auth.throttle.retryAfterMs('unknown', Date.now())).toBe(0)
    // ...but this client's: its login with the right key is refused until the window ends.
    const login = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth_key: AUTH_KEY }),
    })
    expect(await login.text()).toContain('too many failed login attempts')
  } finally {
    await app.stop()
  }
})
