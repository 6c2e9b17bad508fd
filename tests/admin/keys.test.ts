import { describe, expect, test } from 'bun:test'
import type { KeyView, PagedOf, TaskStatus } from '../../server/admin/schemas'
import { startFakeUpstream } from '../support/fake-upstream'
import { createTestApp, data, expectError, json, makeGroup, TEST_AUTH_KEY, waitFor } from './support'

const K = (n: number) => `sk-test-${String(n).padStart(12, '0')}`

describe('keys', () => {
  test('add-multiple splits on whitespace, commas, semicolons or a JSON array and dedups by hash', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    const add = (keys_text: string) => data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text })))
    expect(await add(`${K(1)}, ${K(2)};${K(3)}\n${K(1)}`)).toEqual({ added_count: 3, ignored_count: 1, total_in_group: 3 })
    expect(await add(JSON.stringify([K(3), K(4)]))).toEqual({ added_count: 1, ignored_count: 1, total_in_group: 4 })
    expect((await app.deps.pool.stats(g.id)).active).toBe(4) // the pool serves them at once
    await expectError(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: ' ' })), 400, 'VALIDATION_ERROR', 'keys_text holds no keys')
    await expectError(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: '[1,2]' })), 400, 'VALIDATION_ERROR', 'only strings')
    await expectError(app.api('/api/keys/add-multiple', json('POST', { group_id: 999, keys_text: K(1) })), 404, 'NOT_FOUND', 'group 999 not found')
    await expectError(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id })), 400, 'VALIDATION_ERROR', 'keys_text is required')
    const many = Array.from({ length: 5001 }, (_, i) => K(i)).join('\n')
    await expectError(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: many })), 400, 'VALIDATION_ERROR', 'more than 5000 need the async route')
  })

  test('keys that cannot be sent in an HTTP header are refused, by position and never echoed; nothing is added', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    for (const route of ['/api/keys/add-multiple', '/api/keys/add-async']) {
      const nonAscii = JSON.stringify([K(1), 'sk-é中文-secret'])
      await expectError(app.api(route, json('POST', { group_id: g.id, keys_text: nonAscii })), 400, 'VALIDATION_ERROR', 'key 2 has a character')
      const control = JSON.stringify(['sk-a\u0000b-secret'])
      await expectError(app.api(route, json('POST', { group_id: g.id, keys_text: control })), 400, 'VALIDATION_ERROR', 'key 1 has a character')
      // a 10 MB paste without separators is not one key
      await expectError(app.api(route, json('POST', { group_id: g.id, keys_text: 'k'.repeat(10_000_000) })), 400, 'VALIDATION_ERROR', 'key 1 is longer than 4096')
    }
    const res = await app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: JSON.stringify(['sk-é中文-secret']) }))
    expect(await res.text()).not.toContain('secret')
    expect(await app.deps.store.groupKeys(g.id)).toEqual([])
  })

  test('listing the keys of an unknown group is a 404, as on the other keys routes', async () => {
    await using app = await createTestApp()
    await expectError(app.api('/api/keys?group_id=999'), 404, 'NOT_FOUND', 'group 999 not found')
  })

  test('list is masked, filtered and paged; search by full key value; reveal returns one key', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: [1, 2, 3, 4, 5].map(K).join(' ') })))
    const page = await data<PagedOf<KeyView>>(app.api(`/api/keys?group_id=${g.id}&page=2&page_size=2`))
    expect(page.pagination).toEqual({ page: 2, page_size: 2, total_items: 5, total_pages: 3 })
    expect(page.items.map((k) => k.key_value)).toEqual(['sk-te…0003', 'sk-te…0004'])
    expect(JSON.stringify(page)).not.toContain(K(3))
    const found = await data<PagedOf<KeyView>>(app.api(`/api/keys?group_id=${g.id}&key_value=${K(4)}&status=`))
    expect(found.items.map((k) => k.key_value)).toEqual(['sk-te…0004'])
    const id = found.items[0]!.id
    await data(app.api(`/api/keys/${id}/status`, json('PUT', { status: 'disabled' })))
    expect((await data<PagedOf<KeyView>>(app.api(`/api/keys?group_id=${g.id}&status=disabled`))).items.map((k) => k.id)).toEqual([id])
    expect((await data<PagedOf<KeyView>>(app.api(`/api/keys?group_id=${g.id}`))).pagination.total_items).toBe(5)
    expect(await data(app.api(`/api/keys/${id}/reveal`))).toEqual({ id, key_value: K(4) })
    await expectError(app.api(`/api/keys/99999/reveal`), 404, 'NOT_FOUND')
    await expectError(app.api(`/api/keys?status=broken`), 400, 'VALIDATION_ERROR', 'status must be')
    await expectError(app.api(`/api/keys?page=0`), 400, 'VALIDATION_ERROR', 'page must be an integer from 1')
    await expectError(app.api(`/api/keys?page_size=5000`), 400, 'VALIDATION_ERROR', 'page_size must be an integer from 1 to 1000')
  })

  test('a disabled key is never picked and restore does not bring it back; enabling does', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: `${K(1)} ${K(2)}` })))
    const [k1, k2] = await app.deps.store.groupKeys(g.id)
    const view = await data<KeyView>(app.api(`/api/keys/${k1!.id}/status`, json('PUT', { status: 'disabled' })))
    expect(view.state).toBe('disabled')
    for (let i = 0; i < 6; i++) expect((await app.deps.pool.pick(g.id))?.id).toBe(k2!.id)
    await expectError(app.api('/api/keys/restore-multiple', json('POST', { group_id: g.id, key_ids: [k1!.id] })), 409, 'CONFLICT', 'disabled')
    await data(app.api('/api/keys/validate-group', json('POST', { group_id: g.id }))) // validation skips disabled keys
    await app.deps.tasks.idle()
    expect((await app.deps.store.getKey(k1!.id))?.status).toBe('disabled')
    await data(app.api(`/api/keys/${k1!.id}/status`, json('PUT', { status: 'active' })))
    const picked = new Set<number>()
    for (let i = 0; i < 4; i++) picked.add((await app.deps.pool.pick(g.id))!.id)
    expect(picked).toEqual(new Set([k1!.id, k2!.id]))
    await expectError(app.api(`/api/keys/${k1!.id}/status`, json('PUT', { status: 'invalid' })), 400, 'VALIDATION_ERROR', 'status must be')
  })

  test('restore, restore-all-invalid, clear-all-invalid, delete-multiple, clear-all', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: [1, 2, 3, 4, 5].map(K).join(' ') })))
    const ids = (await app.deps.store.groupKeys(g.id)).map((k) => k.id)
    await app.deps.store.setKeyStatus(ids.slice(0, 3), 'invalid')
    await app.deps.pool.setStatus(g.id, ids.slice(0, 3), 'invalid')
    expect(await data(app.api('/api/keys/restore-multiple', json('POST', { group_id: g.id, keys_text: `${K(1)} sk-unknown-000000` })))).toEqual({ restored_count: 1, ignored_count: 1, total_in_group: 5 })
    expect(await data(app.api('/api/keys/restore-all-invalid', json('POST', { group_id: g.id })))).toEqual({ restored_count: 2 })
    expect((await app.deps.pool.stats(g.id)).active).toBe(5)
    await app.deps.store.setKeyStatus([ids[4]!], 'invalid')
    expect(await data(app.api('/api/keys/clear-all-invalid', json('POST', { group_id: g.id })))).toEqual({ deleted_count: 1 })
    expect(await data(app.api('/api/keys/delete-multiple', json('POST', { group_id: g.id, keys_text: `${K(1)}\n${K(9)}` })))).toEqual({ deleted_count: 1, ignored_count: 1, total_in_group: 3 })
    expect(await data(app.api('/api/keys/clear-all', json('POST', { group_id: g.id })))).toEqual({ deleted_count: 3 })
    expect(await app.deps.pool.stats(g.id)).toEqual({ active: 0, cooling: 0, invalid: 0, disabled: 0 })
    await expectError(app.api('/api/keys/delete-multiple', json('POST', { group_id: g.id })), 400, 'VALIDATION_ERROR', 'keys_text or key_ids is required')
  })

  test('notes and export by state', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app, { name: 'exp' })
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: `${K(1)} ${K(2)}` })))
    const [k1] = await app.deps.store.groupKeys(g.id)
    expect((await data<KeyView>(app.api(`/api/keys/${k1!.id}/notes`, json('PUT', { notes: 'team a' })))).notes).toBe('team a')
    await app.deps.store.setKeyStatus([k1!.id], 'invalid')
    const all = await app.api(`/api/keys/export?group_id=${g.id}`)
    expect(all.headers.get('content-type')).toContain('text/plain')
    expect(all.headers.get('content-disposition')).toBe('attachment; filename="keys-exp-all.txt"')
    expect(await all.text()).toBe(`${K(1)}\n${K(2)}\n`)
    expect(await (await app.api(`/api/keys/export?group_id=${g.id}&status=invalid`)).text()).toBe(`${K(1)}\n`)
    expect(await (await app.api(`/api/keys/export?group_id=${g.id}&status=disabled`)).text()).toBe('')
  })

  test('100,000 keys in one paste: imported in the background with progress, deduplicated, a second task is a 409', async () => {
    await using upstream = await startFakeUpstream()
    await using app = await createTestApp()
    const g = await makeGroup(app, { name: 'bulk' })
    const live = await makeGroup(app, { name: 'live' }, upstream.url)
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: live.id, keys_text: 'sk-live-0000000001' })))
    const proxied = () =>
      fetch(`${app.url}/proxy/live/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_AUTH_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      }).then((r) => r.status)
    const keys = Array.from({ length: 100_000 }, (_, i) => K(i))
    keys.push(K(5), K(77)) // duplicates in the paste
    const started = await data<TaskStatus>(app.api('/api/keys/add-async', json('POST', { group_id: g.id, keys_text: keys.join('\n') })))
    expect(started).toMatchObject({ task_type: 'KEY_IMPORT', is_running: true, group_name: 'bulk', total: 100_002 })
    const conflict = await expectError(app.api('/api/keys/validate-group', json('POST', { group_id: g.id })), 409, 'CONFLICT', 'KEY_IMPORT task is already running')
    expect(conflict.message).toContain('bulk')
    // The proxy keeps serving while the import runs, and progress moves.
    let sawProgress = false
    const statusesDuringImport: number[] = []
    await waitFor(async () => {
      const s = await data<TaskStatus>(app.api('/api/tasks/status'))
      if (s.is_running && s.processed > 0 && s.processed < s.total) {
        sawProgress = true
        statusesDuringImport.push(await proxied())
      }
      return !s.is_running
    }, 60_000, 'import to finish')
    expect(sawProgress).toBe(true)
    expect(statusesDuringImport.length).toBeGreaterThan(0)
    expect(new Set(statusesDuringImport)).toEqual(new Set([200]))
    const done = await data<TaskStatus>(app.api('/api/tasks/status'))
    expect(done).toMatchObject({ task_type: 'KEY_IMPORT', is_running: false, processed: 100_002, total: 100_002, error: '' })
    expect(done.result).toEqual({ added_count: 100_000, ignored_count: 2, total_in_group: 100_000 })
    expect(done.finished_at).not.toBeNull()
    expect((await app.deps.pool.stats(g.id)).active).toBe(100_000)
  })

  test('delete-async removes keys in the background', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app, { name: 'del' })
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: [1, 2, 3].map(K).join(' ') })))
    await data(app.api('/api/keys/delete-async', json('POST', { group_id: g.id, keys_text: `${K(1)} ${K(2)}` })))
    await app.deps.tasks.idle()
    expect((await data<TaskStatus>(app.api('/api/tasks/status'))).result).toEqual({ deleted_count: 2, ignored_count: 0, total_in_group: 1 })
  })
})
