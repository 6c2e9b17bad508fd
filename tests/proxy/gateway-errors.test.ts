/** Errors keypool answers itself: unknown group, wrong key, no usable key, concurrency limit; each in native shape. */
import { describe, expect, test } from 'bun:test'
import { chat, PROXY_KEY, proxyRig } from './helpers'

describe('gateway errors', () => {
  test('unknown group: 404 in the OpenAI shape', async () => {
    await using rig = await proxyRig(['sk-good'])
    const res = await fetch(`${rig.app.url}/proxy/nope/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${PROXY_KEY}` }, body: '{}' })
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('nope')
  })

  test('unknown group on a Gemini path answers in the Google shape', async () => {
    await using rig = await proxyRig(['sk-good'])
    const res = await fetch(`${rig.app.url}/proxy/nope/v1beta/models/gemini-2.0-flash:generateContent`, { method: 'POST', headers: { 'x-goog-api-key': PROXY_KEY }, body: '{}' })
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } })
  })

  test('the proxy key is checked before the group: the same 401 whether the group exists or not', async () => {
    await using rig = await proxyRig(['sk-good'], { proxy_keys: 'group-key-1' })
    const answer = async (group: string, headers: Record<string, string>) => {
      const res = await fetch(`${rig.app.url}/proxy/${group}/v1/chat/completions`, { method: 'POST', headers, body: '{}' })
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() }
    }
    for (const headers of [{}, { authorization: 'Bearer wrong-key' }] as Record<string, string>[]) {
      const unknown = await answer('nope', headers)
      expect({ status: unknown.status, named: unknown.body.includes('nope') }).toEqual({ status: 401, named: false })
      expect(await answer(rig.group.name, headers)).toEqual(unknown)
    }
    // a group key opens its own group only: elsewhere it is refused like no key at all
    expect(await answer('nope', { authorization: 'Bearer group-key-1' })).toEqual(await answer('nope', {}))
    // a valid global key learns that the group does not exist
    expect((await answer('nope', { authorization: `Bearer ${PROXY_KEY}` })).status).toBe(404)
    expect(rig.upstream.requests.length).toBe(0)
  })

  test('missing or wrong proxy key: 401 and nothing reaches the upstream', async () => {
    await using rig = await proxyRig(['sk-good'])
    expect((await chat(rig.base, {}, { authorization: 'Bearer wrong-key' })).status).toBe(401)
    const none = await fetch(`${rig.base}/v1/chat/completions`, { method: 'POST', body: '{}' })
    expect(none.status).toBe(401)
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key')
    expect(rig.upstream.requests.length).toBe(0)
  })

  test('group proxy keys work only for their group; global keys for all', async () => {
    await using rig = await proxyRig(['sk-good'], { proxy_keys: 'group-key-1,group-key-2' })
    expect((await chat(rig.base, {}, { authorization: 'Bearer group-key-2' })).status).toBe(200)
    await rig.app.deps.settings.update({ proxy_keys: 'global-a, global-b' })
    expect((await chat(rig.base, {}, { authorization: 'Bearer global-b' })).status).toBe(200)
    // the old global key (AUTH_KEY) was replaced: applied at once, no restart
    expect((await chat(rig.base)).status).toBe(401)
  })

  test('anthropic group reads x-api-key and answers 401 in the Anthropic shape', async () => {
    await using rig = await proxyRig(['sk-ant-good'], { channel_type: 'anthropic' })
    const res = await fetch(`${rig.base}/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'wrong' }, body: '{}' })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } })
  })

  test('no usable key: 503', async () => {
    await using rig = await proxyRig([])
    const res = await chat(rig.base)
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('no available keys')
  })

  test('all keys disabled: 503 (a disabled key is never picked)', async () => {
    await using rig = await proxyRig(['sk-good-1', 'sk-good-2'])
    const ids = (await rig.app.deps.store.groupKeys(rig.group.id)).map((k) => k.id)
    await rig.app.deps.pool.setStatus(rig.group.id, ids, 'disabled')
    expect((await chat(rig.base)).status).toBe(503)
    expect(rig.upstream.requests.length).toBe(0)
  })

  test('over MAX_CONCURRENT_REQUESTS: 429 with Retry-After, never 500', async () => {
    await using rig = await proxyRig(['sk-good'], {}, { MAX_CONCURRENT_REQUESTS: '2' })
    const slow = [1, 2].map(() => chat(rig.base, { stream: true, fake_chunks: 3, fake_chunk_delay_ms: 300 }))
    await rig.upstream.waitFor((r) => r.length === 2)
    const res = await chat(rig.base)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('concurrency_limit')
    for (const r of await Promise.all(slow)) await r.text()
    // slots come back once the streams end
    expect((await chat(rig.base)).status).toBe(200)
  })
})
