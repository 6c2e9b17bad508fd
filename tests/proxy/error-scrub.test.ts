/** An upstream whose error text echoes the key it was sent: the client gets the masked key, never the pool key. */
import { describe, expect, test } from 'bun:test'
import { maskKey } from '../../server/shared/mask'
import { startHostileUpstream } from '../support/hostile-upstream'
import { createTestApp, seedGroup, TEST_AUTH_KEY } from '../support/test-app'

const POOL_KEY = 'sk-echo-SECRET-0123456789abcdef'

/** Answers 401 with the key it received in the message, gzip-compressed when asked with ?gzip. */
function echoUpstream() {
  return Bun.serve({
    port: 0,
    fetch(req) {
      const key = (req.headers.get('authorization') ?? '').replace(/^Bearer /, '')
      const body = JSON.stringify({ error: { message: `Incorrect API key provided: ${key}`, type: 'invalid_request_error', code: 'invalid_api_key' } })
      if (new URL(req.url).searchParams.has('gzip'))
        return new Response(Bun.gzipSync(new TextEncoder().encode(body)), { status: 401, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } })
      return new Response(body, { status: 401, headers: { 'content-type': 'application/json' } })
    },
  })
}

describe('upstream error bodies that echo the pool key', () => {
  test.each([[''], ['?gzip']])('the relayed answer masks it (query %p), the status and shape stay', async (query) => {
    using upstream = echoUpstream()
    await using app = await createTestApp()
    await seedGroup(app.deps, { name: 'echo', upstreams: [{ url: `http://127.0.0.1:${upstream.port}`, weight: 1 }], config: { max_retries: 0 } }, [POOL_KEY])
    const res = await fetch(`${app.url}/proxy/echo/v1/chat/completions${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_AUTH_KEY}`, 'content-type': 'application/json' },
      body: '{"model":"m","messages":[]}',
    })
    expect(res.status).toBe(401)
    const text = await res.text()
    expect(text).not.toContain(POOL_KEY)
    expect(JSON.parse(text)).toEqual({ error: { message: `Incorrect API key provided: ${maskKey(POOL_KEY)}`, type: 'invalid_request_error', code: 'invalid_api_key' } })
  })
})

describe('a key echoed deep in an error body or in its headers', () => {
  test.each(['echo-key-late', 'echo-key-late-gzip'] as const)('%s: nothing relayed carries it', async (mode) => {
    await using hostile = await startHostileUpstream()
    await using app = await createTestApp()
    await seedGroup(app.deps, { name: 'late', upstreams: [{ url: `${hostile.url}/${mode}`, weight: 1 }], config: { max_retries: 0 } }, [POOL_KEY])
    const res = await fetch(`${app.url}/proxy/late/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_AUTH_KEY}`, 'content-type': 'application/json' },
      body: '{"model":"m","messages":[]}',
    })
    expect(hostile.lastKey()).toBe(POOL_KEY)
    expect(res.status).toBe(401)
    // fetch inflates a gzip answer: this is what any client reads
    const text = await res.text()
    expect(text).not.toContain(POOL_KEY)
    const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')
    expect(headers).not.toContain(POOL_KEY)
    // header values are Latin-1: the mask's ellipsis is three dots there
    const masked = maskKey(POOL_KEY).replace('…', '...')
    expect(res.headers.get('x-echo-key')).toBe(masked)
    expect(res.headers.get('www-authenticate')).toContain(masked)
  })
})
