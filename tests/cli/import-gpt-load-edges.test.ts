/**
 * `keypool import gpt-load` where the two sides do not line up (SQLite source): keypool already has a group of
 * the same name (matched, left as it is, only missing keys added), a GPT-Load group keypool cannot take (failed,
 * with its keys, exit 1), an older GPT-Load schema without some columns, and a plain (unencrypted) GPT-Load.
 */
import { Database } from 'bun:sqlite'
import { afterEach, beforeEach, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../db/open'
import { EXIT } from '../../server/cli/exit-codes'
import { runCli } from '../../server/cli/run'
import { newGroup } from '../db/fixtures'
import { createGptLoadDb, type GptLoadDb } from './support/gpt-load-databases'
import { fixtureData, plainHash, TEST_ENCRYPTION_KEY } from './support/gpt-load-fixture'

let dir = ''
let source: GptLoadDb
const keypoolDb = () => join(dir, 'keypool.db')

async function cli(...args: string[]) {
  return cliWithEnv({}, ...args)
}

async function cliWithEnv(env: Record<string, string>, ...args: string[]) {
  let stderr = ''
  const code = await runCli(['import', 'gpt-load', ...args, '--database-dsn', keypoolDb()], env, {
    startServer: () => Promise.reject(new Error('no server')),
    stdout: () => {},
    stderr: (t) => void (stderr += t),
    stderrIsTty: false,
    cwd: dir,
  })
  return { code, stderr }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keypool-import-edges-'))
  source = await createGptLoadDb('sqlite')
})
afterEach(async () => {
  await source.drop()
  rmSync(dir, { recursive: true, force: true })
})

test('a group keypool already has is matched by name and left alone; only its missing keys are added', async () => {
  const data = await fixtureData('sqlite', 'http://127.0.0.1:9')
  await source.fill(data.tables)
  const store = await openStore({ dsn: keypoolDb(), dataDir: dir })
  const mine = await store.createGroup(newGroup('openai-main', { description: 'set up in keypool', upstreams: [{ url: 'http://10.1.1.1', weight: 1 }] }))
  await store.addKeys(mine.id, ['sk-ok-import-0001', 'sk-keypool-only-9'])
  await store.putSettings({ max_retries: JSON.stringify(9) })
  await store.close()

  const r = await cli('--dsn', source.dsn, '--encryption-key', TEST_ENCRYPTION_KEY)
  expect(r.code).toBe(EXIT.ok)
  expect(r.stderr).toMatch(/^ {2}groups\s+3\s+1\s+0$/m)
  expect(r.stderr).toMatch(/^ {2}keys\s+4\s+1\s+0$/m)
  expect(r.stderr).toContain('settings already set in keypool, kept as they are: max_retries')
  expect(r.stderr).toContain('request logs not imported (add --with-logs')

  const after = await openStore({ dsn: keypoolDb(), dataDir: dir })
  try {
    const g = (await after.getGroupByName('openai-main'))!
    expect({ description: g.description, upstreams: g.upstreams, proxy_keys: g.proxy_keys }).toEqual({
      description: 'set up in keypool', upstreams: [{ url: 'http://10.1.1.1', weight: 1 }], proxy_keys: '',
    })
    const keys = (await after.groupKeys(g.id)).map((k) => [k.key_value, k.status, k.notes]).sort()
    // the key keypool had keeps keypool's state (no notes); the two it lacked arrive with GPT-Load's
    expect(keys).toEqual([
      ['sk-bad-import-0002', 'invalid', ''], ['sk-keypool-only-9', 'active', ''], ['sk-ok-import-0001', 'active', ''], ['sk-ok-import-plain3', 'active', ''],
    ])
    expect(JSON.parse((await after.getSettings()).max_retries!)).toBe(9)
    // the aggregate found its sub-group under the existing group's keypool id
    expect((await after.getGroupByName('mix'))!.sub_groups[0]).toEqual({ group_id: g.id, weight: 3, priority: 1 })
  } finally {
    await after.close()
  }
})

test("GPT-Load's key from GPT_LOAD_ENCRYPTION_KEY (out of sight of ps) decrypts as --encryption-key does", async () => {
  const data = await fixtureData('sqlite', 'http://127.0.0.1:9')
  await source.fill(data.tables)
  const r = await cliWithEnv({ GPT_LOAD_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }, '--dsn', source.dsn)
  expect(r.code).toBe(EXIT.ok)
  const after = await openStore({ dsn: keypoolDb(), dataDir: dir })
  try {
    const g = (await after.getGroupByName('openai-main'))!
    expect((await after.groupKeys(g.id)).map((k) => k.key_value).sort()).toContain('sk-ok-import-0001')
  } finally {
    await after.close()
  }
})

test('a group keypool cannot take fails with its keys, the rest comes over, and the exit code says so', async () => {
  const data = await fixtureData('sqlite', 'http://127.0.0.1:9')
  const groups = data.tables.find(([t]) => t === 'groups')![1]
  groups.push({ ...groups[0]!, id: 9, name: 'vertex', channel_type: 'vertex-ai' })
  data.tables.find(([t]) => t === 'api_keys')![1].push({ id: 9, group_id: 9, key_value: 'plain-vertex-key', key_hash: plainHash('plain-vertex-key'), status: 'active' })
  await source.fill(data.tables)
  const r = await cli('--dsn', source.dsn, '--encryption-key', TEST_ENCRYPTION_KEY)
  expect(r.code).toBe(EXIT.runtime)
  expect(r.stderr).toMatch(/^ {2}groups\s+4\s+0\s+1$/m)
  expect(r.stderr).toMatch(/^ {2}keys\s+5\s+0\s+1$/m)
  expect(r.stderr).toContain('group vertex not imported: channel_type must be one of openai, openai-response, anthropic, gemini')
  expect(r.stderr).toContain('1 key(s) belong to a group that was not imported')
  expect(r.stderr).not.toContain('plain-vertex-key')
})

test('an older, unencrypted GPT-Load without notes, key_hash or aggregate columns still comes over', async () => {
  const data = await fixtureData('sqlite', 'http://127.0.0.1:9')
  const keys = data.tables.find(([t]) => t === 'api_keys')![1]
  const plain = ['sk-old-1', 'sk-old-2', 'sk-old-3', 'sk-old-4', 'sk-old-5']
  keys.forEach((k, i) => Object.assign(k, { key_value: plain[i], key_hash: null }))
  const groups = data.tables.find(([t]) => t === 'groups')![1]
  data.tables.find(([t]) => t === 'groups')![1] = groups.filter((g) => g.group_type !== 'aggregate')
  data.tables = data.tables.filter(([t]) => t !== 'group_sub_groups')
  await source.fill(data.tables)
  const db = new Database(source.dsn)
  for (const [table, col] of [['api_keys', 'notes'], ['api_keys', 'key_hash'], ['groups', 'group_type'], ['groups', 'model_redirect_rules']] as const) db.run(`ALTER TABLE ${table} DROP COLUMN ${col}`)
  db.run('DROP TABLE group_sub_groups')
  db.close()

  const r = await cli('--dsn', source.dsn, '--with-logs')
  expect(r.code).toBe(EXIT.ok)
  expect(r.stderr).toMatch(/^ {2}groups\s+3\s+0\s+0$/m)
  expect(r.stderr).toMatch(/^ {2}keys\s+5\s+0\s+0$/m)
  const store = await openStore({ dsn: keypoolDb(), dataDir: dir })
  try {
    const all = []
    for (const g of await store.listGroups()) all.push(...(await store.groupKeys(g.id)))
    expect(all.map((k) => k.key_value).sort()).toEqual(plain)
    expect(all.find((k) => k.key_value === 'sk-old-2')!.status).toBe('invalid')
  } finally {
    await store.close()
  }
})

test('logs come over page by page; a later run brings only the rows written since', async () => {
  const data = await fixtureData('sqlite', 'http://127.0.0.1:9')
  await source.fill(data.tables)
  const insertLogs = (from: number, n: number, baseMs: number) => {
    const db = new Database(source.dsn)
    const q = db.query(`INSERT INTO request_logs (id, timestamp, group_id, group_name, key_value, key_hash, model, is_success, status_code, duration, request_type, is_stream)
      VALUES (?, ?, 1, 'openai-main', 'sk-ok-import-plain3', ?, 'gpt-4o-mini', 1, 200, 100, 'final', 0)`)
    db.transaction(() => {
      for (let i = from; i < from + n; i++) {
        // ids in random order against time, as GPT-Load's UUIDs are
        const id = `${createHash('md5').update(String(i)).digest('hex').slice(0, 8)}-0000-4000-8000-${String(i).padStart(12, '0')}`
        q.run(id, new Date(baseMs + i * 1000).toISOString().replace('T', ' ').replace('Z', '+00:00'), plainHash('sk-ok-import-plain3'))
      }
    })()
    db.close()
  }
  const base = Date.parse('2025-08-02T00:00:00.000Z')
  insertLogs(0, 2500, base)
  const first = await cli('--dsn', source.dsn, '--encryption-key', TEST_ENCRYPTION_KEY, '--with-logs')
  expect(first.code).toBe(EXIT.ok)
  expect(first.stderr).toMatch(/^ {2}logs\s+2503\s+0\s+0$/m)
  insertLogs(2500, 2, base)
  const second = await cli('--dsn', source.dsn, '--encryption-key', TEST_ENCRYPTION_KEY, '--with-logs')
  expect(second.stderr).toMatch(/^ {2}logs\s+2\s+2503\s+0$/m)
  const store = await openStore({ dsn: keypoolDb(), dataDir: dir })
  try {
    const logs = await store.queryLogs({ page: 1, page_size: 1, group_name: 'openai-main' })
    expect(logs.total).toBe(2505)
    expect(logs.items[0]!.timestamp).toBe(base + 2501 * 1000)
    expect(logs.items[0]!.key_masked).toBe('sk-ok…ain3')
  } finally {
    await store.close()
  }
})

test('a DSN that is not a GPT-Load database is refused with a message, the password masked', async () => {
  const missing = await cli('--dsn', join(dir, 'nope.db'))
  expect(missing).toEqual({ code: EXIT.runtime, stderr: `keypool: --dsn: no SQLite database at ${join(dir, 'nope.db')}\n` })
  const other = join(dir, 'other.db')
  new Database(other, { create: true }).close()
  const notGptLoad = await cli('--dsn', other)
  expect(notGptLoad.stderr).toBe(`keypool: ${other} has no GPT-Load tables (groups, api_keys): is it GPT-Load's database?\n`)
  const unreachable = await cli('--dsn', 'postgres://gpt:s3cret@127.0.0.1:1/gpt-load?sslmode=disable')
  expect(unreachable.code).toBe(EXIT.runtime)
  expect(unreachable.stderr).toStartWith('keypool: cannot connect to postgres://gpt:***@127.0.0.1:1/gpt-load')
  expect(unreachable.stderr).not.toContain('s3cret')
})
