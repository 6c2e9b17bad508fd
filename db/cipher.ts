/**
 * Key encryption at rest. Without ENCRYPTION_KEY values are stored as given and hashed with plain SHA-256 (the
 * hash is what dedup and search use). With it, values are AES-256-GCM sealed as `enc:v1:<base64 iv|tag|ct>` and
 * hashed with HMAC-SHA256, both keys derived from ENCRYPTION_KEY and the per-install salt.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, scryptSync } from 'node:crypto'
import type { KeyCipher } from './types'

const PREFIX = 'enc:v1:'
const IV_BYTES = 12 // the GCM standard nonce size (NIST SP 800-38D)
const TAG_BYTES = 16

export const identityCipher: KeyCipher = {
  encrypt: (plain) => plain,
  decrypt: (stored) => stored,
  hash: (plain) => createHash('sha256').update(plain).digest('hex'),
}

export function isEncrypted(stored: string): boolean {
  return stored.startsWith(PREFIX)
}

export function createKeyCipher(encryptionKey: string | undefined, salt: string): KeyCipher {
  if (encryptionKey === undefined || encryptionKey === '') return identityCipher
  // One slow derivation at start; two independent 32-byte keys so the hash never reuses the encryption key.
  const derived = scryptSync(encryptionKey, `keypool:${salt}`, 64, { N: 2 ** 14, r: 8, p: 1 })
  const aesKey = derived.subarray(0, 32)
  const hmacKey = derived.subarray(32, 64)

  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES)
      const c = createCipheriv('aes-256-gcm', aesKey, iv)
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')
    },
    decrypt(stored) {
      // Rows written before encryption was enabled stay readable.
      if (!isEncrypted(stored)) return stored
      const raw = Buffer.from(stored.slice(PREFIX.length), 'base64')
      try {
        const d = createDecipheriv('aes-256-gcm', aesKey, raw.subarray(0, IV_BYTES))
        d.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
        return Buffer.concat([d.update(raw.subarray(IV_BYTES + TAG_BYTES)), d.final()]).toString('utf8')
      } catch {
        throw new Error('ENCRYPTION_KEY: cannot decrypt a stored key (was the database encrypted with another key?)')
      }
    },
    hash: (plain) => createHmac('sha256', hmacKey).update(plain).digest('hex'),
  }
}

/** A cipher whose implementation can be swapped once the salt is known (openStore reads it from the store). */
export class SwitchableCipher implements KeyCipher {
  constructor(private inner: KeyCipher = identityCipher) {}
  use(inner: KeyCipher): void {
    this.inner = inner
  }
  encrypt(plain: string): string {
    return this.inner.encrypt(plain)
  }
  decrypt(stored: string): string {
    return this.inner.decrypt(stored)
  }
  hash(plain: string): string {
    return this.inner.hash(plain)
  }
}

export function newSalt(): string {
  return randomBytes(16).toString('hex')
}
