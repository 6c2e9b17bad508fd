/** Starting a node as users do: bad config stops start-up naming the variable; quick mode serves `/v1` and friends. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'bun:test'
import { startFakeUpstream } from '../support/fake-upstream'
import { spawnNode } from '../support/spawn-node'

const ROOT = join(import.meta.dir, '../..')
const dir = mkdtempSync(join(tmpdir(), 'keypool-startup-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function runMain(env: Record<string, string>) {
  const r = Bun.spawnSync([process.execPath, join(ROOT, 'server/main.ts')], {
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
})
