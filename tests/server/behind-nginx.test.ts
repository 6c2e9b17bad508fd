/**
 * keypool behind a real nginx, as operators run it. Clients come from distinct loopback addresses (127.0.0.2,
 * 127.0.0.3); nginx appends the peer it saw to X-Forwarded-For and connects to keypool from 127.0.0.1.
 * With TRUSTED_PROXIES=127.0.0.1 wrong admin keys lock only the client that sent them; without it every client
 * is nginx's address and the lockout rules for that one address hold.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import http from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_FAILURES } from '../../server/admin/login-throttle'
import { nginxAvailable, startNginx } from '../support/nginx'
import { spawnNode } from '../support/spawn-node'

const WEAK_KEY = 'gptload-key-2024' // a short GPT-Load style key: accepted with a warning
const STRONG_KEY = 'kp-Xq3vN8rT2mLw9ZbK4yHc7pDs1fGj6aUe'
const A = '127.0.0.2'
const B = '127.0.0.3'
const dir = mkdtempSync(join(tmpdir(), 'keypool-nginx-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** One HTTP request from a chosen local address (fetch cannot pick one). */
function from(local: string, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const u = new URL(url)
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname, method: init.method ?? 'GET', headers: init.headers, localAddress: local },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode!, body }))
      },
    )
    req.on('error', reject)
    req.end(init.body)
  })
}

const login = (local: string, base: string, key: string, headers: Record<string, string> = {}) =>
  from(local, `${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ auth_key: key }),
  }).then((r) => r.status)

async function keypoolBehindNginx(env: Record<string, string>) {
  const node = await spawnNode({ DATA_DIR: join(dir, `data-${Math.random().toString(36).slice(2)}`), ...env })
  const nginx = await startNginx(node.url)
  return {
    base: nginx.url,
    async [Symbol.asyncDispose]() {
      await nginx.stop()
      await node[Symbol.asyncDispose]()
    },
  }
}

const run = nginxAvailable()

describe.skipIf(!run)('behind nginx', () => {
  test('TRUSTED_PROXIES=127.0.0.1: wrong keys from client A lock only A; client B logs in fine', async () => {
    await using kp = await keypoolBehindNginx({ AUTH_KEY: WEAK_KEY, TRUSTED_PROXIES: '127.0.0.1' })
    for (let i = 0; i < MAX_FAILURES; i++) expect(await login(A, kp.base, 'wrong-key')).toBe(401)
    // a weak key: the throttled client is refused even with the right key, and cannot talk its way out by
    // claiming another address (nginx appends the real one; the right-most untrusted hop wins)
    expect(await login(A, kp.base, WEAK_KEY)).toBe(429)
    expect(await login(A, kp.base, WEAK_KEY, { 'x-forwarded-for': B })).toBe(429)
    expect(await login(B, kp.base, WEAK_KEY)).toBe(200)
    expect((await from(B, `${kp.base}/api/groups`, { headers: { authorization: `Bearer ${WEAK_KEY}` } })).status).toBe(200)
  })

  test('without TRUSTED_PROXIES every client is nginx: a weak key locks the one address for all', async () => {
    await using kp = await keypoolBehindNginx({ AUTH_KEY: WEAK_KEY })
    // forwarded headers from an untrusted peer are not believed, so a client cannot pick its throttle bucket
    for (let i = 0; i < MAX_FAILURES; i++) expect(await login(A, kp.base, 'wrong-key', { 'x-forwarded-for': `198.51.100.${i}` })).toBe(401)
    expect(await login(B, kp.base, WEAK_KEY)).toBe(429)
  })

  test('without TRUSTED_PROXIES a strong admin key still passes for everyone', async () => {
    await using kp = await keypoolBehindNginx({ AUTH_KEY: STRONG_KEY })
    for (let i = 0; i < MAX_FAILURES; i++) expect(await login(A, kp.base, 'wrong-key')).toBe(401)
    expect(await login(A, kp.base, 'wrong-key')).toBe(429)
    expect(await login(B, kp.base, STRONG_KEY)).toBe(200)
  })
})
