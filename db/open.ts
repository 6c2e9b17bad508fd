/**
 * Opens the configured store: a `postgres://` / `postgresql://` DSN selects PostgreSQL, anything else is a SQLite
 * file path (relative to the cwd). The encryption salt lives in the store itself (`meta.encryption_salt`), so the
 * store opens with a switchable cipher that becomes the real one once the salt is read or created.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { createKeyCipher, newSalt, SwitchableCipher } from './cipher'
import { openSqliteStore } from './sqlite-store'
import type { BackendStore } from './backend'
import type { KeyCipher, Store } from './types'

export interface OpenStoreOptions {
  /** DATABASE_DSN */
  dsn: string
  /** DATA_DIR; the default SQLite file goes here when dsn is empty */
  dataDir: string
  encryptionKey?: string
  /** PostgreSQL schema (tests isolate themselves with one) */
  pgSchema?: string
}

/** The store plus the cipher it uses: callers hash a searched key with `cipher.hash` to match `key_hash`. */
export type OpenedStore = BackendStore & { readonly cipher: KeyCipher }

export const SALT_META_KEY = 'encryption_salt'
/** hash of a fixed text under the cipher the keys were written with: detects a changed ENCRYPTION_KEY */
export const CIPHER_CHECK_META_KEY = 'key_cipher_check'
const CHECK_TEXT = 'keypool-cipher-check'

export function isPostgresDsn(dsn: string): boolean {
  return /^postgres(ql)?:\/\//i.test(dsn.trim())
}

export function sqlitePath(dsn: string, dataDir: string): string {
  const trimmed = dsn.trim()
  if (trimmed === '') return resolve(dataDir, 'keypool.db')
  if (trimmed === ':memory:' || trimmed.startsWith('file:') || isAbsolute(trimmed)) return trimmed
  return resolve(process.cwd(), trimmed)
}

/**
 * The database holds secrets (AUTH_KEY as proxy_keys; every pool key without ENCRYPTION_KEY): a file keypool creates
 * is 0600 in a 0700 directory. SQLite gives its -wal and -shm files the database file's mode. Existing files and
 * directories keep the mode their owner gave them.
 */
export function createPrivately(path: string): string {
  if (path === ':memory:' || path.startsWith('file:')) return path
  ensurePrivateDir(dirname(path))
  if (!existsSync(path)) {
    closeSync(openSync(path, 'a', 0o600))
    chmodSync(path, 0o600) // whatever the umask
  }
  return path
}

/** mkdir -p with mode 0700 for the directories it creates. */
export function ensurePrivateDir(dir: string): void {
  if (existsSync(dir)) return
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
}

export async function openStore(opts: OpenStoreOptions): Promise<OpenedStore> {
  const cipher = new SwitchableCipher()
  const store = isPostgresDsn(opts.dsn)
    ? // loaded only when used: the PostgreSQL driver and its drizzle dialect cost a single SQLite node memory
      await (await import('./pg-store')).openPgStore(opts.dsn.trim(), cipher, { schema: opts.pgSchema })
    : await openSqliteStore(createPrivately(sqlitePath(opts.dsn, opts.dataDir)), cipher)
  try {
    // insert-if-absent: nodes of a cluster starting together all end up with the first one's salt
    const salt = await store.initMeta(SALT_META_KEY, newSalt())
    cipher.use(createKeyCipher(opts.encryptionKey, salt))
    await checkCipher(store, cipher)
  } catch (err) {
    await store.close()
    throw err
  }
  return Object.assign(store, { cipher })
}

/**
 * Keys written under one ENCRYPTION_KEY (or none) cannot be read or deduplicated under another: refuse to start
 * rather than hand ciphertext to upstreams or duplicate every key. An empty key table may switch freely.
 */
async function checkCipher(store: Store, cipher: KeyCipher): Promise<void> {
  const expected = cipher.hash(CHECK_TEXT)
  const stored = await store.getMeta(CIPHER_CHECK_META_KEY)
  if (stored === expected) return
  if (stored !== null) {
    const counts = await store.countKeysByStatus()
    if (Object.values(counts).some((n) => n > 0)) {
      throw new Error(
        'ENCRYPTION_KEY: differs from the one the stored keys were written with (set it back, or clear the keys)',
      )
    }
  }
  await store.setMeta(CIPHER_CHECK_META_KEY, expected)
}
