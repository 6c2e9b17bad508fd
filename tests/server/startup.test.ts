/** Starting a node as users do: bad config stops start-up naming the variable; quick mode serves `/v1` and friends. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'bun:test'
import { startFakeUpstream } from '../support/fake-upstream'
import { spawnNode } from '../support/spawn-node'
import { waitFor } from '../support/test-app'
import { openStore } from '../../db/open'

const ROOT = join(import.meta.dir, '../..')
const dir = mkdtempSync(join(tmpdir(), 'keypool-startup-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function runMain(env: Record<string, string>, args: string[] = []) {
  const r = Bun.spawnSync([process.execPath, join(ROOT, 'server/main.ts'), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: join(dir, 'data'), ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  return { code: r.exitCode, err: r.stderr.toString() }
}

describe('start-up', () => {
  test.each([
    [{ PORT: 'eighty' }, 3, 'PORT'],
    [{ MAX_CONCURRENT_REQUESTS: '-5' }, 3, 'MAX_CONCURRENT_REQUESTS'],
    [{ REDIS_DSN: 'localhost' }, 3, 'REDIS_DSN'],
    [{ KEYS_FILE: 'missing.txt', OPENAI_BASE_URL: 'http://127.0.0.1:9' }, 1, 'KEYS_FILE'],
    [{ DATABASE_DSN: 'postgres://nobody@127.0.0.1:1/none' }, 1, 'DATABASE_DSN'],
    // GPT-Load's MySQL DSN: refused, not read as a SQLite path
    [{ DATABASE_DSN: 'root:123456@tcp(mysql:3306)/gpt-load?charset=utf8mb4&parseTime=True&loc=Local' }, 3, 'MySQL is not supported'],
  ])('%o exits %d naming %s', (env, code, name) => {
    const r = runMain(env as Record<string, string>)
    expect(r.code).toBe(code)
    expect(r.err).toContain(name)
  })

  test('quick mode: /v1 without prefix, /stats, /blacklist, /reset-keys', async () => {
    await using upstream = await startFakeUpstream()
    const keysFile = join(dir, 'keys.txt')
    writeFileSync(keysFile, 'sk-good-1\nsk-bad-1\n')
    await using node = await spawnNode({
      DATA_DIR: join(dir, 'quick'),
      KEYS_FILE: keysFile,
      OPENAI_BASE_URL: upstream.url,
      AUTH_KEY: 'quick-mode-key-1',
      BLACKLIST_THRESHOLD: '1',
    })
    const auth = { authorization: 'Bearer quick-mode-key-1' }
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${node.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      })
      expect(res.status).toBe(200)
    }
    expect((await fetch(`${node.url}/stats`)).status).toBe(401)
    expect(await (await fetch(`${node.url}/stats`, { headers: auth })).json()).toMatchObject({ total_keys: 2, healthy_keys: 1, blacklisted_keys: 1 })
    const black = (await (await fetch(`${node.url}/blacklist`, { headers: auth })).json()) as { count: number; keys: { key: string }[] }
    expect(black.count).toBe(1)
    expect(black.keys[0]!.key).not.toBe('sk-bad-1') // masked
    expect(await (await fetch(`${node.url}/reset-keys`, { headers: auth })).json()).toEqual({ success: true, restored: 1 })
    expect(await (await fetch(`${node.url}/stats`, { headers: auth })).json()).toMatchObject({ healthy_keys: 2, blacklisted_keys: 0 })
    // the same group is also reachable with the prefix
    const prefixed = await fetch(`${node.url}/proxy/default/v1/models`, { headers: auth })
    expect(prefixed.status).toBe(200)
  })

  test('SIGHUP reloads settings changed in the database by someone else', async () => {
    await using upstream = await startFakeUpstream()
    const dataDir = join(dir, 'hup')
    writeFileSync(join(dir, 'hup-keys.txt'), 'sk-good-1\n')
    await using node = await spawnNode({
      DATA_DIR: dataDir,
      KEYS_FILE: join(dir, 'hup-keys.txt'),
      OPENAI_BASE_URL: upstream.url,
      AUTH_KEY: 'hup-admin-key-1',
    })
    const call = (key: string) =>
      fetch(`${node.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status)
    expect(await call('hup-new-proxy-key')).toBe(401)
    // another process (a second node, a script) writes the setting straight into the database
    const store = await openStore({ dsn: '', dataDir })
    await store.putSettings({ proxy_keys: JSON.stringify('hup-new-proxy-key') })
    await store.close()
    node.proc.kill('SIGHUP')
    await waitFor(async () => (await call('hup-new-proxy-key')) === 200, 5000, 'the reloaded proxy key')
    expect(node.proc.exitCode).toBeNull() // SIGHUP reloads, it does not stop the node
  })

  test('SIGHUP serves keys added by `keypool keys import` while the node ran', async () => {
    await using upstream = await startFakeUpstream()
    const dataDir = join(dir, 'hup-import')
    writeFileSync(join(dir, 'hup-import-keys.txt'), 'sk-good-first\n')
    await using node = await spawnNode({
      DATA_DIR: dataDir,
      KEYS_FILE: join(dir, 'hup-import-keys.txt'),
      OPENAI_BASE_URL: upstream.url,
      AUTH_KEY: 'hup-admin-key-2',
    })
    writeFileSync(join(dir, 'hup-import-more.txt'), 'sk-good-imported\n')
    const cli = runMain({ DATA_DIR: dataDir, AUTH_KEY: 'hup-admin-key-2' }, ['keys', 'import', 'default', join(dir, 'hup-import-more.txt')])
    expect(cli).toMatchObject({ code: 0 })
    node.proc.kill('SIGHUP')
    const call = () => fetch(`${node.url}/v1/models`, { headers: { authorization: 'Bearer hup-admin-key-2' } }).then((r) => r.status)
    // round-robin over the reloaded pool reaches the imported key
    await waitFor(async () => (await call()) === 200 && upstream.requests.some((r) => r.key === 'sk-good-imported'), 5000, 'the imported key in use')
  })
})
