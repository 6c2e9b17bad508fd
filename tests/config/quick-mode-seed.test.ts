/** KEYS_FILE seeding reads the file with the admin API's key-list rules, into a real sqlite store. */
import { afterEach, beforeEach, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, type OpenedStore } from '../../db/open'
import { loadEnv } from '../../server/config/env'
import { QUICK_GROUP, setupQuickMode } from '../../server/config/quick-mode-seed'

let dir = ''
let store: OpenedStore
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keypool-quick-seed-'))
  store = await openStore({ dsn: '', dataDir: dir })
})
afterEach(async () => {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

const envFor = (file: string) => loadEnv({ DATA_DIR: dir, KEYS_FILE: file, OPENAI_BASE_URL: 'http://127.0.0.1:9' })

test('a JSON array in KEYS_FILE seeds the default group with its keys', async () => {
  const file = join(dir, 'keys.json')
  writeFileSync(file, '["sk-json-aaaaaaaaaa", " sk-json-bbbbbbbbbb "]')
  const group = (await setupQuickMode(envFor(file), store))!
  expect(group.name).toBe(QUICK_GROUP)
  expect((await store.groupKeys(group.id)).map((k) => k.key_value).sort()).toEqual(['sk-json-aaaaaaaaaa', 'sk-json-bbbbbbbbbb'])
})

test('a key a header cannot carry stops the seeding by position, before the group is written', async () => {
  const file = join(dir, 'keys.txt')
  writeFileSync(file, 'sk-good-1\nsk-caf\u00e9-2\n')
  await expect(setupQuickMode(envFor(file), store)).rejects.toThrow(
    'KEYS_FILE: key 2 has a character that cannot be sent in an HTTP header (only visible ASCII)',
  )
  expect(await store.getGroupByName(QUICK_GROUP)).toBeNull()
})
