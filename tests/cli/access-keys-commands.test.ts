/** `keypool access-keys create|list|disable` on the configured database; create prints the secret once. */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../db/open'
import { loadAccessKeyHasher } from '../../server/access/secret'
import { EXIT } from '../../server/cli/exit-codes'
import { runCli } from '../../server/cli/run'
import { newGroup } from '../db/fixtures'

let dir = ''
let out = ''
let err = ''
const rt = {
  startServer: () => Promise.reject(new Error('access-keys commands must not start the server')),
  stdout: (t: string) => void (out += t),
  stderr: (t: string) => void (err += t),
}
const run = (...argv: string[]) => runCli([...argv, '--data-dir', dir], {}, { ...rt, cwd: dir })

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keypool-ak-cli-'))
  out = err = ''
  const store = await openStore({ dsn: '', dataDir: dir })
  await store.createGroup(newGroup('openai'))
  await store.close()
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('keypool access-keys', () => {
  test('create prints only the secret on stdout; the store keeps its HMAC and the limits given', async () => {
    const code = await run('access-keys', 'create', 'ci-bot', '--rpm', '60', '--groups', 'openai', '--models', 'gpt-4o*,o3*', '--cost-budget', '2.5', '--budget-period', 'week')
    expect([code, err]).toEqual([EXIT.ok, expect.stringContaining('shown this once only')])
    const secret = out.trim()
    expect(secret).toMatch(/^kp-[0-9A-Za-z]{40}$/)
    const store = await openStore({ dsn: '', dataDir: dir })
    const [row] = await store.listAccessKeys()
    const hasher = await loadAccessKeyHasher(store, store.cipher)
    await store.close()
    expect(row).toMatchObject({ name: 'ci-bot', rpm_limit: 60, groups: ['openai'], models: ['gpt-4o*', 'o3*'], cost_budget_usd: 2.5, budget_period: 'week', enabled: true })
    expect(row!.key_hash).toBe(hasher.hash(secret))

    out = ''
    expect(await run('access-keys', 'list')).toBe(EXIT.ok)
    expect(out).toContain('ci-bot')
    expect(out).toContain(`${secret.slice(0, 8)}…`)
    expect(out).not.toContain(secret)

    expect(await run('access-keys', 'disable', 'ci-bot')).toBe(EXIT.ok)
    const again = await openStore({ dsn: '', dataDir: dir })
    expect((await again.listAccessKeys())[0]!.enabled).toBe(false)
    await again.close()
  })

  test('mistakes exit 2 naming the flag or the name', async () => {
    expect(await run('access-keys', 'create', 'x', '--rpm', 'lots')).toBe(EXIT.usage)
    expect(err).toContain('--rpm')
    err = ''
    expect(await run('access-keys', 'create', 'x', '--groups', 'nope')).toBe(EXIT.usage)
    expect(err).toContain('group "nope" not found')
    err = ''
    expect(await run('access-keys', 'create', 'x', '--budget-period', 'year')).toBe(EXIT.usage)
    expect(err).toContain('--budget-period')
    err = ''
    expect(await run('access-keys', 'disable', 'ghost')).toBe(EXIT.usage)
    expect(err).toContain('ghost')
    err = ''
    expect(await run('access-keys', 'list', '--rpm', '1')).toBe(EXIT.usage)
    expect(await run('access-keys')).toBe(EXIT.usage)
  })
})
