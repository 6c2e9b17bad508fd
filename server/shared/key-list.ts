/**
 * The one reader of key lists, for the admin API's keys_text, `keypool keys import` and quick mode's KEYS_FILE:
 * a JSON array of strings, or values split on whitespace, commas or semicolons. Errors name the input (`label`)
 * and a key's position, never a key's value (it is a secret).
 */
import { validationError } from './errors'

/** Keys in the order given, trimmed, empties dropped; duplicates are left to the store. */
export function parseKeyList(text: string, label: string): string[] {
  const trimmed = text.trim()
  if (trimmed.startsWith('[')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(trimmed)
    } catch {
      throw validationError(`${label} looks like a JSON array but is not valid JSON`)
    }
    if (!Array.isArray(parsed) || parsed.some((k) => typeof k !== 'string'))
      throw validationError(`${label}: a JSON array must hold only strings`)
    return (parsed as string[]).map((k) => k.trim()).filter((k) => k !== '')
  }
  return trimmed.split(/[\s,;]+/).filter((k) => k !== '')
}

/** Longest key accepted: real keys are far shorter; the bound stops a pasted document from becoming one "key". */
export const MAX_KEY_LENGTH = 4096
// Visible ASCII only: a key is sent in an HTTP header, where anything else makes every request with it fail.
const SENDABLE_KEY = /^[\x21-\x7e]+$/

/** Refuses keys that could never be sent upstream, naming their position. */
export function requireSendableKeys(keys: string[], label: string): string[] {
  keys.forEach((k, i) => {
    if (k.length > MAX_KEY_LENGTH) throw validationError(`${label}: key ${i + 1} is longer than ${MAX_KEY_LENGTH} characters`)
    if (!SENDABLE_KEY.test(k))
      throw validationError(`${label}: key ${i + 1} has a character that cannot be sent in an HTTP header (only visible ASCII)`)
  })
  return keys
}

/** The keys of a list that will be stored: parsed, then checked that each can be sent upstream. */
export function parseSendableKeyList(text: string, label: string): string[] {
  return requireSendableKeys(parseKeyList(text, label), label)
}
