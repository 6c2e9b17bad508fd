import { afterAll, describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { identityCipher } from '../../db/cipher'
import { openSqliteStore } from '../../db/sqlite-store'
import { storeSuite } from './store.suite'

const dir = mkdtempSync(join(tmpdir(), 'keypool-sqlite-'))
let n = 0
afterAll(() => rmSync(dir, { recursive: true, force: true }))

storeSuite('sqlite :memory:', (cipher) => openSqliteStore(':memory:', cipher))
storeSuite('sqlite file', (cipher) => openSqliteStore(join(dir, `s${n++}`, 'keypool.db'), cipher))

describe('sqlite file store', () => {
  test('creates the parent directory and puts the file in WAL mode', async () => {
    const path = join(dir, 'nested', 'deeper', 'k.db')
    const store = await openSqliteStore(path, identityCipher)
    await store.close()
    const db = new Database(path)
    // journal_mode=WAL persists in the file, so a fresh connection sees it
    expect(db.query<{ journal_mode: string }, []>('PRAGMA journal_mode').get()?.journal_mode).toBe('wal')
    db.close()
  })

  test('data survives close and reopen', async () => {
    const path = join(dir, 'reopen.db')
    const a = await openSqliteStore(path, identityCipher)
    await a.setMeta('x', '1')
    await a.close()
    const b = await openSqliteStore(path, identityCipher)
    expect(await b.getMeta('x')).toBe('1')
    expect(b.dialect).toBe('sqlite')
    await b.close()
  })
})
