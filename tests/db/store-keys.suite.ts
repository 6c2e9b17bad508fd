// Key behaviour of a Store backend (part of storeSuite).
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { createKeyCipher, identityCipher } from '../../db/cipher'
import type { Group, KeyCipher, Store } from '../../db/types'
import { newGroup, recordingCipher } from './fixtures'

export function keySuite(label: string, open: (cipher: KeyCipher) => Promise<Store>): void {
  describe(`${label}: keys`, () => {
    let store: Store
    let g: Group
    let other: Group
    beforeEach(async () => {
      store = await open(identityCipher)
      g = await store.createGroup(newGroup('keys'))
      other = await store.createGroup(newGroup('other'))
    })
    afterEach(async () => {
      await store.close()
    })

    test('addKeys dedupes within the input and against the group; empty strings are not keys', async () => {
      expect(await store.addKeys(g.id, ['a', 'b', 'a', '', '  ', 'c'])).toEqual({
        added_count: 3, ignored_count: 1, total_in_group: 3,
      })
      expect(await store.addKeys(g.id, ['c', 'd'])).toEqual({ added_count: 1, ignored_count: 1, total_in_group: 4 })
      // the same key may live in another group
      expect(await store.addKeys(other.id, ['a'])).toEqual({ added_count: 1, ignored_count: 0, total_in_group: 1 })
      expect(await store.addKeys(g.id, [])).toEqual({ added_count: 0, ignored_count: 0, total_in_group: 4 })
      const keys = await store.groupKeys(g.id)
      expect(keys.map((k) => k.key_value)).toEqual(['a', 'b', 'c', 'd'])
      expect(keys[0]).toEqual({
        id: keys[0]!.id, group_id: g.id, key_value: 'a', key_hash: createHash('sha256').update('a').digest('hex'),
        status: 'active', cooling_until: null, failure_count: 0, request_count: 0, last_used_at: null, notes: '',
        created_at: keys[0]!.created_at, updated_at: keys[0]!.created_at,
      })
    })

    test('addKeys takes 100,000 keys with duplicates in one call', async () => {
      await store.addKeys(g.id, Array.from({ length: 1000 }, (_, i) => `sk-bulk-${i}`))
      // 95,000 distinct keys, 1,000 of them already in the group, plus 5,000 repeats within the input
      const input = Array.from({ length: 100_000 }, (_, i) => `sk-bulk-${i < 95_000 ? i : i - 95_000}`)
      expect(await store.addKeys(g.id, input)).toEqual({
        added_count: 94_000, ignored_count: 6_000, total_in_group: 95_000,
      })
      expect((await store.countKeysByStatus(g.id)).active).toBe(95_000)
      const page = await store.listKeys({ group_id: g.id, page: 950, page_size: 100 })
      expect(page.total).toBe(95_000)
      expect(page.items.length).toBe(100)
    })

    test('listKeys paginates from page 1, filters, orders by id', async () => {
      await store.addKeys(g.id, ['k1', 'k2', 'k3', 'k4', 'k5'])
      await store.addKeys(other.id, ['o1'])
      const all = await store.groupKeys(g.id)
      await store.setKeyStatus([all[1]!.id, all[3]!.id], 'invalid')
      const p1 = await store.listKeys({ group_id: g.id, page: 1, page_size: 2 })
      const p3 = await store.listKeys({ group_id: g.id, page: 3, page_size: 2 })
      expect([p1.total, p1.items.map((k) => k.key_value)]).toEqual([5, ['k1', 'k2']])
      expect([p3.total, p3.items.map((k) => k.key_value)]).toEqual([5, ['k5']])
      const invalid = await store.listKeys({ group_id: g.id, status: 'invalid', page: 1, page_size: 10 })
      expect([invalid.total, invalid.items.map((k) => k.key_value)]).toEqual([2, ['k2', 'k4']])
      const byHash = await store.listKeys({ key_hash: identityCipher.hash('o1'), page: 1, page_size: 10 })
      expect(byHash.items.map((k) => [k.key_value, k.group_id])).toEqual([['o1', other.id]])
      expect((await store.listKeys({ page: 1, page_size: 100 })).total).toBe(6)
    })

    test('getKey finds one key or null', async () => {
      await store.addKeys(g.id, ['solo'])
      const [k] = await store.groupKeys(g.id)
      expect((await store.getKey(k!.id))?.key_value).toBe('solo')
      expect(await store.getKey(k!.id + 1000)).toBeNull()
    })

    test('countKeysByStatus returns all four statuses', async () => {
      expect(await store.countKeysByStatus(g.id)).toEqual({ active: 0, cooling: 0, invalid: 0, disabled: 0 })
      await store.addKeys(g.id, ['a', 'b', 'c', 'd'])
      await store.addKeys(other.id, ['x'])
      const ks = await store.groupKeys(g.id)
      await store.setKeyStatus([ks[0]!.id], 'invalid')
      await store.setKeyStatus([ks[1]!.id], 'disabled')
      expect(await store.countKeysByStatus(g.id)).toEqual({ active: 2, cooling: 0, invalid: 1, disabled: 1 })
      expect(await store.countKeysByStatus()).toEqual({ active: 3, cooling: 0, invalid: 1, disabled: 1 })
    })

    test('applyKeyUpdates writes many updates and adds requests to request_count', async () => {
      await store.applyKeyUpdates([])
      await store.addKeys(g.id, Array.from({ length: 500 }, (_, i) => `u${i}`))
      const ks = await store.groupKeys(g.id)
      await store.applyKeyUpdates(ks.map((k) => ({ id: k.id, requests: 2, last_used_at: 1000 })))
      await store.applyKeyUpdates([
        { id: ks[0]!.id, requests: 3, status: 'cooling', cooling_until: 99_000, failure_count: 2 },
        { id: ks[1]!.id, failure_count: 1 },
      ])
      const [a, b, c] = [await store.getKey(ks[0]!.id), await store.getKey(ks[1]!.id), await store.getKey(ks[2]!.id)]
      expect([a?.status, a?.cooling_until, a?.failure_count, a?.request_count, a?.last_used_at]).toEqual([
        'cooling', 99_000, 2, 5, 1000,
      ])
      expect([b?.status, b?.failure_count, b?.request_count]).toEqual(['active', 1, 2])
      expect([c?.status, c?.failure_count, c?.request_count, c?.last_used_at]).toEqual(['active', 0, 2, 1000])
      await store.applyKeyUpdates([{ id: ks[0]!.id, status: 'active', cooling_until: null }])
      expect((await store.getKey(ks[0]!.id))?.cooling_until).toBeNull()
    })

    test('setKeyStatus counts changed rows; restoring clears failures and cooldown', async () => {
      await store.addKeys(g.id, ['a', 'b'])
      const [a, b] = await store.groupKeys(g.id)
      await store.applyKeyUpdates([{ id: a!.id, status: 'cooling', cooling_until: 5, failure_count: 3 }])
      expect(await store.setKeyStatus([a!.id, b!.id, 99_999], 'invalid')).toBe(2)
      expect((await store.getKey(a!.id))?.cooling_until).toBeNull()
      expect(await store.setKeyStatus([a!.id], 'active')).toBe(1)
      const restored = await store.getKey(a!.id)
      expect([restored?.status, restored?.failure_count]).toEqual(['active', 0])
      expect(await store.setKeyStatus([], 'active')).toBe(0)
    })

    test('setKeyNotes', async () => {
      await store.addKeys(g.id, ['a'])
      const [a] = await store.groupKeys(g.id)
      expect(await store.setKeyNotes(a!.id, 'team A')).toBe(true)
      expect((await store.getKey(a!.id))?.notes).toBe('team A')
      expect(await store.setKeyNotes(a!.id + 1000, 'x')).toBe(false)
    })

    test('deleteKeys only touches the given group; deleteKeysByStatus by status or all', async () => {
      await store.addKeys(g.id, ['a', 'b', 'c', 'd'])
      await store.addKeys(other.id, ['z'])
      const ks = await store.groupKeys(g.id)
      const [z] = await store.groupKeys(other.id)
      expect(await store.deleteKeys(g.id, [ks[0]!.id, z!.id])).toBe(1)
      await store.setKeyStatus([ks[1]!.id, ks[2]!.id], 'invalid')
      expect(await store.deleteKeysByStatus(g.id, 'invalid')).toBe(2)
      expect((await store.groupKeys(g.id)).map((k) => k.key_value)).toEqual(['d'])
      expect(await store.deleteKeysByStatus(g.id, 'all')).toBe(1)
      expect(await store.groupKeys(g.id)).toEqual([])
      expect((await store.groupKeys(other.id)).length).toBe(1)
    })

    test('keysByStatus across groups or in one', async () => {
      await store.addKeys(g.id, ['a', 'b'])
      await store.addKeys(other.id, ['c'])
      const ids = [...(await store.groupKeys(g.id)), ...(await store.groupKeys(other.id))].map((k) => k.id)
      await store.setKeyStatus([ids[0]!, ids[2]!], 'invalid')
      expect((await store.keysByStatus('invalid')).map((k) => k.key_value)).toEqual(['a', 'c'])
      expect((await store.keysByStatus('invalid', other.id)).map((k) => k.key_value)).toEqual(['c'])
    })
  })

  describe(`${label}: keys with ENCRYPTION_KEY`, () => {
    test('the stored column is ciphertext, the store returns plain keys, search by hash works', async () => {
      const cipher = recordingCipher(createKeyCipher('correct horse battery staple', 'salt-1'))
      const store = await open(cipher)
      try {
        const g = await store.createGroup(newGroup('enc'))
        expect(await store.addKeys(g.id, ['sk-secret-1', 'sk-secret-2', 'sk-secret-1'])).toEqual({
          added_count: 2, ignored_count: 1, total_in_group: 2,
        })
        expect((await store.addKeys(g.id, ['sk-secret-2'])).added_count).toBe(0)
        const keys = await store.groupKeys(g.id)
        expect(keys.map((k) => k.key_value)).toEqual(['sk-secret-1', 'sk-secret-2'])
        expect(cipher.seenStored.length).toBeGreaterThanOrEqual(2)
        for (const raw of cipher.seenStored) {
          expect(raw.startsWith('enc:v1:')).toBe(true)
          expect(raw).not.toContain('sk-secret')
        }
        expect(keys[0]!.key_hash).toBe(cipher.hash('sk-secret-1'))
        expect(keys[0]!.key_hash).not.toBe(identityCipher.hash('sk-secret-1'))
        const found = await store.listKeys({ key_hash: cipher.hash('sk-secret-2'), page: 1, page_size: 10 })
        expect(found.items.map((k) => k.key_value)).toEqual(['sk-secret-2'])
      } finally {
        await store.close()
      }
    })
  })
}
