/**
 * The `keypool import gpt-load` suite, run once per source dialect (import-gpt-load-{sqlite,pg,mysql}.test.ts):
 * a GPT-Load database built from its schema is imported into a fresh keypool store (SQLite, or PostgreSQL for the
 * PostgreSQL source) by the real CLI; the
 * store then holds what GPT-Load had, a keypool node over it proxies a request with an imported proxy key and
 * key, and a second run changes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../db/open'
import { runCli } from '../../server/cli/run'
import { EXIT } from '../../server/cli/exit-codes'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { createTestApp } from '../support/test-app'
import { createGptLoadDb, createKeypoolPgDb, type GptLoadDb } from './support/gpt-load-databases'
import { type Dialect, fixtureData, type FixtureData, TEST_ENCRYPTION_KEY } from './support/gpt-load-fixture'

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** The summary table's numbers: phase -> [imported, skipped, failed]. */
function summaryOf(stderr: string): Record<string, [number, number, number]> {
  const out: Record<string, [number, number, number]> = {}
  for (const m of stderr.matchAll(/^ {2}(groups|keys|settings|logs)\s+(\d+)\s+(\d+)\s+(\d+)$/gm)) out[m[1]!] = [Number(m[2]), Number(m[3]), Number(m[4])]
  return out
}

export function importSuite(dialect: Dialect, available: boolean, target: 'sqlite' | 'postgres' = 'sqlite'): void {
  describe.skipIf(!available)(`keypool import gpt-load from ${dialect} into keypool on ${target}`, () => {
    let upstream: FakeUpstream
    let source: GptLoadDb
    let data: FixtureData
    let dir: string
    let keypoolDb: string
    /** true when keypool's store has been created (opened at least once) */
    let targetCreated: () => Promise<boolean>
    let dropTarget = async () => {}

    const cli = async (...args: string[]): Promise<Run> => {
      let stdout = ''
      let stderr = ''
      const code = await runCli(['import', 'gpt-load', ...args, '--database-dsn', keypoolDb, '--data-dir', dir], {}, {
        startServer: () => Promise.reject(new Error('the import must not start a server')),
        stdout: (t) => void (stdout += t),
        stderr: (t) => void (stderr += t),
        stderrIsTty: false,
        cwd: dir,
      })
      return { code, stdout, stderr }
    }

    /** Everything the import may write, in a comparable form. */
    async function snapshot() {
      const store = await openStore({ dsn: keypoolDb, dataDir: dir })
      try {
        const groups = await store.listGroups()
        const keys = []
        for (const g of groups) keys.push(...(await store.groupKeys(g.id)))
        const logs = await store.queryLogs({ page: 1, page_size: 100 })
        const stats = await store.hourlyStats(0, Date.now() + 3_600_000)
        return { groups, keys, settings: await store.getSettings(), logs, stats }
      } finally {
        await store.close()
      }
    }

    beforeAll(async () => {
      upstream = await startFakeUpstream()
      source = await createGptLoadDb(dialect)
      data = await fixtureData(dialect, upstream.url)
      await source.fill(data.tables)
      dir = mkdtempSync(join(tmpdir(), 'keypool-import-'))
      if (target === 'sqlite') {
        keypoolDb = join(dir, 'keypool.db')
        targetCreated = async () => existsSync(keypoolDb)
      } else {
        const pg = await createKeypoolPgDb()
        keypoolDb = pg.dsn
        targetCreated = pg.hasTables
        dropTarget = pg.drop
      }
    }, 60_000)

    afterAll(async () => {
      await source?.drop()
      await dropTarget()
      await upstream?.stop()
      if (dir) rmSync(dir, { recursive: true, force: true })
    })

    test('without GPT-Load encryption key (or with a wrong one) it refuses and writes nothing', async () => {
      const none = await cli('--dsn', source.dsn)
      expect(none.code).toBe(EXIT.runtime)
      expect(none.stderr).toContain('the stored keys are encrypted')
      const wrong = await cli('--dsn', source.dsn, '--encryption-key', 'not-the-key')
      expect(wrong.code).toBe(EXIT.runtime)
      expect(wrong.stderr).toContain('do not decrypt with --encryption-key')
      expect(await targetCreated()).toBe(false) // keypool's store was not even opened
    })

    test('imports groups, sub-groups, keys with states and notes, settings, proxy keys and logs', async () => {
      const r = await cli('--dsn', source.dsn, '--encryption-key', TEST_ENCRYPTION_KEY, '--with-logs')
      expect(r.stderr).not.toContain(TEST_ENCRYPTION_KEY)
      expect(r.code).toBe(EXIT.ok)
      expect(summaryOf(r.stderr)).toEqual({ groups: [4, 0, 0], keys: [5, 0, 0], settings: [4, 1, 0], logs: [3, 0, 0] })
      expect(r.stderr).toContain('import keys: 5/5 (100%)') // the plain progress line of a non-terminal stderr
      expect(r.stderr).toContain('gpt_only_setting')
      expect(r.stderr).toContain('some_gpt_only_knob')
      for (const k of ['sk-ok-import-0001', 'sk-bad-import-0002', 'sk-ant-ok-import-4']) expect(r.stderr).not.toContain(k)

      const s = await snapshot()
      const byName = new Map(s.groups.map((g) => [g.name, g]))
      expect([...byName.keys()].sort()).toEqual(['claude', 'mix', 'openai-b', 'openai-main'])
      const main = byName.get('openai-main')!
      expect(main).toMatchObject({
        display_name: 'OPENAI-MAIN', group_type: 'standard', channel_type: 'openai', upstreams: [{ url: upstream.url, weight: 1 }],
        proxy_keys: 'grp-proxy-1,grp-proxy-2', config: { max_retries: 2, blacklist_threshold: 5 },
        header_rules: [{ key: 'X-Team', value: 'a', action: 'set' }], model_redirect_rules: { 'gpt-4': 'gpt-4o-mini' },
      })
      expect(byName.get('claude')!.channel_type).toBe('anthropic')
      expect(byName.get('mix')).toMatchObject({
        group_type: 'aggregate',
        sub_groups: [{ group_id: main.id, weight: 3 }, { group_id: byName.get('openai-b')!.id, weight: 1 }],
      })

      for (const [groupName, expected] of Object.entries(data.expect.keys)) {
        const gid = byName.get(groupName)!.id
        const got = s.keys.filter((k) => k.group_id === gid).sort((a, b) => a.id - b.id)
          .map((k) => ({ key: k.key_value, status: k.status as string, notes: k.notes, failure_count: k.failure_count, request_count: k.request_count }))
        expect(got).toEqual(expected)
      }
      const firstKey = s.keys.find((k) => k.key_value === 'sk-ok-import-0001')!
      expect(firstKey.last_used_at).toBe(Date.parse('2025-08-01T11:00:00.000Z'))

      const settings = Object.fromEntries(Object.entries(s.settings).map(([k, v]) => [k, JSON.parse(v)]))
      expect(settings).toMatchObject({ max_retries: 5, request_log_retention_days: 30, enable_request_body_logging: true, proxy_keys: 'gpt-proxy-a,gpt-proxy-b' })
      expect(settings.gpt_only_setting).toBeUndefined()

      expect(s.logs.total).toBe(3)
      const logs = [...s.logs.items].sort((a, b) => a.timestamp - b.timestamp)
      expect(logs.map((l) => [l.timestamp, l.group_name, l.group_id, l.key_id, l.key_masked, l.status_code, l.request_type, l.is_stream])).toEqual([
        [Date.parse('2025-08-01T10:00:00.250Z'), 'openai-main', main.id, firstKey.id, 'sk-ok…0001', 200, 'final', false],
        [Date.parse('2025-08-01T10:05:00.000Z'), 'openai-main', main.id, s.keys.find((k) => k.key_value === 'sk-bad-import-0002')!.id, 'sk-ba…0002', 401, 'retry', false],
        [Date.parse('2025-08-01T10:05:01.000Z'), 'openai-main', main.id, firstKey.id, 'sk-ok…0001', 200, 'final', true],
      ])
      expect(logs[1]!.error_message).toBe('invalid api key')
      // the dashboard's hourly counters: the two final rows of 10:00 UTC (the retried attempt is part of its request)
      expect(s.stats.map((h) => [h.hour, h.group_id, h.success_count, h.failure_count])).toEqual([[Date.parse('2025-08-01T10:00:00.000Z'), main.id, 2, 0]])
    })

    test('a keypool node over the imported store serves the groups with the imported proxy keys and keys', async () => {
      await using app = await createTestApp({ env: { DATABASE_DSN: keypoolDb } })
      upstream.reset()
      const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      const direct = await fetch(`${app.url}/proxy/openai-main/v1/chat/completions`, {
        method: 'POST', headers: { authorization: 'Bearer gpt-proxy-a', 'content-type': 'application/json' }, body,
      })
      expect(direct.status).toBe(200)
      expect((await direct.json()).object).toBe('chat.completion')
      const viaGroupKey = await fetch(`${app.url}/proxy/mix/v1/chat/completions`, {
        method: 'POST', headers: { authorization: 'Bearer gpt-proxy-b', 'content-type': 'application/json' }, body,
      })
      expect(viaGroupKey.status).toBe(200)
      // only active imported keys reach the upstream; the invalid one never does
      expect(upstream.requests.map((r) => r.key).every((k) => ['sk-ok-import-0001', 'sk-ok-import-plain3', 'sk-ok-import-b-0005'].includes(k!))).toBe(true)
      expect(upstream.requests.length).toBe(2)
      const refused = await fetch(`${app.url}/proxy/openai-main/v1/chat/completions`, {
        method: 'POST', headers: { authorization: 'Bearer grp-proxy-1', 'content-type': 'application/json' }, body,
      })
      expect(refused.status).toBe(200) // a group proxy key of openai-main opens openai-main
    })

    test('a second run imports nothing and changes nothing', async () => {
      const before = await snapshot()
      const r = await cli('--dsn', source.dsn, '--encryption-key', TEST_ENCRYPTION_KEY, '--with-logs')
      expect(r.code).toBe(EXIT.ok)
      expect(summaryOf(r.stderr)).toEqual({ groups: [0, 4, 0], keys: [0, 5, 0], settings: [0, 5, 0], logs: [0, 3, 0] })
      const after = await snapshot()
      // the node of the test above wrote its own request logs and counters: compare what the import could touch
      expect({ groups: after.groups, keys: after.keys, settings: after.settings }).toEqual({ groups: before.groups, keys: before.keys, settings: before.settings })
      expect(after.logs.total).toBe(before.logs.total)
    })
  })
}
