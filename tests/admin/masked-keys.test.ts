/** Masked values sent back in keys_text name the key they mask (issue 15 item 5); nothing done is never "Success". */
import { describe, expect, test } from 'bun:test'
import type { KeyTestResults, KeyView, PagedOf } from '../../server/admin/schemas'
import { startFakeUpstream } from '../support/fake-upstream'
import { createTestApp, data, expectError, json, makeGroup } from './support'

const listed = async (app: { api(p: string): Promise<Response> }, groupId: number) =>
  Object.fromEntries((await data<PagedOf<KeyView>>(app.api(`/api/keys?group_id=${groupId}&page_size=100`))).items.map((k) => [k.id, k.key_value]))

describe('masked values in keys_text', () => {
  test('test-multiple tests the key a listed (masked) value names', async () => {
    await using upstream = await startFakeUpstream()
    await using app = await createTestApp()
    const g = await makeGroup(app, {}, upstream.url)
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: 'sk-good-masked-00001 sk-bad-masked-000002' })))
    const good = (await app.deps.store.groupKeys(g.id)).find((k) => k.key_value === 'sk-good-masked-00001')!
    const masked = (await listed(app, g.id))[good.id]!
    expect(masked).toBe('sk-go…0001')
    const r = await data<KeyTestResults>(app.api('/api/keys/test-multiple', json('POST', { group_id: g.id, keys_text: masked })))
    expect(r.results.map(({ key_value, is_valid, status }) => ({ key_value, is_valid, status }))).toEqual([{ key_value: masked, is_valid: true, status: 200 }])
    expect(upstream.requests.map((q) => q.key)).toEqual(['sk-good-masked-00001'])
  })

  test('delete-multiple and restore-multiple act on the key a masked value names', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: 'sk-first-aaaaaaaa-01 sk-second-bbbbbbb-02 sk-third-cccccccc-03' })))
    const [first, second] = await app.deps.store.groupKeys(g.id)
    const masks = await listed(app, g.id)
    expect(await data(app.api('/api/keys/delete-multiple', json('POST', { group_id: g.id, keys_text: masks[first!.id] })))).toEqual({ deleted_count: 1, ignored_count: 0, total_in_group: 2 })
    expect((await app.deps.store.groupKeys(g.id)).map((k) => k.id)).not.toContain(first!.id)
    await app.deps.store.setKeyStatus([second!.id], 'invalid')
    await app.deps.pool.setStatus(g.id, [second!.id], 'invalid')
    expect(await data(app.api('/api/keys/restore-multiple', json('POST', { group_id: g.id, keys_text: masks[second!.id] })))).toEqual({ restored_count: 1, ignored_count: 0, total_in_group: 2 })
    expect((await app.deps.store.getKey(second!.id))!.status).toBe('active')
  })

  test('an ambiguous or unknown masked value is a 400 naming it; nothing is done', async () => {
    await using upstream = await startFakeUpstream()
    await using app = await createTestApp()
    const g = await makeGroup(app, {}, upstream.url)
    // the same first five and last four characters: one mask for two keys
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: 'sk-good-aaaa-0001 sk-good-bbbb-0001' })))
    for (const route of ['test-multiple', 'delete-multiple', 'restore-multiple']) {
      await expectError(app.api(`/api/keys/${route}`, json('POST', { group_id: g.id, keys_text: 'sk-go…0001' })), 400, 'VALIDATION_ERROR', 'sk-go…0001 is a masked value that matches 2 keys')
      await expectError(app.api(`/api/keys/${route}`, json('POST', { group_id: g.id, keys_text: 'sk-good-aaaa-0001 sk-zz…9999' })), 400, 'VALIDATION_ERROR', 'sk-zz…9999 is a masked value that matches no key')
    }
    expect(upstream.requests).toEqual([])
    expect((await app.deps.store.groupKeys(g.id)).length).toBe(2)
  })

  test('nothing matched or nothing to do is a 4xx saying so, never "Success"', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: 'sk-live-aaaaaaaaaaaa-01 sk-live-bbbbbbbbbbbb-02' })))
    const [a, b] = await app.deps.store.groupKeys(g.id)
    await expectError(app.api('/api/keys/delete-multiple', json('POST', { group_id: g.id, keys_text: 'sk-not-in-group-000000' })), 404, 'NOT_FOUND', 'none of the keys is in this group')
    await expectError(app.api('/api/keys/delete-async', json('POST', { group_id: g.id, keys_text: 'sk-not-in-group-000000' })), 404, 'NOT_FOUND', 'none of the keys is in this group')
    await expectError(app.api('/api/keys/delete-multiple', json('POST', { group_id: g.id, key_ids: [999999] })), 404, 'NOT_FOUND', 'none of the ids')
    await expectError(app.api('/api/keys/restore-multiple', json('POST', { group_id: g.id, keys_text: 'sk-live-aaaaaaaaaaaa-01' })), 409, 'CONFLICT', 'the keys are active')
    await data(app.api(`/api/keys/${b!.id}/status`, json('PUT', { status: 'disabled' })))
    await expectError(app.api('/api/keys/restore-multiple', json('POST', { group_id: g.id, key_ids: [b!.id] })), 409, 'CONFLICT', '1 of the keys is disabled')
    expect((await app.deps.store.groupKeys(g.id)).map((k) => [k.id, k.status])).toEqual([[a!.id, 'active'], [b!.id, 'disabled']])
  })
})
