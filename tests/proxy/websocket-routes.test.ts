/**
 * WebSocket upgrades on the other ways into the proxy (the Elysia route used with ENABLE_CORS, quick mode's
 * unprefixed /v1/*) and handshakes that never answer.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'bun:test'
import { startFakeWsUpstream } from '../support/fake-ws-upstream'
import { createTestApp, keyStates, seedGroup, waitFor } from '../support/test-app'
import { openOrThrow, openSocket } from '../support/ws-client'
import { logsOf, PROXY_KEY } from './helpers'

const auth = { authorization: `Bearer ${PROXY_KEY}` }

describe('WebSocket proxy routes', () => {
  test('with ENABLE_CORS (the Elysia route) an upgrade is proxied the same way', async () => {
    await using up = await startFakeWsUpstream()
    await using app = await createTestApp({ env: { ENABLE_CORS: 'true', ALLOWED_ORIGINS: '*' } })
    await seedGroup(app.deps, { name: 'rt', upstreams: [{ url: up.url, weight: 1 }] }, ['sk-good-1'])
    const s = await openOrThrow(`${app.url.replace(/^http/, 'ws')}/proxy/rt/v1/realtime?model=m`, { headers: auth })
    const first = await s.next()
    expect(first.kind === 'text' && JSON.parse(first.text)).toMatchObject({ type: 'session.created' })
    s.ws.send('ping-through-cors')
    expect(await s.next()).toEqual({ kind: 'text', text: 'ping-through-cors' })
    s.ws.close(1000)
    await s.closed
    expect(up.handshakes[0]).toMatchObject({ key: 'sk-good-1', status: 101 })
  })

  test('quick mode: /v1/realtime without prefix is the default group', async () => {
    await using up = await startFakeWsUpstream()
    const dir = mkdtempSync(join(tmpdir(), 'keypool-ws-quick-'))
    const keysFile = join(dir, 'keys.txt')
    writeFileSync(keysFile, 'sk-good-q\n')
    await using app = await createTestApp({ env: { KEYS_FILE: keysFile, OPENAI_BASE_URL: up.url } })
    const s = await openOrThrow(`${app.url.replace(/^http/, 'ws')}/v1/realtime?model=gpt-realtime`, { headers: auth })
    await s.next()
    s.ws.send(new Uint8Array([9, 8, 7]))
    expect(await s.next()).toEqual({ kind: 'binary', bytes: new Uint8Array([9, 8, 7]) })
    s.ws.close()
    await s.closed
    expect(up.handshakes[0]).toMatchObject({ path: '/v1/realtime', key: 'sk-good-q' })
  })

  test('a handshake that never answers times out after connect_timeout and moves to the next key, no penalty', async () => {
    await using up = await startFakeWsUpstream()
    await using app = await createTestApp()
    await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
    const group = await seedGroup(app.deps, { name: 'rt', upstreams: [{ url: up.url, weight: 1 }], config: { connect_timeout: 1 } }, [
      'sk-hang-1',
      'sk-good-2',
    ])
    // round-robin: of two sessions at least one starts on the hanging key
    for (let i = 0; i < 2; i++) {
      const s = await openOrThrow(`${app.url.replace(/^http/, 'ws')}/proxy/rt/v1/realtime?model=m`, { headers: auth })
      await s.next()
      s.ws.close()
      await s.closed
    }
    expect(up.handshakes.filter((h) => h.key === 'sk-hang-1').length).toBeGreaterThanOrEqual(1)
    expect(up.handshakes.filter((h) => h.status === 101)).toHaveLength(2)
    await app.deps.pool.flush()
    expect((await keyStates(app.deps, group.id))['sk-hang-1']).toEqual({ status: 'active', failures: 0 })
    await waitFor(async () => (await logsOf(app)).some((r) => r.request_type === 'retry'), 5000, 'the retry row')
    expect((await logsOf(app)).find((r) => r.request_type === 'retry')).toMatchObject({ status_code: 502, error_message: 'upstream timeout' })
  })

  test('a client that leaves during the upstream handshake: logged 499, no other key tried', async () => {
    await using up = await startFakeWsUpstream()
    await using app = await createTestApp()
    await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
    await seedGroup(app.deps, { name: 'rt', upstreams: [{ url: up.url, weight: 1 }] }, ['sk-hang-1'])
    let connecting: WebSocket | null = null
    const pending = openSocket(`${app.url.replace(/^http/, 'ws')}/proxy/rt/v1/realtime?model=m`, {
      headers: auth,
      onConnecting: (ws) => (connecting = ws),
    })
    await up.waitFor((u) => u.handshakes.length === 1)
    connecting!.close()
    expect((await pending).ok).toBe(false)
    await waitFor(async () => (await logsOf(app)).length === 1, 5000, 'the 499 row')
    expect((await logsOf(app))[0]).toMatchObject({ status_code: 499, is_success: false, error_message: 'client closed the connection' })
    expect(up.handshakes).toHaveLength(1)
  })
})
