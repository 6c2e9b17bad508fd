import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type OpenStoreOptions } from '../../db/open'
import { migrateKeys, MigrationError } from '../../server/cli/migrate-keys'
import { logRow, newGroup } from '../db/fixtures'

const KEY_A = 'first-encryption-key-0123456789'
const KEY_B = 'second-encryption-key-9876543210'
const PLAIN = ['sk-alpha-0000000000000000001', 'sk-bravo-0000000000000000002', 'sk-charlie-00000000000000003']

let dir = ''
let base: OpenStoreOptions
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keypool-migrate-'))
  base = { dsn: '', dataDir: dir }
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** Creates two groups holding PLAIN, stored with the given encryption key. */
async function seed(encryptionKey?: string): Promise<void> {
  const store = await openStore({ ...base, encryptionKey })
  const g1 = await store.createGroup(newGroup('one'))
  const g2 = await store.createGroup(newGroup('two'))
  await store.addKeys(g1.id, PLAIN.slice(0, 2))
  await store.addKeys(g2.id, PLAIN.slice(2))
  await store.close()
}

/** The raw key_value column, as written to disk. */
function storedValues(): string[] {
  const db = new Database(join(dir, 'keypool.db'), { readonly: true })
  try {
    return db.query<{ key_value: string }, []>('SELECT key_value FROM api_keys ORDER BY id').all().map((r) => r.key_value)
  } finally {
    db.close()
  }
}

async function plainValues(encryptionKey?: string): Promise<string[]> {
  const store = await openStore({ ...base, encryptionKey })
  try {
    const groups = await store.listGroups()
    const keys = (await Promise.all(groups.map((g) => store.groupKeys(g.id)))).flat()
    return keys.sort((a, b) => a.id - b.id).map((k) => k.key_value)
  } finally {
    await store.close()
  }
}

describe('migrate-keys', () => {
  test('enables encryption: values sealed on disk, readable with the new key, dedup hash follows', async () => {
    await seed()
    expect(storedValues()).toEqual(PLAIN)
    expect(await migrateKeys(base, KEY_A)).toEqual({ keys: 3, groups: 2 })
    expect(storedValues().every((v) => v.startsWith('enc:v1:'))).toBe(true)
    expect(await plainValues(KEY_A)).toEqual(PLAIN)
    // The hash moved to the HMAC of the new key, so re-adding a key is still recognised as a duplicate.
    const store = await openStore({ ...base, encryptionKey: KEY_A })
    const group = (await store.getGroupByName('one'))!
    expect(await store.addKeys(group.id, [PLAIN[0]!])).toEqual({ added_count: 0, ignored_count: 1, total_in_group: 2 })
    await store.close()
  })

  test('request logs keep pointing at their key', async () => {
    await seed()
    const before = await openStore(base)
    const hash = before.cipher.hash(PLAIN[1]!)
    const keyId = (await before.listKeys({ key_hash: hash, page: 1, page_size: 1 })).items[0]!.id
    await before.insertLogs([logRow({ key_id: keyId, key_hash: hash })])
    await before.close()
    await migrateKeys(base, KEY_A)
    const after = await openStore({ ...base, encryptionKey: KEY_A })
    const found = await after.queryLogs({ key_hash: after.cipher.hash(PLAIN[1]!), page: 1, page_size: 10 })
    await after.close()
    expect(found.total).toBe(1)
  })

  test('rotates from one key to another; the old key no longer opens them', async () => {
    await seed(KEY_A)
    await migrateKeys({ ...base, encryptionKey: KEY_A }, KEY_B)
    expect(await plainValues(KEY_B)).toEqual(PLAIN)
    await expect(plainValues(KEY_A)).rejects.toThrow('ENCRYPTION_KEY')
  })

  test('disables encryption: plain text on disk again', async () => {
    await seed(KEY_A)
    await migrateKeys({ ...base, encryptionKey: KEY_A }, null)
    expect(storedValues()).toEqual(PLAIN)
    expect(await plainValues()).toEqual(PLAIN)
  })

  test('refuses to run when the stored keys are sealed and ENCRYPTION_KEY is unset', async () => {
    await seed(KEY_A)
    await expect(migrateKeys(base, KEY_B)).rejects.toThrow('ENCRYPTION_KEY')
    expect(await plainValues(KEY_A)).toEqual(PLAIN)
  })

  test('refuses a no-op', async () => {
    await seed()
    await expect(migrateKeys(base, null)).rejects.toBeInstanceOf(MigrationError)
    await expect(migrateKeys({ ...base, encryptionKey: KEY_A }, KEY_A)).rejects.toThrow(
      '--to-key equals ENCRYPTION_KEY',
    )
  })
})
