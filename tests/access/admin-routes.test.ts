/** `/api/access-keys` against a real app: the secret answered once, HMAC only at rest, validation naming fields. */
import { describe, expect, test } from 'bun:test'
import { createTestApp, seedGroup } from '../support/test-app'
import { createAccessKey, putJson } from './support'

describe('access keys admin API', () => {
  test('create answers the secret once; the list never shows it; the store keeps only an HMAC', async () => {
    await using app = await createTestApp()
    await seedGroup(app.deps, { name: 'g1', upstreams: [{ url: 'http://127.0.0.1:1', weight: 1 }] })
    const created = await createAccessKey(app, { name: 'team-a', groups: ['g1'], models: ['gpt-4o*'], rpm_limit: 60, cost_budget_usd: 5, budget_period: 'day' })
    expect(created.key).toMatch(/^kp-[0-9A-Za-z]{40}$/)
    expect(created).toMatchObject({ name: 'team-a', key_prefix: created.key.slice(0, 8), enabled: true, groups: ['g1'], models: ['gpt-4o*'], rpm_limit: 60, cost_budget_usd: 5, budget_period: 'day' })
    expect(created).not.toHaveProperty('key_hash')
    expect(created.usage).toMatchObject({ period: 'day', tokens: 0, cost_usd: 0 })

    const list = await (await app.api('/api/access-keys')).json()
    expect(list.data.pagination).toEqual({ page: 1, page_size: 20, total_items: 1, total_pages: 1 })
    const text = JSON.stringify(list)
    expect(text).not.toContain(created.key)
    expect(text).not.toContain('key_hash')

    const row = (await app.deps.store.getAccessKey(created.id))!
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(row.key_hash).toBe(app.deps.access.registry.hasher.hash(created.key))
    // the install secret is in meta and is not the hash of anything shown
    expect(await app.deps.store.getMeta('access_key_hmac_secret')).toMatch(/^[0-9a-f]{64}$/)
  })

  test('update, rotate (a new secret, the old one dead), delete, and a second page', async () => {
    await using app = await createTestApp()
    const a = await createAccessKey(app, { name: 'a' })
    await createAccessKey(app, { name: 'b' })
    const upd = await putJson(app, `/api/access-keys/${a.id}`, { enabled: false, notes: 'paused', ip_allowlist: ['10.0.0.0/8', ' ::1 '] })
    expect(upd.status).toBe(200)
    expect(upd.body.data).toMatchObject({ name: 'a', enabled: false, notes: 'paused', ip_allowlist: ['10.0.0.0/8', '::1'] })
    expect(app.deps.access.registry.find(a.key)?.row.enabled).toBe(false)

    const rotated = await putJson(app, `/api/access-keys/${a.id}/rotate`, {}, 'POST')
    expect(rotated.status).toBe(200)
    const fresh = rotated.body.data.key as string
    expect(fresh).not.toBe(a.key)
    expect(app.deps.access.registry.find(a.key)).toBeUndefined()
    expect(app.deps.access.registry.find(fresh)?.row.id).toBe(a.id)

    const page2 = await (await app.api('/api/access-keys?page=2&page_size=1')).json()
    expect(page2.data.items.map((k: { name: string }) => k.name)).toEqual(['b'])

    expect((await app.api(`/api/access-keys/${a.id}`, { method: 'DELETE' })).status).toBe(200)
    expect(app.deps.access.registry.find(fresh)).toBeUndefined()
    expect((await app.api(`/api/access-keys/${a.id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await putJson(app, `/api/access-keys/${a.id}/rotate`, {}, 'POST')).status).toBe(404)
  })

  test('a bad field is a 400 naming it; a taken name is a 409', async () => {
    await using app = await createTestApp()
    await createAccessKey(app, { name: 'taken' })
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'x', rpm_limit: -1 }, 'rpm_limit'],
      [{ name: 'x', tpm_limit: 1.5 }, 'tpm_limit'],
      [{ name: 'x', budget_period: 'year' }, 'budget_period'],
      [{ name: 'x', cost_budget_usd: 'lots' }, 'cost_budget_usd'],
      [{ name: 'x', groups: ['nope'] }, 'groups[0]'],
      [{ name: 'x', ip_allowlist: ['10.0.0.0/99'] }, 'ip_allowlist[0]'],
      [{ name: 'x', expires_at: 'tomorrow' }, 'expires_at'],
    ]
    for (const [body, field] of cases) {
      const r = await putJson(app, '/api/access-keys', body, 'POST')
      expect([JSON.stringify(body), r.status, r.body.code]).toEqual([JSON.stringify(body), 400, 'VALIDATION_ERROR'])
      expect(r.body.message).toContain(field)
    }
    const dup = await putJson(app, '/api/access-keys', { name: 'taken' }, 'POST')
    expect([dup.status, dup.body.message]).toEqual([409, expect.stringContaining('name')])
    expect((await app.api('/api/access-keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"n"}' })).status).toBe(200)
  })

  test('needs the admin key; the routes are in the OpenAPI document', async () => {
    await using app = await createTestApp()
    expect((await fetch(`${app.url}/api/access-keys`)).status).toBe(401)
    const doc = await (await app.api('/api/openapi.json')).json()
    const paths = Object.keys(doc.paths)
    for (const p of ['/api/access-keys/', '/api/access-keys/{id}', '/api/access-keys/{id}/rotate', '/api/access-keys/{id}/usage', '/api/integration/info'])
      expect(paths).toContain(p)
  })

  test('usage per hour from the hourly stats of the key', async () => {
    await using app = await createTestApp()
    const k = await createAccessKey(app, { name: 'u' })
    const hour = Math.floor(app.deps.clock.now() / 3600_000) * 3600_000
    await app.deps.store.addHourlyStats([
      { hour, group_id: 1, access_key_id: k.id, model: 'gpt-4o', success_count: 3, failure_count: 1, prompt_tokens: 10, completion_tokens: 20, cost_micros: 1500 },
      { hour, group_id: 1, access_key_id: k.id + 1, model: 'gpt-4o', success_count: 9, failure_count: 0, prompt_tokens: 9, completion_tokens: 9, cost_micros: 9 },
    ] as never)
    const r = await (await app.api(`/api/access-keys/${k.id}/usage?start_time=${hour - 3600_000}&end_time=${hour + 60_000}&interval=hour`)).json()
    expect(r.data.buckets).toEqual([
      { time: hour - 3600_000, requests: 0, prompt_tokens: 0, completion_tokens: 0, cost_usd: 0 },
      { time: hour, requests: 4, prompt_tokens: 10, completion_tokens: 20, cost_usd: 0.0015 },
    ])
    expect((await app.api(`/api/access-keys/${k.id}/usage?interval=week`)).status).toBe(400)
    expect((await app.api(`/api/access-keys/${k.id + 99}/usage`)).status).toBe(404)
  })
})
