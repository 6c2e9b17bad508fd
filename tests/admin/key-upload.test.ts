/** `POST /api/keys/add-async` with GPT-Load's multipart upload (issue 15 item 3). */
import { describe, expect, test } from 'bun:test'
import type { TaskStatus } from '../../server/admin/schemas'
import { MAX_KEY_FILE_BYTES } from '../../server/admin/key-upload'
import { createTestApp, data, expectError, json, makeGroup } from './support'

function upload(fields: Record<string, string | File>): RequestInit {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  return { method: 'POST', body: form }
}

describe('add-async upload', () => {
  test('a .txt file of keys is imported in the background; JSON bodies still work', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    const file = new File(['sk-file-aaaaaaaaaaaaaaaa\nsk-file-bbbbbbbbbbbbbbbb\r\n\nsk-file-aaaaaaaaaaaaaaaa\n'], 'keys.txt', { type: 'text/plain' })
    const started = await data<TaskStatus>(app.api('/api/keys/add-async', upload({ group_id: String(g.id), file })))
    expect(started).toMatchObject({ task_type: 'KEY_IMPORT', group_name: g.name, total: 3 })
    await app.deps.tasks.idle()
    expect((await data<TaskStatus>(app.api('/api/tasks/status'))).result).toEqual({ added_count: 2, ignored_count: 1, total_in_group: 2 })
    await data(app.api('/api/keys/add-async', json('POST', { group_id: g.id, keys_text: 'sk-json-cccccccccccccccc' })))
    await app.deps.tasks.idle()
    expect((await app.deps.store.groupKeys(g.id)).map((k) => k.key_value).sort()).toEqual([
      'sk-file-aaaaaaaaaaaaaaaa', 'sk-file-bbbbbbbbbbbbbbbb', 'sk-json-cccccccccccccccc',
    ])
  })

  test('missing or empty file, wrong type, bad or unknown group: a clear error, nothing imported', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    const txt = (body: string, name = 'keys.txt') => new File([body], name, { type: 'text/plain' })
    const add = (fields: Record<string, string | File>) => app.api('/api/keys/add-async', upload(fields))
    await expectError(add({ group_id: String(g.id) }), 400, 'VALIDATION_ERROR', 'file is required')
    await expectError(add({ group_id: String(g.id), file: 'sk-not-a-file-aaaaaaaa' }), 400, 'VALIDATION_ERROR', 'file is required')
    await expectError(add({ group_id: String(g.id), file: txt(' \n\n ') }), 400, 'VALIDATION_ERROR', 'file is empty')
    await expectError(add({ group_id: String(g.id), file: txt('sk-aaaaaaaaaaaaaaaa', 'keys.csv') }), 400, 'VALIDATION_ERROR', 'only .txt')
    await expectError(add({ file: txt('sk-aaaaaaaaaaaaaaaa') }), 400, 'VALIDATION_ERROR', 'group_id is required')
    await expectError(add({ group_id: 'abc', file: txt('sk-aaaaaaaaaaaaaaaa') }), 400, 'VALIDATION_ERROR', 'group_id must be')
    await expectError(add({ group_id: '0', file: txt('sk-aaaaaaaaaaaaaaaa') }), 400, 'VALIDATION_ERROR', 'group_id')
    await expectError(add({ group_id: '999999', file: txt('sk-aaaaaaaaaaaaaaaa') }), 404, 'NOT_FOUND', 'group 999999 not found')
    await expectError(add({ group_id: String(g.id), file: new File([new Uint8Array([0xff, 0xfe, 0x00, 0x41])], 'keys.txt') }), 400, 'VALIDATION_ERROR', 'not UTF-8')
    expect(await app.deps.store.groupKeys(g.id)).toEqual([])
    expect((await data<TaskStatus>(app.api('/api/tasks/status'))).task_type).toBe('')
  })

  test('an upload over the bound is refused with 413 before it is parsed', async () => {
    await using app = await createTestApp()
    const g = await makeGroup(app)
    const big = new File([new Uint8Array(MAX_KEY_FILE_BYTES + 128 * 1024).fill(0x61)], 'keys.txt')
    await expectError(app.api('/api/keys/add-async', upload({ group_id: String(g.id), file: big })), 413, 'PAYLOAD_TOO_LARGE', 'larger than 64 MiB')
    expect(await app.deps.store.groupKeys(g.id)).toEqual([])
  })
})

describe('add-async upload in the OpenAPI document', () => {
  test('the route lists the JSON body and the multipart form', async () => {
    await using app = await createTestApp()
    const doc = await (await app.api('/api/openapi.json')).json()
    const content = doc.paths['/api/keys/add-async'].post.requestBody.content
    expect(Object.keys(content).sort()).toEqual(['application/json', 'multipart/form-data'])
    expect(content['multipart/form-data'].schema.required).toEqual(['group_id', 'file'])
  })
})
