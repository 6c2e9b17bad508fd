import { describe, expect, test } from 'bun:test'
import type { Group } from '../../db/types'
import { validateKey } from '../../server/jobs/key-validator'
import { startFakeUpstream } from '../support/fake-upstream'
import { startHostileUpstream } from '../support/hostile-upstream'
import { createTestApp, seedGroup } from '../support/test-app'

describe('validateKey', () => {
  test('ok, key failures and upstream failures are told apart, per channel', async () => {
    await using upstream = await startFakeUpstream()
    await using app = await createTestApp()
    const openai = await seedGroup(app.deps, { name: 'o', upstreams: [{ url: 'https://unused.test', weight: 0 }, { url: upstream.url, weight: 1 }] })
    const claude = await seedGroup(app.deps, { name: 'c', channel_type: 'anthropic', test_model: 'claude-3-haiku', upstreams: [{ url: upstream.url, weight: 1 }] })
    const gemini = await seedGroup(app.deps, { name: 'm', channel_type: 'gemini', test_model: 'gemini-2.0-flash', upstreams: [{ url: upstream.url, weight: 1 }] })
    const check = (g: Group, key: string) => validateKey(g, key, app.deps)
    expect(await check(openai, 'sk-good-1')).toEqual({ ok: true, status: 200, keyInvalid: false })
    expect(await check(claude, 'sk-good-2')).toEqual({ ok: true, status: 200, keyInvalid: false })
    expect(await check(gemini, 'sk-good-3')).toEqual({ ok: true, status: 200, keyInvalid: false })
    expect(await check(openai, 'sk-bad-1')).toMatchObject({ ok: false, status: 401, keyInvalid: true })
    expect(await check(openai, 'sk-quota-1')).toMatchObject({ ok: false, status: 429, keyInvalid: true })
    expect(await check(openai, 'sk-500-1')).toMatchObject({ ok: false, status: 500, keyInvalid: false })
    expect(await check(openai, 'sk-429-1')).toMatchObject({ ok: false, status: 429, keyInvalid: false })
    expect(upstream.requests.map((r) => [r.path, r.key])).toContainEqual(['/v1/messages', 'sk-good-2'])
  })

  test('an unreachable upstream or a timeout never blames the key', async () => {
    // An upstream that accepts the connection and never answers.
    await using silent = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Promise<Response>(() => {}) })
    await using app = await createTestApp()
    const closed = await seedGroup(app.deps, { name: 'x', upstreams: [{ url: 'http://127.0.0.1:9', weight: 1 }] })
    expect(await validateKey(closed, 'sk-good-1', app.deps)).toMatchObject({ ok: false, status: 0, keyInvalid: false })
    const slow = await seedGroup(app.deps, { name: 'y', config: { key_validation_timeout_seconds: 1 }, upstreams: [{ url: `http://127.0.0.1:${silent.port}`, weight: 1 }] })
    const r = await validateKey(slow, 'sk-good-1', app.deps)
    expect(r).toEqual({ ok: false, status: 0, error: 'upstream timeout', keyInvalid: false })
  })

  test('a hostile upstream: an endless error body is cut off, a bomb is read only so far', async () => {
    await using hostile = await startHostileUpstream()
    await using app = await createTestApp()
    for (const mode of ['endless-error', 'gzip-bomb-error', 'br-bomb-error'] as const) {
      const g = await seedGroup(app.deps, { name: mode, upstreams: [{ url: `${hostile.url}/${mode}`, weight: 1 }] })
      const r = await validateKey(g, 'sk-hostile-0123456789abcdef', app.deps)
      expect({ ...r, error: r.error!.length <= 400 }).toEqual({ ok: false, status: 400, error: true, keyInvalid: false })
    }
    expect((await hostile.ended('endless-error')).finished).toBe(false)
  })

  test('goes through the upstream client: a gzip error is read decoded, a redirect is not followed', async () => {
    let redirectedHits = 0
    await using odd = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch(req) {
        if (new URL(req.url).pathname === '/elsewhere') {
          redirectedHits++
          return Response.json({ ok: true })
        }
        if (req.headers.get('authorization') === 'Bearer sk-redirect-1') return new Response(null, { status: 307, headers: { location: '/elsewhere' } })
        const body = Bun.gzipSync(JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }))
        return new Response(body, { status: 401, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } })
      },
    })
    await using app = await createTestApp()
    const g = await seedGroup(app.deps, { name: 'z', upstreams: [{ url: `http://127.0.0.1:${odd.port}`, weight: 1 }] })
    expect(await validateKey(g, 'sk-gzip-1', app.deps)).toEqual({ ok: false, status: 401, error: expect.stringContaining('Incorrect API key'), keyInvalid: true })
    expect(await validateKey(g, 'sk-redirect-1', app.deps)).toMatchObject({ ok: false, status: 307, keyInvalid: false })
    expect(redirectedHits).toBe(0)
  })
})
