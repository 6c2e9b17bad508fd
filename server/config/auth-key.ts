/**
 * The admin key: AUTH_KEY when set; otherwise one generated on first start, stored in the data dir with mode
 * 0600 (the dir 0700 when keypool creates it) and reused after. There is no weak default key.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensurePrivateDir } from '../../db/open'
import { log } from '../shared/logger'

export const AUTH_KEY_FILE = 'auth_key'

export function resolveAuthKey(authKey: string | undefined, dataDir: string): string {
  if (authKey) return authKey
  const path = join(dataDir, AUTH_KEY_FILE)
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim()
    if (stored) return stored
  }
  ensurePrivateDir(dataDir)
  const key = `kp-${Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url')}`
  writeFileSync(path, key + '\n', { mode: 0o600 })
  chmodSync(path, 0o600)
  log.warn(`AUTH_KEY is not set: generated an admin key and stored it in ${path} (mode 0600). Read it with: cat ${path}`)
  return key
}
