/**
 * proxy_keys holds secrets (initially AUTH_KEY): with ENCRYPTION_KEY it is sealed at rest like the pool keys; a
 * value stored in plain text before still reads (and is sealed at the next load); the admin API shows it as before.
 */
import { afterAll, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../db/open'
import { SettingsService } from '../../server/config/settings'
import { migrateKeys } from '../../server/cli/migrate-keys'
import { createTestApp, data, json } from '../admin/support'

const ENC = 'an-encryption-key-of-good-length'
const root = mkdtempSync(join(tmpdir(), 'keypool-secret-settings-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function rawSetting(dbPath: string, key: string): string | undefined {
  const db = new Database(dbPath, { readonly: true })
  try {
    return db.query<{ value: string }, [string]>('SELECT value FROM system_settings WHERE key = ?').get(key)?.value
  } finally {
    db.close()
  }
}

test('with ENCRYPTION_KEY proxy_keys is sealed in the database file and read back in plain text', async () => {
  const dataDir = join(root, 'a')
  const store = await openStore({ dsn: '', dataDir, encryptionKey: ENC })
  const settings = new SettingsService(store, store.cipher)
  await settings.load('the-admin-key-as-proxy-key')
  await settings.update({ proxy_keys: 'pk-one-secret,pk-two-secret', max_retries: 4 })
  await store.close()
  const raw = rawSetting(join(dataDir, 'keypool.db'), 'proxy_keys')!
  expect(raw.startsWith('enc:v1:')).toBe(true)
  expect(raw).not.toContain('pk-one-secret')
  expect(rawSetting(join(dataDir, 'keypool.db'), 'max_retries')).toBe('4') // only secrets are sealed

  const again = await openStore({ dsn: '', dataDir, encryptionKey: ENC })
  const reloaded = new SettingsService(again, again.cipher)
  await reloaded.load('ignored')
  expect(reloaded.get()).toMatchObject({ proxy_keys: 'pk-one-secret,pk-two-secret', max_retries: 4 })
  await again.close()
})

test('a plain-text proxy_keys from before encryption still reads, and is sealed at the next load', async () => {
  const dataDir = join(root, 'b')
  const plain = await openStore({ dsn: '', dataDir })
  await new SettingsService(plain, plain.cipher).load('old-plain-proxy-key')
  await plain.close()
  const dbPath = join(dataDir, 'keypool.db')
  expect(rawSetting(dbPath, 'proxy_keys')).toBe('"old-plain-proxy-key"') // no ENCRYPTION_KEY: stored as before

  const sealed = await openStore({ dsn: '', dataDir, encryptionKey: ENC })
  const settings = new SettingsService(sealed, sealed.cipher)
  await settings.load('ignored')
  expect(settings.get().proxy_keys).toBe('old-plain-proxy-key')
  await sealed.close()
  expect(rawSetting(dbPath, 'proxy_keys')!.startsWith('enc:v1:')).toBe(true)
})

test('migrate-keys re-seals proxy_keys for the new key', async () => {
  const dataDir = join(root, 'c')
  const store = await openStore({ dsn: '', dataDir, encryptionKey: ENC })
  await new SettingsService(store, store.cipher).load('rotated-proxy-key')
  await store.close()
  await migrateKeys({ dsn: '', dataDir, encryptionKey: ENC }, 'a-second-encryption-key-0123456')
  const next = await openStore({ dsn: '', dataDir, encryptionKey: 'a-second-encryption-key-0123456' })
  const settings = new SettingsService(next, next.cipher)
  await settings.load()
  expect(settings.get().proxy_keys).toBe('rotated-proxy-key')
  await next.close()
})

test('the admin API shows and takes proxy_keys in plain text as before', async () => {
  await using app = await createTestApp({ env: { ENCRYPTION_KEY: ENC, DATABASE_DSN: '' } })
  await data(app.api('/api/settings', json('PUT', { proxy_keys: 'pk-api-secret' })))
  const categories = await data<{ settings: { key: string; value: unknown }[] }[]>(app.api('/api/settings'))
  expect(categories.flatMap((c) => c.settings).find((s) => s.key === 'proxy_keys')?.value).toBe('pk-api-secret')
  expect(rawSetting(join(app.dataDir, 'keypool.db'), 'proxy_keys')).not.toContain('pk-api-secret')
})
