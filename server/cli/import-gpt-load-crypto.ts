/**
 * How GPT-Load 1.x stores upstream keys, for `keypool import gpt-load`. With its ENCRYPTION_KEY set, a key is
 * AES-256-GCM sealed and written as hex(nonce || ciphertext || tag) under a key derived with PBKDF2-SHA256
 * (100,000 rounds, a fixed salt), and `key_hash` is the hex HMAC-SHA256 of the plain key under that same derived
 * key. Without ENCRYPTION_KEY the value is the plain key and `key_hash` its hex SHA-256.
 */
import { createDecipheriv, createHash, createHmac, pbkdf2Sync } from 'node:crypto'

const SALT = 'gpt-load-encryption-v1'
const ROUNDS = 100_000
const NONCE_BYTES = 12 // Go's cipher.NewGCM standard nonce
const TAG_BYTES = 16

export interface GptLoadKeyReader {
  /** true when an encryption key was given */
  readonly encrypted: boolean
  /** The plain key of a stored value, or null when it cannot be read (wrong key, or sealed and no key given). */
  reveal(stored: string, storedHash: string | null): string | null
}

export function gptLoadKeyReader(encryptionKey: string | undefined): GptLoadKeyReader {
  const aesKey = encryptionKey ? pbkdf2Sync(encryptionKey, SALT, ROUNDS, 32, 'sha256') : null
  const sha256 = (plain: string) => createHash('sha256').update(plain).digest('hex')

  function open(stored: string): string | null {
    if (!aesKey || !/^[0-9a-f]+$/i.test(stored) || stored.length % 2 !== 0) return null
    const raw = Buffer.from(stored, 'hex')
    if (raw.length < NONCE_BYTES + TAG_BYTES) return null
    try {
      const d = createDecipheriv('aes-256-gcm', aesKey, raw.subarray(0, NONCE_BYTES))
      d.setAuthTag(raw.subarray(raw.length - TAG_BYTES))
      return Buffer.concat([d.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), d.final()]).toString('utf8')
    } catch {
      return null
    }
  }

  return {
    encrypted: aesKey !== null,
    reveal(stored, storedHash) {
      const opened = open(stored)
      if (opened !== null) return opened
      // A value stored before encryption was turned on (or with encryption off) is the key itself: its hash says so.
      const hash = storedHash?.trim() ?? ''
      if (hash === '') return aesKey ? null : stored
      if (hash === sha256(stored)) return stored
      if (aesKey && hash === createHmac('sha256', aesKey).update(stored).digest('hex')) return stored
      return null
    },
  }
}
