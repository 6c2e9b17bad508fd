/** Group rules on the request path: param_overrides, model_redirect_rules (+ strict, filtered model list), header_rules. */
import { describe, expect, test } from 'bun:test'
import { chat, logsOf, PROXY_KEY, proxyRig } from './helpers'

const sha256 = (b: string) => new Bun.CryptoHasher('sha256').update(b).digest('hex')

describe('group rules', () => {
  test('without rules the body is not re-serialised (bytes identical)', async () => {
    await using rig = await proxyRig(['sk-good'])
    const body = '{ "model" :"gpt-4o-mini",   "messages":[{"role":"user","content":"spaced"}] }'
    await fetch(`${rig.base}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${PROXY_KEY}`, 'content-type': 'application/json' }, body })
    expect(rig.upstream.requests[0]!.bodySha256).toBe(sha256(body))
  })

  test('param_overrides are forced onto the JSON body', async () => {
    await using rig = await proxyRig(['sk-good'], { param_overrides: { temperature: 0.1, fake_echo: true } })
    const res = await chat(rig.base, { temperature: 1.5, messages: [{ role: 'user', content: 'echo this' }] })
    const json = (await res.json()) as { choices: { message: { content: string } }[] }
    // fake_echo came from the override: the upstream saw the rewritten body
    expect(json.choices[0]!.message.content).toBe('echo this')
  })

  test('model_redirect_rules rewrite the model; strict mode refuses others with a native 400', async () => {
    await using rig = await proxyRig(['sk-good'], { model_redirect_rules: { 'my-fast': 'gpt-4o-mini' }, model_redirect_strict: true })
    const ok = await chat(rig.base, { model: 'my-fast' })
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { model: string }).model).toBe('gpt-4o-mini')
    const refused = await chat(rig.base, { model: 'gpt-4o' })
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('gpt-4o')
    expect(rig.upstream.requests.length).toBe(1)
  })

  test('strict mode: /v1/models lists only the redirect sources', async () => {
    await using rig = await proxyRig(['sk-good'], { model_redirect_rules: { 'my-fast': 'gpt-4o-mini' }, model_redirect_strict: true })
    const res = await fetch(`${rig.base}/v1/models`, { headers: { authorization: `Bearer ${PROXY_KEY}` } })
    const json = (await res.json()) as { data: { id: string }[] }
    expect(json.data.map((m) => m.id)).toEqual(['my-fast'])
  })

  test('non-strict: /v1/models keeps upstream models and adds redirect sources', async () => {
    await using rig = await proxyRig(['sk-good'], { model_redirect_rules: { 'my-fast': 'gpt-4o-mini' } })
    const res = await fetch(`${rig.base}/v1/models`, { headers: { authorization: `Bearer ${PROXY_KEY}` } })
    const ids = ((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id)
    expect(ids).toContain('gpt-4o')
    expect(ids).toContain('my-fast')
  })

  test('gemini model redirect rewrites the path', async () => {
    await using rig = await proxyRig(['AIza-k'], { channel_type: 'gemini', model_redirect_rules: { 'gem-alias': 'gemini-2.0-flash' } })
    const res = await fetch(`${rig.base}/v1beta/models/gem-alias:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': PROXY_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
    })
    expect(res.status).toBe(200)
    expect(rig.upstream.requests[0]!.path).toBe('/v1beta/models/gemini-2.0-flash:generateContent')
  })

  test('a body nested 100,000 deep on a group with body rules: native 400, no upstream call (was a 503 stack overflow)', async () => {
    await using rig = await proxyRig(['sk-good'], { param_overrides: { temperature: 0 } })
    const deep = '{"model":"gpt-4o-mini","messages":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}'
    const res = await fetch(`${rig.base}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${PROXY_KEY}`, 'content-type': 'application/json' }, body: deep })
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 400,
      body: { error: { message: 'the request body nests deeper than 256 levels', type: 'invalid_request_error', param: null, code: 'invalid_request' } },
    })
    expect(rig.upstream.requests.length).toBe(0)
  })

  test('header_rules set and remove headers with variables; ${CLIENT_IP} ignores forwarded headers from a stranger', async () => {
    await using rig = await proxyRig(['sk-good'], {
      header_rules: [
        { key: 'X-Client', value: '${CLIENT_IP}/${GROUP_NAME}', action: 'set' },
        { key: 'x-drop-me', value: '', action: 'remove' },
      ],
    })
    await chat(rig.base, {}, { 'x-drop-me': 'secret', 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.10' })
    const h = rig.upstream.requests[0]!.headers
    expect(h['x-client']).toBe('127.0.0.1/g1')
    expect(h['x-drop-me']).toBeUndefined()
    expect((await logsOf(rig.app)).map((r) => r.source_ip)).toEqual(['127.0.0.1'])
  })

  test('behind a trusted proxy ${CLIENT_IP} and the log row carry the right-most untrusted X-Forwarded-For address', async () => {
    const rules = { header_rules: [{ key: 'X-Client', value: '${CLIENT_IP}', action: 'set' as const }] }
    await using rig = await proxyRig(['sk-good'], rules, { TRUSTED_PROXIES: '127.0.0.1,10.0.0.0/8' })
    // spoofed left part, the real client, then a second trusted hop
    await chat(rig.base, {}, { 'x-forwarded-for': '1.1.1.1, 203.0.113.9, 10.2.3.4' })
    await chat(rig.base, {}, { 'x-real-ip': '198.51.100.7' })
    expect(rig.upstream.requests.map((r) => r.headers['x-client'])).toEqual(['203.0.113.9', '198.51.100.7'])
    expect((await logsOf(rig.app)).map((r) => r.source_ip).sort()).toEqual(['198.51.100.7', '203.0.113.9'])
  })
})

describe('upstream balancing', () => {
  test('smooth weighted round-robin follows the weights; weight 0 is off', async () => {
    await using rig = await proxyRig(['sk-good'])
    const { startFakeUpstream } = await import('../support/fake-upstream')
    await using b = await startFakeUpstream()
    await using c = await startFakeUpstream()
    await rig.app.deps.store.updateGroup(rig.group.id, {
      upstreams: [
        { url: rig.upstream.url, weight: 2 },
        { url: b.url, weight: 1 },
        { url: c.url, weight: 0 },
      ],
    })
    await rig.app.deps.groups.invalidate([rig.group.id])
    for (let i = 0; i < 9; i++) expect((await chat(rig.base)).status).toBe(200)
    expect([rig.upstream.requests.length, b.requests.length, c.requests.length]).toEqual([6, 3, 0])
  })

  test('aggregate group spreads over sub-groups and a retry may move to another sub-group', async () => {
    await using rig = await proxyRig(['sk-bad-only'], { name: 'sub-a', config: { blacklist_threshold: 1 } })
    const { seedGroup } = await import('../support/test-app')
    const subB = await seedGroup(rig.app.deps, { name: 'sub-b', upstreams: [{ url: rig.upstream.url, weight: 1 }] }, ['sk-good-b'])
    await seedGroup(rig.app.deps, {
      name: 'agg',
      group_type: 'aggregate',
      upstreams: [],
      sub_groups: [
        { group_id: rig.group.id, weight: 1 },
        { group_id: subB.id, weight: 1 },
      ],
    })
    for (let i = 0; i < 4; i++) expect((await chat(`${rig.app.url}/proxy/agg`)).status).toBe(200)
    const keys = rig.upstream.requests.map((r) => r.key)
    expect(keys.filter((k) => k === 'sk-good-b').length).toBe(4)
  })
})
