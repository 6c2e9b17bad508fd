/**
 * Every refusal of an access key on the proxy, in the channel's native error JSON with the contract's status, code
 * and headers; proxy keys stay unlimited. Time moves by the app's clock, never by sleeping.
 */
import { describe, expect, test } from 'bun:test'
import { logsOf, PROXY_KEY } from '../proxy/helpers'
import { waitFor } from '../support/test-app'
import { accessRig } from './rig'
import { chatWith, createAccessKey, putJson } from './support'

type OpenAiError = { error: { message: string; type: string; code: string | null } }

async function refusal(res: Response) {
  return { status: res.status, body: (await res.json()) as OpenAiError }
}

describe('access keys on the proxy', () => {
  test('an unlimited key and a proxy key are served; the log row names the access key; last_used_at is written', async () => {
    await using rig = await accessRig()
    const k = await createAccessKey(rig.app, { name: 'free' })
    for (let i = 0; i < 3; i++) expect((await chatWith(rig.base, k.key)).status).toBe(200)
    for (let i = 0; i < 3; i++) expect((await chatWith(rig.base, PROXY_KEY)).status).toBe(200)
    // the upstream only ever saw the pool key
    expect(rig.upstream.requests.map((r) => r.key)).toEqual(Array(6).fill('sk-good-1'))
    await waitFor(async () => (await logsOf(rig.app)).length === 6, 5000, 'six log rows')
    const rows = await logsOf(rig.app)
    expect(rows.filter((r) => r.access_key_id === k.id).length).toBe(3)
    expect(rows.filter((r) => r.access_key_id === null).length).toBe(3)
    await rig.app.deps.access.registry.flushUses()
    expect((await rig.app.deps.store.getAccessKey(k.id))!.last_used_at).toBe(rig.clock.now())
  })

  test('401 invalid_api_key: unknown, disabled, expired', async () => {
    await using rig = await accessRig()
    const unknown = await refusal(await chatWith(rig.base, `kp-${'A'.repeat(40)}`))
    expect(unknown).toEqual({ status: 401, body: { error: { message: 'invalid or missing proxy key', type: expect.any(String), param: null, code: 'invalid_api_key' } } as never })
    const k = await createAccessKey(rig.app, { name: 'k', expires_at: rig.clock.now() + 60_000 })
    expect((await chatWith(rig.base, k.key)).status).toBe(200)
    rig.clock.advance(60_000)
    const expired = await refusal(await chatWith(rig.base, k.key))
    expect([expired.status, expired.body.error.code, expired.body.error.message]).toEqual([401, 'invalid_api_key', 'this access key has expired'])
    await putJson(rig.app, `/api/access-keys/${k.id}`, { expires_at: null, enabled: false })
    const disabled = await refusal(await chatWith(rig.base, k.key))
    expect([disabled.status, disabled.body.error.code, disabled.body.error.message]).toEqual([401, 'invalid_api_key', 'this access key is disabled'])
    expect(rig.upstream.requests.length).toBe(1)
  })

  test('rotation: the old secret is refused at once, the new one served; a deleted key is refused', async () => {
    await using rig = await accessRig()
    const k = await createAccessKey(rig.app, { name: 'rot' })
    expect((await chatWith(rig.base, k.key)).status).toBe(200)
    const rotated = await putJson(rig.app, `/api/access-keys/${k.id}/rotate`, {}, 'POST')
    const fresh = rotated.body.data.key as string
    expect((await chatWith(rig.base, k.key)).status).toBe(401)
    expect((await chatWith(rig.base, fresh)).status).toBe(200)
    expect((await rig.app.api(`/api/access-keys/${k.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await chatWith(rig.base, fresh)).status).toBe(401)
  })

  test('403 permission_denied: group, model and address scopes', async () => {
    await using rig = await accessRig()
    const scoped = await createAccessKey(rig.app, { name: 'scoped', groups: ['g1'], models: ['gpt-4o*', 'o?-mini'] })
    expect((await chatWith(rig.base, scoped.key, { model: 'gpt-4o-mini' })).status).toBe(200)
    expect((await chatWith(rig.base, scoped.key, { model: 'o3-mini' })).status).toBe(200)
    const model = await refusal(await chatWith(rig.base, scoped.key, { model: 'gpt-3.5-turbo' }))
    expect([model.status, model.body.error.code, model.body.error.message]).toEqual([403, 'permission_denied', 'this access key may not use model "gpt-3.5-turbo"'])
    // a group outside the scope, existing or not, is the same refusal
    const group = await refusal(await chatWith(`${rig.app.url}/proxy/elsewhere`, scoped.key))
    expect([group.status, group.body.error.code]).toEqual([403, 'permission_denied'])
    const far = await createAccessKey(rig.app, { name: 'far', ip_allowlist: ['10.0.0.0/8'] })
    const address = await refusal(await chatWith(rig.base, far.key))
    expect([address.status, address.body.error.code, address.body.error.message]).toEqual([403, 'permission_denied', 'this access key may not be used from 127.0.0.1'])
    const near = await createAccessKey(rig.app, { name: 'near', ip_allowlist: ['10.0.0.0/8', '127.0.0.1'] })
    expect((await chatWith(rig.base, near.key)).status).toBe(200)
  })

  test('the address allowlist believes X-Forwarded-For only from TRUSTED_PROXIES', async () => {
    await using trusting = await accessRig({ env: { TRUSTED_PROXIES: '127.0.0.1/32' } })
    const k = await createAccessKey(trusting.app, { name: 'office', ip_allowlist: ['10.1.0.0/16'] })
    expect((await chatWith(trusting.base, k.key, {}, { headers: { 'x-forwarded-for': '10.1.2.3' } })).status).toBe(200)
    expect((await chatWith(trusting.base, k.key, {}, { headers: { 'x-forwarded-for': '192.168.0.9' } })).status).toBe(403)
    await using plain = await accessRig()
    const k2 = await createAccessKey(plain.app, { name: 'office', ip_allowlist: ['10.1.0.0/16'] })
    expect((await chatWith(plain.base, k2.key, {}, { headers: { 'x-forwarded-for': '10.1.2.3' } })).status).toBe(403)
  })

  test('429 over RPM: Retry-After and x-ratelimit-*-requests; the window slides with the clock', async () => {
    await using rig = await accessRig()
    const k = await createAccessKey(rig.app, { name: 'rpm', rpm_limit: 3 })
    for (let i = 0; i < 3; i++) {
      expect((await chatWith(rig.base, k.key)).status).toBe(200)
      rig.clock.advance(10_000)
    }
    const res = await chatWith(rig.base, k.key)
    expect(res.status).toBe(429)
    // the first admission (30 s ago) leaves the window in 30 s
    expect({
      retry: res.headers.get('retry-after'),
      limit: res.headers.get('x-ratelimit-limit-requests'),
      remaining: res.headers.get('x-ratelimit-remaining-requests'),
      reset: res.headers.get('x-ratelimit-reset-requests'),
      tokens: res.headers.get('x-ratelimit-limit-tokens'),
    }).toEqual({ retry: '30', limit: '3', remaining: '0', reset: '30s', tokens: null })
    const body = (await res.json()) as OpenAiError
    expect([body.error.code, body.error.message]).toEqual(['rate_limit_exceeded', 'access key rate limit reached: 3 requests per minute'])
    rig.clock.advance(30_000)
    expect((await chatWith(rig.base, k.key)).status).toBe(200)
    expect(rig.upstream.requests.length).toBe(4)
    // proxy keys are never limited
    for (let i = 0; i < 5; i++) expect((await chatWith(rig.base, PROXY_KEY)).status).toBe(200)
  })

  test('429 over TPM: tokens of finished answers in the last 60 s, with x-ratelimit-*-tokens', async () => {
    await using rig = await accessRig()
    const k = await createAccessKey(rig.app, { name: 'tpm', tpm_limit: 5 })
    expect((await chatWith(rig.base, k.key)).status).toBe(200)
    await waitFor(async () => (await logsOf(rig.app)).length === 1, 5000, 'the answer finished')
    const res = await chatWith(rig.base, k.key)
    expect(res.status).toBe(429)
    expect(res.headers.get('x-ratelimit-limit-tokens')).toBe('5')
    expect(res.headers.get('x-ratelimit-remaining-tokens')).toBe('0')
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await res.json()) as OpenAiError).error.message).toBe('access key rate limit reached: 5 tokens per minute')
    rig.clock.advance(61_000)
    expect((await chatWith(rig.base, k.key)).status).toBe(200)
  })

  test('429 over concurrency while a stream is in flight; its end frees the slot', async () => {
    await using rig = await accessRig({ keys: ['sk-hang-1'] })
    const k = await createAccessKey(rig.app, { name: 'conc', max_concurrency: 1 })
    const leave = new AbortController()
    const first = await chatWith(rig.base, k.key, { stream: true }, { signal: leave.signal })
    expect(first.status).toBe(200)
    const reader = first.body!.getReader()
    await reader.read() // the first event: the stream is open and holds the slot
    const second = await chatWith(rig.base, k.key)
    expect([second.status, second.headers.get('retry-after'), ((await second.json()) as OpenAiError).error.code]).toEqual([429, '1', 'concurrency_limit_exceeded'])
    leave.abort()
    await reader.cancel().catch(() => {})
    await waitFor(async () => (await logsOf(rig.app)).some((r) => r.status_code === 499), 5000, 'the stream ended')
    rig.upstream.setBehavior('sk-hang-1', 'ok')
    expect((await chatWith(rig.base, k.key)).status).toBe(200)
  })

  test('429 insufficient_quota / budget_exceeded once the token budget is spent, Retry-After until the period resets', async () => {
    await using rig = await accessRig()
    const k = await createAccessKey(rig.app, { name: 'budget', token_budget: 1, budget_period: 'day' })
    expect((await chatWith(rig.base, k.key)).status).toBe(200)
    await waitFor(async () => (await logsOf(rig.app)).length === 1, 5000, 'the answer finished')
    const res = await chatWith(rig.base, k.key)
    const midnight = new Date(rig.clock.now())
    midnight.setHours(24, 0, 0, 0)
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBe(Math.ceil((midnight.getTime() - rig.clock.now()) / 1000))
    expect(res.headers.get('x-should-retry')).toBe('false')
    const body = (await res.json()) as OpenAiError
    expect([body.error.type, body.error.code]).toEqual(['insufficient_quota', 'budget_exceeded'])
    const list = await (await rig.app.api('/api/access-keys')).json()
    expect(list.data.items[0].usage.tokens).toBeGreaterThan(1)
    // the next day starts a new budget
    rig.clock.advance(midnight.getTime() - rig.clock.now() + 1)
    expect((await chatWith(rig.base, k.key)).status).toBe(200)
  })

  test('a streamed call without include_usage still debits the budget; the client sees the stream it asked for', async () => {
    await using rig = await accessRig({ group: { config: { openai_stream_usage: false } } })
    const k = await createAccessKey(rig.app, { name: 'streamer', token_budget: 1 })
    const res = await chatWith(rig.base, k.key, { stream: true })
    const text = await res.text()
    expect(res.status).toBe(200)
    expect(text).not.toContain('"usage":{')
    await waitFor(async () => (await logsOf(rig.app)).length === 1, 5000, 'the stream finished')
    expect((await logsOf(rig.app))[0]!.total_tokens).toBeGreaterThan(1)
    const refused = await chatWith(rig.base, k.key, { stream: true })
    expect([refused.status, ((await refused.json()) as OpenAiError).error.code]).toEqual([429, 'budget_exceeded'])
  })

  test('a cost budget is debited with the priced cost of the answer', async () => {
    await using rig = await accessRig()
    const k = await createAccessKey(rig.app, { name: 'usd', cost_budget_usd: 0.000001 })
    expect((await chatWith(rig.base, k.key, { model: 'gpt-4o' })).status).toBe(200)
    await waitFor(async () => (await logsOf(rig.app)).length === 1, 5000, 'the answer finished')
    const row = (await logsOf(rig.app))[0]!
    expect(row.cost_micros).toBeGreaterThan(0)
    const res = await chatWith(rig.base, k.key, { model: 'gpt-4o' })
    expect([res.status, ((await res.json()) as OpenAiError).error.code]).toEqual([429, 'budget_exceeded'])
  })

  test('refusals in the native shape of an anthropic group', async () => {
    await using rig = await accessRig({ group: { channel_type: 'anthropic' } })
    const k = await createAccessKey(rig.app, { name: 'a', models: ['claude-*'] })
    const res = await fetch(`${rig.base}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': k.key, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
    })
    expect([res.status, await res.json()]).toEqual([403, { type: 'error', error: { type: 'permission_error', message: 'this access key may not use model "gpt-4o"' } }])
  })
})
