/** cache_ttl_seconds: validated like every setting, off by default (no header, every call reaches the upstream). */
import { expect, test } from 'bun:test'
import { createTestApp } from '../support/test-app'
import { CHAT, cacheRig, call } from './support'

test('a group config with a bad cache_ttl_seconds is refused naming the setting', async () => {
  await using app = await createTestApp()
  const create = (config: Record<string, unknown>) =>
    app.api('/api/groups', { method: 'POST', body: JSON.stringify({ name: `g${Math.random().toString(36).slice(2, 8)}`, channel_type: 'openai', upstreams: [{ url: 'http://127.0.0.1:9', weight: 1 }], config }) })
  for (const bad of [-1, 'soon', 2_592_001]) {
    const res = await create({ cache_ttl_seconds: bad })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { code: string; message: string }
    expect(body.code).toBe('VALIDATION_ERROR')
    expect(body.message).toContain('cache_ttl_seconds')
  }
  expect((await create({ cache_ttl_seconds: 30 })).status).toBe(200)
})

test('off (0, the default): no x-keypool-cache header and every call reaches the upstream', async () => {
  await using rig = await cacheRig('memory', { ttl: 0 })
  for (let i = 0; i < 2; i++) {
    const res = await call(rig.base, CHAT)
    expect([res.status, res.headers.get('x-keypool-cache')]).toEqual([200, null])
    await res.text()
  }
  expect(rig.upstream.requests.length).toBe(2)
})

test('a gzip answer is stored as sent and served only to clients that accept gzip', async () => {
  await using rig = await cacheRig('memory')
  const body = { ...CHAT, fake_gzip: true }
  const raw = (acceptEncoding: string) =>
    fetch(`${rig.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${rig.app.deps.authKey}`, 'accept-encoding': acceptEncoding },
      body: JSON.stringify(body),
      decompress: false,
    } as RequestInit)
  const first = await raw('gzip, deflate')
  expect([first.headers.get('x-keypool-cache'), first.headers.get('content-encoding')]).toEqual(['miss', 'gzip'])
  const firstBytes = new Uint8Array(await first.arrayBuffer())
  const hit = await raw('gzip')
  expect([hit.headers.get('x-keypool-cache'), hit.headers.get('content-encoding')]).toEqual(['hit', 'gzip'])
  expect(new Uint8Array(await hit.arrayBuffer())).toEqual(firstBytes)
  // a client that does not take gzip is not sent the stored gzip bytes
  const plainClient = await raw('identity')
  expect(plainClient.headers.get('x-keypool-cache')).toBe('miss')
  await plainClient.arrayBuffer()
  expect(rig.upstream.requests.length).toBe(2)
})
