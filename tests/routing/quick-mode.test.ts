/** Quick mode beside model routing: the default group serves `*` and every /v1 path it served before. */
import { describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeUpstream } from '../support/fake-upstream'
import { createTestApp, seedGroup } from '../support/test-app'
import { chatAt, finalRows, GLOBAL_KEY } from './helpers'

describe('quick mode with the root routes', () => {
  test('any model, the model list and other /v1 paths reach default; a group that claims a model gets it', async () => {
    await using upstream = await startFakeUpstream()
    const dir = mkdtempSync(join(tmpdir(), 'kp-quick-'))
    writeFileSync(join(dir, 'keys.txt'), 'sk-quick-1\n')
    await using app = await createTestApp({ env: { KEYS_FILE: join(dir, 'keys.txt'), OPENAI_BASE_URL: upstream.url } })
    await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
    expect(app.deps.groups.byName('default')?.models).toEqual(['*'])
    expect((await chatAt(app.url, 'gpt-4o-mini')).status).toBe(200)
    expect((await chatAt(app.url, 'anything-at-all')).status).toBe(200)
    // the model list is the upstream's, as before routing
    const list = await fetch(`${app.url}/v1/models`, { headers: { authorization: `Bearer ${GLOBAL_KEY}` } })
    expect(list.status).toBe(200)
    expect(((await list.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0)
    expect((await fetch(`${app.url}/v1/chat/completions`, { method: 'POST', body: '{}' })).status).toBe(401)
    expect(upstream.requests.map((r) => [r.path, r.key])).toEqual([
      ['/v1/chat/completions', 'sk-quick-1'],
      ['/v1/chat/completions', 'sk-quick-1'],
      ['/v1/models', 'sk-quick-1'],
    ])
    await seedGroup(app.deps, { name: 'special', models: ['special-model'], priority: 1, upstreams: [{ url: upstream.url, weight: 1 }] }, ['sk-special'])
    await app.deps.store.updateGroup(app.deps.groups.byName('default')!.id, { priority: 2 })
    await app.deps.groups.invalidate([app.deps.groups.byName('default')!.id])
    upstream.reset()
    expect((await chatAt(app.url, 'special-model')).status).toBe(200)
    expect((await chatAt(app.url, 'other-model')).status).toBe(200)
    expect(upstream.requests.map((r) => r.key)).toEqual(['sk-special', 'sk-quick-1'])
    const rows = await finalRows(app)
    expect(rows.slice(-2).map((r) => r.group_name)).toEqual(['special', 'default'])
  })
})
