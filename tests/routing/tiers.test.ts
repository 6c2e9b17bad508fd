/** Routing across groups: tiers, fallback and recovery, retries counted across groups, client errors, weights. */
import { describe, expect, test } from 'bun:test'
import { chatAt, finalRows, routingRig } from './helpers'

describe('tiers across groups', () => {
  test('a first tier whose keys all fail: the next tier serves, then the first takes over again once it recovers', async () => {
    await using rig = await routingRig()
    await rig.group('free', { models: ['gpt-4o-mini'], priority: 1 }, ['sk-free-a', 'sk-free-b'])
    await rig.group('paid', { models: ['gpt-4o*'], priority: 2 }, ['sk-paid-a'])
    rig.upstream.setBehavior('sk-free-a', '500')
    rig.upstream.setBehavior('sk-free-b', '500')
    for (let i = 0; i < 2; i++) expect((await chatAt(rig.app.url, 'gpt-4o-mini')).status).toBe(200)
    // each request: one failed attempt on the first tier, then the second tier
    expect(rig.upstream.requests.map((r) => [r.key, r.status])).toEqual([
      ['sk-free-a', 500], ['sk-paid-a', 200],
      ['sk-free-b', 500], ['sk-paid-a', 200],
    ])
    rig.upstream.setBehavior('sk-free-a', null)
    rig.upstream.setBehavior('sk-free-b', null)
    rig.upstream.reset()
    for (let i = 0; i < 2; i++) expect((await chatAt(rig.app.url, 'gpt-4o-mini')).status).toBe(200)
    expect(rig.upstream.requests.map((r) => r.key)).toEqual(['sk-free-a', 'sk-free-b'])
    const rows = await finalRows(rig.app)
    expect(rows.map((r) => [r.group_name, r.tier, r.retries])).toEqual([
      ['paid', 2, 1], ['paid', 2, 1],
      ['free', 1, 0], ['free', 1, 0],
    ])
  })

  test('a group with no usable key moves on without spending an attempt; max_retries counts attempts across groups', async () => {
    await using rig = await routingRig()
    await rig.group('empty', { models: ['m-1'], priority: 1 }, [])
    await rig.group('down1', { models: ['m-1'], priority: 2, config: { max_retries: 9 } }, ['sk-500-a'])
    await rig.group('down2', { models: ['m-1'], priority: 3 }, ['sk-500-b'])
    await rig.group('up', { models: ['m-1'], priority: 4 }, ['sk-ok-c'])
    await rig.app.deps.settings.update({ max_retries: 1 })
    // max_retries is the first candidate's (empty: the system's 1), not down1's 9
    const res = await chatAt(rig.app.url, 'm-1')
    expect(res.status).toBe(500)
    expect(rig.upstream.requests.map((r) => r.key)).toEqual(['sk-500-a', 'sk-500-b'])
    await rig.app.deps.settings.update({ max_retries: 3 })
    rig.upstream.reset()
    expect((await chatAt(rig.app.url, 'm-1')).status).toBe(200)
    expect(rig.upstream.requests.map((r) => r.key)).toEqual(['sk-500-a', 'sk-500-b', 'sk-ok-c'])
    const last = (await finalRows(rig.app)).at(-1)!
    expect([last.group_name, last.tier, last.attempt]).toEqual(['up', 4, 3])
  })

  test('no usable key in any candidate: 503 in the caller shape', async () => {
    await using rig = await routingRig()
    await rig.group('a', { models: ['m-1'] }, [])
    const res = await chatAt(rig.app.url, 'm-1')
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ error: { code: 'no_available_keys' } })
  })

  test("a client error stops: the next candidate is not tried and the upstream's answer passes through", async () => {
    await using rig = await routingRig()
    await rig.group('first', { models: ['m-1'], priority: 1 }, ['sk-400-a'])
    await rig.group('second', { models: ['m-1'], priority: 2 }, ['sk-ok-b'])
    const res = await chatAt(rig.app.url, 'm-1')
    expect(res.status).toBe(400)
    expect(rig.upstream.requests.map((r) => r.key)).toEqual(['sk-400-a'])
  })

  test('inside one tier the groups share the load by weight; weight 0 is never routed to', async () => {
    await using rig = await routingRig()
    await rig.group('heavy', { models: ['m-1'], weight: 3 }, ['sk-heavy'])
    await rig.group('light', { models: ['m-1'], weight: 1 }, ['sk-light'])
    await rig.group('off', { models: ['m-1'], weight: 0 }, ['sk-off'])
    for (let i = 0; i < 8; i++) expect((await chatAt(rig.app.url, 'm-1')).status).toBe(200)
    const count = (k: string) => rig.upstream.requests.filter((r) => r.key === k).length
    expect([count('sk-heavy'), count('sk-light'), count('sk-off')]).toEqual([6, 2, 0])
  })

  test('globs: * and ? match, case does not matter, a group without models is only /proxy/{name}', async () => {
    await using rig = await routingRig()
    await rig.group('globs', { models: ['gpt-4?-mini', 'claude-*'] }, ['sk-glob'])
    await rig.group('hidden', { models: [] }, ['sk-hidden'])
    expect((await chatAt(rig.app.url, 'GPT-4o-MINI')).status).toBe(200)
    expect((await chatAt(rig.app.url, 'claude-anything')).status).toBe(200)
    expect((await chatAt(rig.app.url, 'gpt-4oo-mini')).status).toBe(404)
    expect(rig.upstream.requests.map((r) => r.key)).toEqual(['sk-glob', 'sk-glob'])
    expect((await chatAt(`${rig.app.url}/proxy/hidden`, 'whatever')).status).toBe(200)
  })

  test('Gemini on /v1beta: the model comes from the path; the body rules of the chosen group apply', async () => {
    await using rig = await routingRig()
    await rig.group('gem', { channel_type: 'gemini', models: ['gemini-fast'], model_redirect_rules: { 'gemini-fast': 'gemini-2.0-flash' } }, ['AIza-1'])
    const res = await fetch(`${rig.app.url}/v1beta/models/gemini-fast:generateContent?key=${encodeURIComponent('test-admin-key-0123456789')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
    })
    expect(res.status).toBe(200)
    expect(rig.upstream.requests.map((r) => [r.path, r.key])).toEqual([['/v1beta/models/gemini-2.0-flash:generateContent', 'AIza-1']])
  })
})

describe('hostile bodies on the root routes', () => {
  test('a body nested too deep, one without a model, and one that is not JSON are refused in the caller shape', async () => {
    // one slot: a refusal that kept its slot would make every later request a 429
    await using rig = await routingRig({ MAX_CONCURRENT_REQUESTS: '1' })
    await rig.group('g', { models: ['m'] }, ['sk-ok'])
    const post = (body: string) =>
      fetch(`${rig.app.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer test-admin-key-0123456789', 'content-type': 'application/json' }, body })
    const deep = await post(`{"model":"m","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)
    expect(deep.status).toBe(400)
    expect(await deep.json()).toMatchObject({ error: { code: 'invalid_request' } })
    const none = await post('{"messages":[]}')
    expect(none.status).toBe(400)
    expect(await none.json()).toMatchObject({ error: { code: 'model_required' } })
    expect((await post('not json')).status).toBe(400)
    expect(rig.upstream.requests).toEqual([])
    expect((await chatAt(rig.app.url, 'unknown-model')).status).toBe(404)
    expect((await chatAt(rig.app.url, 'm')).status).toBe(200)
    expect((await chatAt(rig.app.url, 'm')).status).toBe(200)
  })
})
