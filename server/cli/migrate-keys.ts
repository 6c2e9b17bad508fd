/**
 * `keypool migrate-keys`: re-encrypts every stored key for a new ENCRYPTION_KEY (enable or rotate encryption at
 * rest) or for none (disable it). Keys are read through the store opened with the current key, re-sealed with the
 * target cipher (same per-install salt), written back in one transaction, then read again with the target key to
 * prove nothing was lost. Every node must be stopped first: a running node would keep writing with the old key.
 */
import { createKeyCipher, isEncrypted } from '../../db/cipher'
import { CIPHER_CHECK_META_KEY, openStore, SALT_META_KEY, type OpenStoreOptions } from '../../db/open'
import type { Store } from '../../db/types'

/** One key's new stored form, already encrypted and hashed by the caller. */
export interface StoredKeyRewrite {
  id: number
  key_value: string
  key_hash: string
  /** the hash before the rewrite, so request_logs.key_hash can follow the key */
  old_key_hash: string
}

/**
 * The Store method this command needs (not yet in db/types.ts). In one transaction: write key_value and key_hash
 * verbatim for each id, replace request_logs.key_hash old_key_hash -> key_hash, and set the given meta values
 * (null deletes the entry).
 */
export interface KeyRewriter {
  rewriteKeys(rows: StoredKeyRewrite[], meta: Record<string, string | null>): Promise<void>
}

export interface MigrateResult {
  keys: number
  groups: number
}

export class MigrationError extends Error {}

function hasRewriter(store: Store): store is Store & KeyRewriter {
  return typeof (store as Partial<KeyRewriter>).rewriteKeys === 'function'
}

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
export async function migrateKeys(
  opts: OpenStoreOptions,
  targetKey: string | null,
  open: (opts: OpenStoreOptions) => Promise<Store> = openStore,
): Promise<MigrateResult> {
  if ((opts.encryptionKey ?? '') === (targetKey ?? '')) {
    throw new MigrationError(
      targetKey === null ? 'encryption is already off (ENCRYPTION_KEY is unset)' : '--to-key equals ENCRYPTION_KEY',
    )
  }
  const store = await open(opts)
  let before: Awaited<ReturnType<typeof readAllKeys>>
  try {
    if (!hasRewriter(store)) throw new MigrationError('this store cannot rewrite keys (Store.rewriteKeys is missing)')
    const salt = await store.getMeta(SALT_META_KEY)
    if (salt === null) throw new MigrationError(`the store has no ${SALT_META_KEY}`)
    before = await readAllKeys(store)
    const target = createKeyCipher(targetKey ?? undefined, salt)
    const rows: StoredKeyRewrite[] = []
    for (const [id, { value, hash }] of before.plain) {
      rows.push({ id, key_value: target.encrypt(value), key_hash: target.hash(value), old_key_hash: hash })
    }
    // Dropping the cipher check lets the next open (the verification below) record the new key's.
    await store.rewriteKeys(rows, { [CIPHER_CHECK_META_KEY]: null })
  } finally {
    await store.close()
  }
  await verify(await open({ ...opts, encryptionKey: targetKey ?? undefined }), before.plain)
  return { keys: before.plain.size, groups: before.groups }
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
