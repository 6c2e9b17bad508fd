/** An access key is accepted wherever a proxy key is: WebSocket upgrades (with its scopes and limits) and quick mode. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'bun:test'
import { startFakeUpstream } from '../support/fake-upstream'
import { startFakeWsUpstream } from '../support/fake-ws-upstream'
import { createTestApp, seedGroup } from '../support/test-app'
import { openOrThrow, rawHandshake } from '../support/ws-client'
import { chatWith, createAccessKey } from './support'

describe('access keys beyond /proxy HTTP', () => {
  test('WebSocket upgrade: admitted within its scope and RPM, refused outside in the native shape', async () => {
    await using up = await startFakeWsUpstream()
    await using app = await createTestApp()
    await seedGroup(app.deps, { name: 'rt', upstreams: [{ url: up.url, weight: 1 }] }, ['sk-good-1'])
    const k = await createAccessKey(app, { name: 'rt', models: ['gpt-realtime*'], rpm_limit: 1 })
    const ws = `${app.url.replace(/^http/, 'ws')}/proxy/rt/v1/realtime`
    const s = await openOrThrow(`${ws}?model=gpt-realtime`, { headers: { authorization: `Bearer ${k.key}` } })
    expect(up.handshakes[0]).toMatchObject({ key: 'sk-good-1', status: 101 })
    s.ws.close(1000)
    const model = await rawHandshake(`${app.url}/proxy/rt/v1/realtime?model=gpt-4o`, { authorization: `Bearer ${k.key}` })
    expect([model.status, JSON.parse(model.body).error.code]).toEqual([403, 'permission_denied'])
    const rpm = await rawHandshake(`${app.url}/proxy/rt/v1/realtime?model=gpt-realtime`, { authorization: `Bearer ${k.key}` })
    expect([rpm.status, JSON.parse(rpm.body).error.code, rpm.headers['x-ratelimit-limit-requests']]).toEqual([429, 'rate_limit_exceeded', '1'])
    const unknown = await rawHandshake(`${app.url}/proxy/rt/v1/realtime?model=gpt-realtime`, { authorization: `Bearer kp-${'q'.repeat(40)}` })
    expect(unknown.status).toBe(401)
    expect(up.handshakes.length).toBe(1)
  })

  test('quick mode: /v1/... takes an access key, and its limits', async () => {
    await using upstream = await startFakeUpstream()
    const dir = mkdtempSync(join(tmpdir(), 'keypool-ak-quick-'))
    try {
      const keysFile = join(dir, 'keys.txt')
      writeFileSync(keysFile, 'sk-good-1\n')
      await using app = await createTestApp({ env: { KEYS_FILE: keysFile, OPENAI_BASE_URL: upstream.url } })
      const k = await createAccessKey(app, { name: 'quick', rpm_limit: 1 })
      expect((await chatWith(app.url, k.key)).status).toBe(200)
      const second = await chatWith(app.url, k.key)
      expect([second.status, second.headers.get('x-ratelimit-limit-requests')]).toEqual([429, '1'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
