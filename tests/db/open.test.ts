import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { isPostgresDsn, openStore, SALT_META_KEY, sqlitePath } from '../../db/open'
import { newGroup } from './fixtures'
import { dropSchemas, PG_URL, pgReachable, uniqueSchema } from './pg-env'

const dir = mkdtempSync(join(tmpdir(), 'keypool-open-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('DSN selection', () => {
  test('postgres:// and postgresql:// select PostgreSQL; anything else is a SQLite path', () => {
    expect(['postgres://u@h/db', 'postgresql://h/db', ' POSTGRES://h/db', './data/k.db', ''].map(isPostgresDsn))
      .toEqual([true, true, true, false, false])
  })

  test('relative paths resolve against the cwd; an empty DSN uses the data dir', () => {
    expect(sqlitePath('data/k.db', '/x')).toBe(resolve(process.cwd(), 'data/k.db'))
    expect(sqlitePath('/abs/k.db', '/x')).toBe('/abs/k.db')
    expect(sqlitePath(':memory:', '/x')).toBe(':memory:')
    expect(sqlitePath('', '/data')).toBe('/data/keypool.db')
  })
})

describe('openStore on SQLite', () => {
  test('creates the salt once and keeps it', async () => {
    const dsn = join(dir, 'salt.db')
    const a = await openStore({ dsn, dataDir: dir })
    const salt = await a.getMeta(SALT_META_KEY)
    await a.close()
    const b = await openStore({ dsn, dataDir: dir })
    expect(salt).toMatch(/^[0-9a-f]{32}$/)
    expect(await b.getMeta(SALT_META_KEY)).toBe(salt!)
    expect(b.dialect).toBe('sqlite')
    await b.close()
  })

  test('encrypted keys read back after reopening with the same ENCRYPTION_KEY; search by cipher.hash', async () => {
    const dsn = join(dir, 'enc.db')
    const a = await openStore({ dsn, dataDir: dir, encryptionKey: 'k1' })
    const g = await a.createGroup(newGroup('g'))
    await a.addKeys(g.id, ['sk-live-123'])
    await a.close()
    const b = await openStore({ dsn, dataDir: dir, encryptionKey: 'k1' })
    const found = await b.listKeys({ key_hash: b.cipher.hash('sk-live-123'), page: 1, page_size: 10 })
    expect(found.items.map((k) => k.key_value)).toEqual(['sk-live-123'])
    expect((await b.addKeys(g.id, ['sk-live-123'])).added_count).toBe(0)
    await b.close()
  })

  test('a different ENCRYPTION_KEY (or none) over stored keys stops the open, naming ENCRYPTION_KEY', async () => {
    const dsn = join(dir, 'switch.db')
    const a = await openStore({ dsn, dataDir: dir, encryptionKey: 'k1' })
    await a.addKeys((await a.createGroup(newGroup('g'))).id, ['sk-1'])
    await a.close()
    await expect(openStore({ dsn, dataDir: dir, encryptionKey: 'k2' })).rejects.toThrow('ENCRYPTION_KEY')
    await expect(openStore({ dsn, dataDir: dir })).rejects.toThrow('ENCRYPTION_KEY')
  })

  test('with no keys stored, ENCRYPTION_KEY may be turned on', async () => {
    const dsn = join(dir, 'empty.db')
    await (await openStore({ dsn, dataDir: dir })).close()
    const b = await openStore({ dsn, dataDir: dir, encryptionKey: 'k1' })
    expect(b.cipher.encrypt('x')).toStartWith('enc:v1:')
    await b.close()
  })
})

describe('openStore on PostgreSQL', async () => {
  const reachable = await pgReachable()
  afterAll(dropSchemas)

  test.skipIf(!reachable)('a postgres DSN opens PostgreSQL in the given schema', async () => {
    const store = await openStore({ dsn: PG_URL, dataDir: dir, encryptionKey: 'k', pgSchema: uniqueSchema() })
    try {
      expect(store.dialect).toBe('postgres')
      expect(await store.getMeta(SALT_META_KEY)).toMatch(/^[0-9a-f]{32}$/)
    } finally {
      await store.close()
    }
  })

  test('a wrong postgres DSN names DATABASE_DSN', async () => {
    await expect(openStore({ dsn: 'postgresql://u:pw@127.0.0.1:1/x', dataDir: dir })).rejects.toThrow(
      'DATABASE_DSN: cannot connect to postgresql://u:***@127.0.0.1:1/x',
    )
  })
})
