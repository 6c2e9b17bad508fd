import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../db/open'
import { EXIT } from '../../server/cli/exit-codes'
import { runCli } from '../../server/cli/run'
import { newGroup } from '../db/fixtures'

let dir = ''
let out = ''
let err = ''
let stdin = ''
const rt = {
  startServer: () => Promise.reject(new Error('keys commands must not start the server')),
  stdout: (t: string) => void (out += t),
  stderr: (t: string) => void (err += t),
  readStdin: () => Promise.resolve(stdin),
}
const run = (...argv: string[]) => runCli([...argv, '--data-dir', dir], {}, { ...rt, cwd: dir })

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keypool-keys-cli-'))
  out = err = stdin = ''
  const store = await openStore({ dsn: '', dataDir: dir })
  await store.createGroup(newGroup('openai'))
  await store.close()
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function keysInDb(): Promise<{ key_value: string; status: string }[]> {
  const store = await openStore({ dsn: '', dataDir: dir })
  const group = (await store.getGroupByName('openai'))!
  const keys = await store.groupKeys(group.id)
  await store.close()
  return keys.sort((a, b) => a.id - b.id).map((k) => ({ key_value: k.key_value, status: k.status }))
}

describe('keys import', () => {
  test('adds the keys of a file to the group and reports duplicates as ignored', async () => {
    const file = join(dir, 'keys.txt')
    writeFileSync(file, 'sk-one-1111111111\nsk-two-2222222222, sk-one-1111111111;sk-three-333333333\n\n')
    expect(await run('keys', 'import', 'openai', file)).toBe(EXIT.ok)
    expect(out).toBe('group openai: 3 added, 1 ignored, 3 in total\n')
    expect((await keysInDb()).map((k) => k.key_value)).toEqual(['sk-one-1111111111', 'sk-two-2222222222', 'sk-three-333333333'])
  })

  test('reads a JSON array from stdin with "-"', async () => {
    stdin = '["sk-json-aaaaaaaaaa", "sk-json-bbbbbbbbbb"]'
    expect(await run('keys', 'import', 'openai', '-')).toBe(EXIT.ok)
    expect((await keysInDb()).map((k) => k.key_value)).toEqual(['sk-json-aaaaaaaaaa', 'sk-json-bbbbbbbbbb'])
  })

  test('an unknown group is a runtime error (exit 1)', async () => {
    writeFileSync(join(dir, 'k.txt'), 'sk-x-0000000000')
    expect(await run('keys', 'import', 'nope', join(dir, 'k.txt'))).toBe(EXIT.runtime)
    expect(err).toBe('keypool: group "nope" not found\n')
  })

  test('a key a header cannot carry is refused by position (exit 1) and nothing is added', async () => {
    const file = join(dir, 'bad.txt')
    writeFileSync(file, 'sk-fine-1111111111\nsk-caf\u00e9-2222222222\n')
    expect(await run('keys', 'import', 'openai', file)).toBe(EXIT.runtime)
    expect(err).toBe(`keypool: ${file}: key 2 has a character that cannot be sent in an HTTP header (only visible ASCII)\n`)
    expect(await keysInDb()).toEqual([])
  })

  test('a missing file is a runtime error naming the file', async () => {
    expect(await run('keys', 'import', 'openai', join(dir, 'absent.txt'))).toBe(EXIT.runtime)
    expect(err).toContain(`cannot read ${join(dir, 'absent.txt')}: ENOENT`)
  })
})

describe('keys export', () => {
  beforeEach(async () => {
    const store = await openStore({ dsn: '', dataDir: dir })
    const group = (await store.getGroupByName('openai'))!
    await store.addKeys(group.id, ['sk-live-1111111111', 'sk-dead-2222222222', 'sk-live-3333333333'])
    const dead = (await store.groupKeys(group.id)).find((k) => k.key_value === 'sk-dead-2222222222')!
    await store.setKeyStatus([dead.id], 'invalid')
    await store.close()
  })

  test('prints every key by default, one per line', async () => {
    expect(await run('keys', 'export', 'openai')).toBe(EXIT.ok)
    expect(out).toBe('sk-live-1111111111\nsk-dead-2222222222\nsk-live-3333333333\n')
    expect(err).toBe('group openai: 3 keys exported (status all)\n')
  })

  test('filters by status', async () => {
    expect(await run('keys', 'export', 'openai', '--status', 'invalid')).toBe(EXIT.ok)
    expect(out).toBe('sk-dead-2222222222\n')
  })

  test('--out writes an owner-only file and nothing to stdout', async () => {
    const file = join(dir, 'active.txt')
    writeFileSync(file, 'old content', { mode: 0o644 })
    expect(await run('keys', 'export', 'openai', '--status=active', '--out', file)).toBe(EXIT.ok)
    expect(out).toBe('')
    expect(readFileSync(file, 'utf8')).toBe('sk-live-1111111111\nsk-live-3333333333\n')
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  test('round trip: export of one database imports into another', async () => {
    await run('keys', 'export', 'openai', '--out', join(dir, 'all.txt'))
    const other = mkdtempSync(join(tmpdir(), 'keypool-keys-cli-other-'))
    try {
      const store = await openStore({ dsn: '', dataDir: other })
      await store.createGroup(newGroup('openai'))
      await store.close()
      out = ''
      const code = await runCli(['keys', 'import', 'openai', join(dir, 'all.txt'), '--data-dir', other], {}, rt)
      expect(code).toBe(EXIT.ok)
      expect(out).toBe('group openai: 3 added, 0 ignored, 3 in total\n')
    } finally {
      rmSync(other, { recursive: true, force: true })
    }
  })
})
