/**
 * `keypool migrate-keys`: re-encrypts every stored key for a new ENCRYPTION_KEY (enable or rotate encryption at
 * rest) or for none (disable it). Keys are read through the store opened with the current key, re-sealed with the
 * target cipher (same per-install salt), written back in one transaction, then read again with the target key to
 * prove nothing was lost. Every node must be stopped first: a running node would keep writing with the old key.
 */
import { createKeyCipher, isEncrypted } from '../../db/cipher'
import { CIPHER_CHECK_META_KEY, openStore, SALT_META_KEY, type OpenedStore, type OpenStoreOptions } from '../../db/open'
import type { KeyCipher, Store, StoredKeyRewrite } from '../../db/types'
import { SECRET_SETTINGS } from '../config/settings'

export interface MigrateResult {
  keys: number
  groups: number
}

export class MigrationError extends Error {}

/** id -> plain value of every key of every group, read through the store's current cipher. */
async function readAllKeys(store: Store): Promise<{ plain: Map<number, { value: string; hash: string }>; groups: number }> {
  const plain = new Map<number, { value: string; hash: string }>()
  const groups = await store.listGroups()
  for (const group of groups) {
    for (const key of await store.groupKeys(group.id)) {
      // A sealed value coming back unchanged means the store was opened without the key it was sealed with.
      if (isEncrypted(key.key_value)) {
        throw new MigrationError('the stored keys are encrypted: set ENCRYPTION_KEY to the key they were encrypted with')
      }
      plain.set(key.id, { value: key.key_value, hash: key.key_hash })
    }
  }
  return { plain, groups: groups.length }
}

/**
 * `opts.encryptionKey` is the current key (undefined = keys stored in plain text); `targetKey` the new one
 * (null = store them in plain text).
 */
export async function migrateKeys(opts: OpenStoreOptions, targetKey: string | null): Promise<MigrateResult> {
  if ((opts.encryptionKey ?? '') === (targetKey ?? '')) {
    throw new MigrationError(
      targetKey === null ? 'encryption is already off (ENCRYPTION_KEY is unset)' : '--to-key equals ENCRYPTION_KEY',
    )
  }
  const store = await openStore(opts)
  let before: Awaited<ReturnType<typeof readAllKeys>>
  try {
    const salt = await store.getMeta(SALT_META_KEY)
    if (salt === null) throw new MigrationError(`the store has no ${SALT_META_KEY}`)
    before = await readAllKeys(store)
    const target = createKeyCipher(targetKey ?? undefined, salt)
    const rows: StoredKeyRewrite[] = []
    for (const [id, { value, hash }] of before.plain) {
      rows.push({ id, key_value: target.encrypt(value), key_hash: target.hash(value), old_key_hash: hash })
    }
    const settings = await resealSecretSettings(store, target)
    // Dropping the cipher check lets the next open (the verification below) record the new key's.
    await store.rewriteKeys(rows, { [CIPHER_CHECK_META_KEY]: null })
    // After the keys: a failure between the two leaves proxy_keys under the old key, readable by nothing new, and
    // the admin re-enters them; the keys themselves are never lost.
    if (Object.keys(settings).length > 0) await store.putSettings(settings)
  } finally {
    await store.close()
  }
  await verify(await openStore({ ...opts, encryptionKey: targetKey ?? undefined }), before.plain)
  return { keys: before.plain.size, groups: before.groups }
}

/** The secret settings (proxy_keys) sealed for the target cipher. */
async function resealSecretSettings(store: OpenedStore, target: KeyCipher): Promise<Record<string, string>> {
  const stored = await store.getSettings()
  const out: Record<string, string> = {}
  for (const key of SECRET_SETTINGS) {
    if (stored[key] === undefined) continue
    const plain = store.cipher.decrypt(stored[key])
    if (isEncrypted(plain)) throw new MigrationError(`${key} is encrypted: set ENCRYPTION_KEY to the key it was encrypted with`)
    out[key] = target.encrypt(plain)
  }
  return out
}

/** Re-opens with the target key and checks every key reads back as the same plain value. */
async function verify(store: Store, expected: Map<number, { value: string }>): Promise<void> {
  try {
    const after = await readAllKeys(store)
    for (const [id, { value }] of expected) {
      if (after.plain.get(id)?.value !== value) {
        throw new MigrationError(`key id ${id} does not read back after the rewrite; restore the database backup`)
      }
    }
  } finally {
    await store.close()
  }
}
