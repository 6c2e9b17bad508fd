/** Reading pasted keys, and hashing a key the way the store does (for dedup lookups and search). */
import { identityCipher } from '../../db/cipher'
import type { OpenedStore } from '../../db/open'
import type { Store } from '../../db/types'
import { validationError } from '../shared/errors'

/** Keys from a paste: a JSON array of strings, or values split on whitespace, commas or semicolons. */
export function parseKeysText(text: string): string[] {
  const trimmed = text.trim()
  if (trimmed.startsWith('[')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(trimmed)
    } catch {
      throw validationError('keys_text looks like a JSON array but is not valid JSON')
    }
    if (!Array.isArray(parsed) || parsed.some((k) => typeof k !== 'string'))
      throw validationError('keys_text: a JSON array must hold only strings')
    return (parsed as string[]).map((k) => k.trim()).filter((k) => k !== '')
  }
  return trimmed.split(/[\s,;]+/).filter((k) => k !== '')
}

/** The store's key hash (HMAC when ENCRYPTION_KEY is set). A store opened by `openStore` carries its cipher. */
export function hashKey(store: Store, plain: string): string {
  const cipher = (store as Partial<OpenedStore>).cipher ?? identityCipher
  return cipher.hash(plain)
}

/** Longest key accepted: real keys are far shorter; the bound stops a pasted document from becoming one "key". */
export const MAX_KEY_LENGTH = 4096
// Visible ASCII only: a key is sent in an HTTP header, where anything else makes every request with it fail.
const SENDABLE_KEY = /^[\x21-\x7e]+$/

/** Refuses keys that could never be sent upstream, naming their position (never their value: it is a secret). */
export function requireSendableKeys(keys: string[]): string[] {
  keys.forEach((k, i) => {
    if (k.length > MAX_KEY_LENGTH) throw validationError(`keys_text: key ${i + 1} is longer than ${MAX_KEY_LENGTH} characters`)
    if (!SENDABLE_KEY.test(k))
      throw validationError(`keys_text: key ${i + 1} has a character that cannot be sent in an HTTP header (only visible ASCII)`)
  })
  return keys
}
