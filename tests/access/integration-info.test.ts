/** `GET /api/integration/info`: the holder's view, authenticated by its own key, never by the admin key alone. */
import { describe, expect, test } from 'bun:test'
import { createTestApp, seedGroup } from '../support/test-app'
import { createAccessKey, putJson } from './support'

const info = (url: string, key: string | null, query = '') =>
  fetch(`${url}/api/integration/info${query}`, key ? { headers: { authorization: `Bearer ${key}` } } : {})

describe('integration info', () => {
  test('an access key sees its name, limits, usage, groups and models; nothing of others', async () => {
    await using app = await createTestApp()
    await seedGroup(app.deps, { name: 'a', display_name: 'A', upstreams: [{ url: 'http://127.0.0.1:1', weight: 1 }] })
    await seedGroup(app.deps, { name: 'b', upstreams: [{ url: 'http://127.0.0.1:1', weight: 1 }], proxy_keys: 'group-b-key' })
    const k = await createAccessKey(app, { name: 'team', groups: ['a'], models: ['gpt-4o*'], rpm_limit: 10, token_budget: 1000, budget_period: 'week' })
    const res = await info(app.url, k.key)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.data).toEqual({
      name: 'team',
      key_prefix: k.key.slice(0, 8),
      expires_at: null,
      limits: { rpm_limit: 10, tpm_limit: 0, max_concurrency: 0, token_budget: 1000, cost_budget_usd: 0, budget_period: 'week' },
      usage: { period: 'week', period_start: expect.any(Number), period_end: expect.any(Number), tokens: 0, cost_usd: 0 },
      groups: [{ name: 'a', display_name: 'A', channel_type: 'openai', path: '/proxy/a' }],
      models: ['gpt-4o*'],
    })
    // ?key= works as GPT-Load's did
    expect((await info(app.url, null, `?key=${k.key}`)).status).toBe(200)
    // a group proxy key: its own groups; a global proxy key (AUTH_KEY starts as one): all
    expect((await (await info(app.url, 'group-b-key')).json()).data.map((g: { name: string }) => g.name)).toEqual(['b'])
    expect((await (await info(app.url, app.deps.settings.get().proxy_keys.split(',')[0]!)).json()).data.map((g: { name: string }) => g.name)).toEqual(['a', 'b'])
  })

  test('401 for no key, an unknown key, a disabled key', async () => {
    await using app = await createTestApp()
    const k = await createAccessKey(app, { name: 'off' })
    await putJson(app, `/api/access-keys/${k.id}`, { enabled: false })
    for (const key of [null, `kp-${'z'.repeat(40)}`, k.key]) {
      const res = await info(app.url, key)
      expect([res.status, (await res.json()).code]).toEqual([401, 'UNAUTHORIZED'])
    }
  })
})
