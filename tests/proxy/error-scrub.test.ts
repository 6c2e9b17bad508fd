/** An upstream whose error text echoes the key it was sent: the client gets the masked key, never the pool key. */
import { describe, expect, test } from 'bun:test'
import { maskKey } from '../../server/shared/mask'
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
