/**
 * Access-key secrets: `kp-` + 40 random base62 characters, shown once. Only HMAC-SHA256 of a secret is stored, under
 * a per-install secret kept in the store's meta table (so every node of a cluster hashes alike), sealed with the
 * key cipher when ENCRYPTION_KEY is set. The install secret is never shown.
 */
import { createHmac, randomBytes } from 'node:crypto'
import type { BackendStore } from '../../db/backend'
import type { KeyCipher } from '../../db/types'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
export const SECRET_PREFIX = 'kp-'
export const SECRET_LENGTH = SECRET_PREFIX.length + 40
/** characters of the secret kept for display */
export const DISPLAY_PREFIX_LENGTH = 8
export const HMAC_META_KEY = 'access_key_hmac_secret'

export function newAccessKeySecret(): string {
  let out = SECRET_PREFIX
  while (out.length < SECRET_LENGTH) {
    for (const b of randomBytes(64)) {
      // 248 = 4 × 62: bytes above it are dropped so every character is equally likely
      if (b < 248 && out.length < SECRET_LENGTH) out += BASE62[b % 62]
    }
  }
  return out
}

/** Could this be an access key at all: proxy keys of any other shape skip the HMAC. */
export function looksLikeAccessKey(key: string): boolean {
  return key.length === SECRET_LENGTH && key.startsWith(SECRET_PREFIX)
}

export class AccessKeyHasher {
  readonly #secret: Buffer
  constructor(secret: string) {
    this.#secret = Buffer.from(secret, 'hex')
  }
  hash(key: string): string {
    return createHmac('sha256', this.#secret).update(key).digest('hex')
  }
  // JSON.stringify (Elysia hashes plugin seeds with it) must not reveal the secret
  toJSON(): string {
    return 'AccessKeyHasher'
  }
}

/** The install's HMAC secret: created by the first node that asks, the same for every node after. */
export async function loadAccessKeyHasher(store: Pick<BackendStore, 'initMeta'>, cipher: KeyCipher): Promise<AccessKeyHasher> {
  const stored = await store.initMeta(HMAC_META_KEY, cipher.encrypt(randomBytes(32).toString('hex')))
  return new AccessKeyHasher(cipher.decrypt(stored))
}
