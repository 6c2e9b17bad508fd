/**
 * The files keypool creates hold secrets (AUTH_KEY as proxy_keys; every pool key without ENCRYPTION_KEY): 0600 in a
 * 0700 directory, the SQLite -wal and -shm files too. Files and directories that already exist keep their mode.
 */
import { afterAll, expect, test } from 'bun:test'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../db/open'
import { resolveAuthKey } from '../../server/config/auth-key'
import { newGroup } from './fixtures'

const root = mkdtempSync(join(tmpdir(), 'keypool-modes-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const mode = (p: string) => statSync(p).mode & 0o777

test('a new data dir, database, -wal, -shm and generated auth_key are private', async () => {
  const dataDir = join(root, 'fresh', 'data')
  const key = resolveAuthKey(undefined, dataDir)
  expect(key.length).toBeGreaterThanOrEqual(32)
  const store = await openStore({ dsn: '', dataDir })
  try {
    await store.createGroup(newGroup('g'))
    const db = join(dataDir, 'keypool.db')
    expect(existsSync(`${db}-wal`) && existsSync(`${db}-shm`)).toBe(true)
    expect({
      dir: mode(dataDir),
      parent: mode(join(root, 'fresh')),
      db: mode(db),
      wal: mode(`${db}-wal`),
      shm: mode(`${db}-shm`),
      authKey: mode(join(dataDir, 'auth_key')),
    }).toEqual({ dir: 0o700, parent: 0o700, db: 0o600, wal: 0o600, shm: 0o600, authKey: 0o600 })
  } finally {
    await store.close()
  }
})

test('a database path in its own new directory (DATABASE_DSN) is private too', async () => {
  const path = join(root, 'dsn-dir', 'sub', 'k.db')
  const store = await openStore({ dsn: path, dataDir: join(root, 'unused') })
  await store.close()
  expect({ dir: mode(join(root, 'dsn-dir', 'sub')), db: mode(path) }).toEqual({ dir: 0o700, db: 0o600 })
})

test('an existing directory and database keep the modes their owner gave them', async () => {
  const dataDir = join(root, 'existing')
  mkdirSync(dataDir)
  chmodSync(dataDir, 0o750)
  const path = join(dataDir, 'keypool.db')
  writeFileSync(path, '')
  chmodSync(path, 0o640)
  const store = await openStore({ dsn: '', dataDir })
  await store.close()
  expect({ dir: mode(dataDir), db: mode(path) }).toEqual({ dir: 0o750, db: 0o640 })
})
