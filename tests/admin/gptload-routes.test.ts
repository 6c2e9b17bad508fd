/** Routes GPT-Load's web admin calls that keypool answers in GPT-Load's shapes (issue 15 item 1). */
import { describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { GroupView } from '../../server/admin/schemas'
import { createTestApp, data, expectError, json, makeGroup } from './support'

describe('GPT-Load web admin routes', () => {
  test('config-options lists exactly the group-overridable settings with the value a group inherits', async () => {
    await using app = await createTestApp()
    await data(app.api('/api/settings', json('PUT', { max_retries: 7 })))
    const opts = await data<{ key: string; name: string; description: string; default_value: unknown }[]>(app.api('/api/groups/config-options'))
    const settings = await data<{ settings: { key: string; group_override: boolean }[] }[]>(app.api('/api/settings'))
    const overridable = settings.flatMap((c) => c.settings).filter((s) => s.group_override).map((s) => s.key)
    expect(opts.map((o) => o.key).sort()).toEqual(overridable.sort())
    expect(opts.find((o) => o.key === 'max_retries')).toMatchObject({ name: 'Max Retries', default_value: 7, type: 'int', min_value: 0 })
    expect(opts.find((o) => o.key === 'proxy_url')!.description).toContain('HTTP proxy')
    expect(opts.some((o) => o.key === 'app_url')).toBe(false)
  })

  test('parent-aggregate-groups names each aggregate holding the group, with its weight there', async () => {
    await using app = await createTestApp()
    const a = await makeGroup(app)
    const lone = await makeGroup(app)
    const agg1 = await data<GroupView>(app.api('/api/groups', json('POST', { name: 'agg-one', display_name: 'Agg One', group_type: 'aggregate', channel_type: 'openai', sub_groups: [{ group_id: a.id, weight: 3 }] })))
    const agg2 = await data<GroupView>(app.api('/api/groups', json('POST', { name: 'agg-two', group_type: 'aggregate', channel_type: 'openai', sub_groups: [{ group_id: a.id, weight: 5 }] })))
    expect(await data(app.api(`/api/groups/${a.id}/parent-aggregate-groups`))).toEqual([
      { group_id: agg1.id, name: 'agg-one', display_name: 'Agg One', weight: 3 },
      { group_id: agg2.id, name: 'agg-two', display_name: 'agg-two', weight: 5 },
    ])
    expect(await data(app.api(`/api/groups/${lone.id}/parent-aggregate-groups`))).toEqual([])
    await expectError(app.api('/api/groups/999999/parent-aggregate-groups'), 404, 'NOT_FOUND', 'group 999999 not found')
  })

  test('PUT sub-groups/:subId/weight changes the weight; unknown sub-group and bad weight are refused', async () => {
    await using app = await createTestApp()
    const a = await makeGroup(app)
    const b = await makeGroup(app)
    const agg = await data<GroupView>(app.api('/api/groups', json('POST', { name: 'agg', group_type: 'aggregate', channel_type: 'openai', sub_groups: [{ group_id: a.id, weight: 1 }] })))
    await data(app.api(`/api/groups/${agg.id}/sub-groups/${a.id}/weight`, json('PUT', { weight: 9 })))
    expect((await app.deps.store.getGroup(agg.id))!.sub_groups).toEqual([{ group_id: a.id, weight: 9 }])
    await expectError(app.api(`/api/groups/${agg.id}/sub-groups/${b.id}/weight`, json('PUT', { weight: 2 })), 404, 'NOT_FOUND', 'is not a sub-group')
    await expectError(app.api(`/api/groups/${agg.id}/sub-groups/${a.id}/weight`, json('PUT', { weight: -1 })), 400, 'VALIDATION_ERROR')
    expect((await app.deps.store.getGroup(agg.id))!.sub_groups).toEqual([{ group_id: a.id, weight: 9 }])
  })

  test('encryption-status: no mismatch on a consistent store', async () => {
    await using plain = await createTestApp()
    const none = { has_mismatch: false, scenario_type: '', message: '', suggestion: '' }
    expect(await data(plain.api('/api/dashboard/encryption-status'))).toEqual(none)
    const g = await makeGroup(plain)
    await data(plain.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: 'sk-plain-abcdefghijklmnop' })))
    expect(await data(plain.api('/api/dashboard/encryption-status'))).toEqual(none)
    await using sealed = await createTestApp({ env: { ENCRYPTION_KEY: 'an-encryption-key-of-good-length' } })
    const g2 = await makeGroup(sealed)
    await data(sealed.api('/api/keys/add-multiple', json('POST', { group_id: g2.id, keys_text: 'sk-sealed-abcdefghijklmnop' })))
    expect(await data(sealed.api('/api/dashboard/encryption-status'))).toEqual(none)
  })

  test('encryption-status: ENCRYPTION_KEY set over keys stored in plain text is data_not_encrypted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keypool-enc-status-'))
    try {
      {
        await using app = await createTestApp({ dataDir: dir, env: { DATABASE_DSN: '' } })
        const g = await makeGroup(app)
        await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: 'sk-plain-abcdefghijklmnop' })))
      }
      // A database filled by another tool (an import) carries no cipher check: the node starts with the key set.
      const db = new Database(join(dir, 'keypool.db'))
      // The stopped node's log-writer thread may still hold the file for a moment: let SQLite wait for the lock.
      db.run('PRAGMA busy_timeout = 10000')
      db.run("DELETE FROM meta WHERE key = 'key_cipher_check'")
      db.close()
      await using app = await createTestApp({ dataDir: dir, env: { DATABASE_DSN: '', ENCRYPTION_KEY: 'an-encryption-key-of-good-length' } })
      const s = await data<{ has_mismatch: boolean; scenario_type: string; suggestion: string }>(app.api('/api/dashboard/encryption-status'))
      expect(s).toMatchObject({ has_mismatch: true, scenario_type: 'data_not_encrypted' })
      expect(s.suggestion).toContain('keypool migrate-keys')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test("reorder takes GPT-Load's {items: [...]} as well as the bare list", async () => {
    await using app = await createTestApp()
    const a = await makeGroup(app)
    const b = await makeGroup(app)
    await data(app.api('/api/groups/reorder', json('PUT', { items: [{ id: a.id, sort: 2 }, { id: b.id, sort: 1 }] })))
    expect((await data<GroupView[]>(app.api('/api/groups'))).map((g) => g.id)).toEqual([b.id, a.id])
    await data(app.api('/api/groups/reorder', json('PUT', [{ id: a.id, sort: 1 }, { id: b.id, sort: 2 }])))
    expect((await data<GroupView[]>(app.api('/api/groups'))).map((g) => g.id)).toEqual([a.id, b.id])
    await expectError(app.api('/api/groups/reorder', json('PUT', { items: [{ id: 999, sort: 1 }] })), 400, 'VALIDATION_ERROR', 'group 999 not found')
    await expectError(app.api('/api/groups/reorder', json('PUT', { order: [] })), 400, 'VALIDATION_ERROR')
  })

  test("the dashboard chart takes GPT-Load's groupId for one group", async () => {
    await using app = await createTestApp()
    const a = await makeGroup(app)
    const b = await makeGroup(app)
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000
    await app.deps.store.addHourlyStats([
      { hour, group_id: a.id, success_count: 5, failure_count: 1, prompt_tokens: 0, completion_tokens: 0, access_key_id: 0, model: '', cost_micros: 0 },
      { hour, group_id: b.id, success_count: 2, failure_count: 0, prompt_tokens: 0, completion_tokens: 0, access_key_id: 0, model: '', cost_micros: 0 },
    ])
    const one = await data<{ datasets: { data: number[] }[] }>(app.api(`/api/dashboard/chart?hours=1&groupId=${a.id}`))
    expect(one.datasets.map((d) => d.data)).toEqual([[5], [1]])
  })

  test('encryption-status: sealed keys read without ENCRYPTION_KEY are key_not_configured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keypool-enc-status-'))
    try {
      {
        await using app = await createTestApp({ dataDir: dir, env: { DATABASE_DSN: '', ENCRYPTION_KEY: 'an-encryption-key-of-good-length' } })
        const g = await makeGroup(app)
        await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: 'sk-sealed-abcdefghijklmnop' })))
      }
      const db = new Database(join(dir, 'keypool.db'))
      // The stopped node's log-writer thread may still hold the file for a moment: let SQLite wait for the lock.
      db.run('PRAGMA busy_timeout = 10000')
      db.run("DELETE FROM meta WHERE key = 'key_cipher_check'")
      db.close()
      await using app = await createTestApp({ dataDir: dir, env: { DATABASE_DSN: '' } })
      const s = await data<{ has_mismatch: boolean; scenario_type: string; message: string }>(app.api('/api/dashboard/encryption-status'))
      expect(s).toMatchObject({ has_mismatch: true, scenario_type: 'key_not_configured' })
      expect(s.message).not.toContain('enc:v1:')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('the new routes need the admin key and are in the OpenAPI document', async () => {
    await using app = await createTestApp()
    const res = await fetch(`${app.url}/api/groups/config-options`)
    expect(res.status).toBe(401)
    const doc = await (await app.api('/api/openapi.json')).json()
    for (const [path, method] of [
      ['/api/dashboard/encryption-status', 'get'],
      ['/api/groups/config-options', 'get'],
      ['/api/groups/{id}/parent-aggregate-groups', 'get'],
      ['/api/groups/{id}/sub-groups/{subId}/weight', 'put'],
    ] as const)
      expect(doc.paths[path]?.[method]?.summary).toBeTruthy()
  })
})
