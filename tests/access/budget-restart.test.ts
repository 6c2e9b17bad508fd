/** A spent budget stays spent across a restart of a single node: the counters start from the hourly stats. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'bun:test'
import { logsOf } from '../proxy/helpers'
import { startFakeUpstream } from '../support/fake-upstream'
import { createTestApp, seedGroup, waitFor } from '../support/test-app'
import { chatWith, createAccessKey } from './support'

test('a token budget spent before a restart is still spent after it', async () => {
  await using upstream = await startFakeUpstream()
  const dir = mkdtempSync(join(tmpdir(), 'keypool-ak-restart-'))
  const env = { DATABASE_DSN: join(dir, 'keypool.db') }
  try {
    const first = await createTestApp({ dataDir: dir, env })
    await first.deps.settings.update({ request_log_write_interval_minutes: 0 })
    await seedGroup(first.deps, { name: 'g1', upstreams: [{ url: upstream.url, weight: 1 }] }, ['sk-good-1'])
    const k = await createAccessKey(first, { name: 'monthly', token_budget: 1, budget_period: 'month' })
    expect((await chatWith(`${first.url}/proxy/g1`, k.key)).status).toBe(200)
    await waitFor(async () => (await logsOf(first)).length === 1, 5000, 'the answer finished')
    expect((await chatWith(`${first.url}/proxy/g1`, k.key)).status).toBe(429)
    await first.stop() // flushes the log rows and the hourly stats

    await using second = await createTestApp({ dataDir: dir, env })
    const res = await chatWith(`${second.url}/proxy/g1`, k.key)
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([429, 'budget_exceeded'])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
