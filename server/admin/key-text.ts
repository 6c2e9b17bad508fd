/** Hashing a key the way the store does (for dedup lookups and search). Key lists are read by shared/key-list.ts. */
import { identityCipher } from '../../db/cipher'
import type { OpenedStore } from '../../db/open'
import type { Store } from '../../db/types'

/** The store's key hash (HMAC when ENCRYPTION_KEY is set). A store opened by `openStore` carries its cipher. */
export function hashKey(store: Store, plain: string): string {
  const cipher = (store as Partial<OpenedStore>).cipher ?? identityCipher
  return cipher.hash(plain)
}
