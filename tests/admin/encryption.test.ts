import { describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { join } from 'node:path'
import type { KeyView, PagedOf } from '../../server/admin/schemas'
import { createTestApp, data, json, makeGroup } from './support'

describe('keys at rest with ENCRYPTION_KEY', () => {
  test('stored sealed, found by full value (HMAC), deduplicated, revealed in plain text', async () => {
    const env = { ENCRYPTION_KEY: 'an-encryption-key-of-good-length', DATABASE_DSN: '' }
    await using app = await createTestApp({ env })
    const g = await makeGroup(app)
    const key = 'sk-secret-abcdefghijklmnop'
    expect(await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: `${key} ${key}` })))).toEqual({ added_count: 1, ignored_count: 1, total_in_group: 1 })
    expect(await data(app.api('/api/keys/add-multiple', json('POST', { group_id: g.id, keys_text: key })))).toEqual({ added_count: 0, ignored_count: 1, total_in_group: 1 })
    const found = await data<PagedOf<KeyView>>(app.api(`/api/keys?key_value=${key}`))
    expect(found.items.map((k) => k.key_value)).toEqual(['sk-se…mnop'])
    expect(await data(app.api(`/api/keys/${found.items[0]!.id}/reveal`))).toEqual({ id: found.items[0]!.id, key_value: key })
    const db = new Database(join(app.dataDir, 'keypool.db'), { readonly: true })
    try {
      const raw = db.query('SELECT key_value, key_hash FROM api_keys').get() as { key_value: string; key_hash: string }
      expect(raw.key_value.startsWith('enc:v1:')).toBe(true)
      expect(raw.key_value).not.toContain(key)
      expect(raw.key_hash).toMatch(/^[0-9a-f]{64}$/)
      expect(raw.key_hash).not.toBe(new Bun.CryptoHasher('sha256').update(key).digest('hex'))
    } finally {
      db.close()
    }
  })
})
