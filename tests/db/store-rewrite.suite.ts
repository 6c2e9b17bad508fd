// Store.rewriteKeys (the `keypool migrate-keys` write) for a Store backend (part of storeSuite).
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { BackendStore } from '../../db/backend'
import type { KeyCipher } from '../../db/types'
import { logRow, newGroup } from './fixtures'

/** Seals as `E:` + plain: a value the store wrongly sealed again would read back with an extra `E:`. */
const markingCipher: KeyCipher = {
  encrypt: (p) => `E:${p}`,
  decrypt: (stored) => (stored.startsWith('E:') ? stored.slice(2) : stored),
  hash: (p) => `h(${p})`,
}

export function rewriteSuite(label: string, open: (cipher: KeyCipher) => Promise<BackendStore>): void {
  describe(`${label}: rewriteKeys`, () => {
    let store: BackendStore
    beforeEach(async () => {
      store = await open(markingCipher)
    })
    afterEach(async () => {
      await store.close()
    })

    test('writes values and hashes verbatim, moves log hashes, sets and deletes meta in one call', async () => {
      const g = await store.createGroup(newGroup('rw'))
      const other = await store.createGroup(newGroup('rw2'))
      await store.addKeys(g.id, ['a', 'b', 'c'])
      await store.addKeys(other.id, ['a'])
      const [a, b, c] = await store.groupKeys(g.id)
      const [a2] = await store.groupKeys(other.id)
      await store.insertLogs([logRow({ key_hash: 'h(a)' }), logRow({ key_hash: 'h(b)' }), logRow({ key_hash: 'h(z)' })])
      await store.setMeta('drop_me', 'x')
      await store.setMeta('keep_me', 'y')

      await store.rewriteKeys(
        [
          { id: a!.id, key_value: 'E:A', key_hash: 'H(a)', old_key_hash: 'h(a)' },
          { id: a2!.id, key_value: 'E:A', key_hash: 'H(a)', old_key_hash: 'h(a)' },
          { id: b!.id, key_value: 'E:B', key_hash: 'H(b)', old_key_hash: 'h(b)' },
        ],
        { drop_me: null, set_me: 'new', absent: null },
      )

      const keys = await store.groupKeys(g.id)
      expect(keys.map((k) => [k.key_value, k.key_hash])).toEqual([['A', 'H(a)'], ['B', 'H(b)'], ['c', 'h(c)']])
      expect(keys[2]).toEqual(c!)
      expect((await store.groupKeys(other.id)).map((k) => [k.key_value, k.key_hash])).toEqual([['A', 'H(a)']])
      const logs = await store.queryLogs({ page: 1, page_size: 10 })
      expect(logs.items.map((l) => l.key_hash).sort()).toEqual(['H(a)', 'H(b)', 'h(z)'])
      expect([await store.getMeta('drop_me'), await store.getMeta('keep_me'), await store.getMeta('set_me')])
        .toEqual([null, 'y', 'new'])
      // the rewritten hash is what dedup now matches against
      expect(await store.addKeys(g.id, ['a'])).toEqual({ added_count: 1, ignored_count: 0, total_in_group: 4 })
    })

    test('all or nothing: a failing row leaves keys, logs and meta as they were', async () => {
      const g = await store.createGroup(newGroup('atomic'))
      await store.addKeys(g.id, ['a', 'b'])
      const [a, b] = await store.groupKeys(g.id)
      await store.insertLogs([logRow({ key_hash: 'h(a)' })])
      await store.setMeta('m', 'before')
      // b taking a's new hash breaks the unique (group_id, key_hash) index after a's row was written
      await expect(
        store.rewriteKeys(
          [
            { id: a!.id, key_value: 'E:A', key_hash: 'H', old_key_hash: 'h(a)' },
            { id: b!.id, key_value: 'E:B', key_hash: 'H', old_key_hash: 'h(b)' },
          ],
          { m: null },
        ),
      ).rejects.toThrow()
      expect(await store.groupKeys(g.id)).toEqual([a!, b!])
      expect((await store.queryLogs({ page: 1, page_size: 10 })).items.map((l) => l.key_hash)).toEqual(['h(a)'])
      expect(await store.getMeta('m')).toBe('before')
    })

    test('no rows and no meta is a no-op', async () => {
      await store.rewriteKeys([], {})
      expect(await store.getMeta('anything')).toBeNull()
    })
  })
}
