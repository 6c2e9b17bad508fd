// Request log and hourly stat behaviour of a Store backend (part of storeSuite).
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { identityCipher } from '../../db/cipher'
import type { HourlyStat, KeyCipher, LogQuery, Store } from '../../db/types'
import { logRow, newGroup } from './fixtures'

const HOUR = 3_600_000
const T0 = 1_700_000_000_000

function stat(hour: number, group_id: number, n: number): HourlyStat {
  return { hour, group_id, success_count: n, failure_count: n * 2, prompt_tokens: n * 10, completion_tokens: n * 100, access_key_id: 0, model: '', cost_micros: 0, cache_hits: n }
}

export function logSuite(label: string, open: (cipher: KeyCipher) => Promise<Store>): void {
  describe(`${label}: request logs and hourly stats`, () => {
    let store: Store
    beforeEach(async () => {
      store = await open(identityCipher)
    })
    afterEach(async () => {
      await store.close()
    })

    const ids = async (q: Omit<LogQuery, 'page' | 'page_size'>) =>
      (await store.queryLogs({ ...q, page: 1, page_size: 100 })).items.map((r) => r.path)

    test('a log row round-trips every field', async () => {
      const row = logRow({ ttfb_ms: null, is_stream: true, is_success: false, request_body: '{"a":1}', group_id: null })
      await store.insertLogs([row])
      await store.insertLogs([])
      const { items, total } = await store.queryLogs({ page: 1, page_size: 10 })
      expect(total).toBe(1)
      expect(items[0]).toEqual({ ...row, id: items[0]!.id })
    })

    test('queryLogs supports every filter, newest first', async () => {
      // A key search goes through the key's id: the keys exist in api_keys, as they do for real traffic.
      const g = await store.createGroup(newGroup('logged'))
      await store.addKeys(g.id, ['key-one', 'key-two'])
      const [k1, k2] = await store.groupKeys(g.id)
      await store.insertLogs([
        logRow({ path: 'a', timestamp: T0, group_name: 'g1', key_id: k1!.id, key_hash: k1!.key_hash, model: 'm1', source_ip: 'ip1' }),
        logRow({
          path: 'b', timestamp: T0 + 2, group_name: 'g2', key_id: k2!.id, key_hash: k2!.key_hash, model: 'm2', status_code: 401,
          is_success: false, error_message: 'Invalid API Key provided', source_ip: 'ip2',
        }),
        logRow({ path: 'c', timestamp: T0 + 1, group_name: 'g1', key_id: k2!.id, key_hash: k2!.key_hash, status_code: 429, is_success: false,
          error_message: 'rate limit: 100%_used' }),
      ])
      expect(await ids({})).toEqual(['b', 'c', 'a'])
      expect(await ids({ group_name: 'g1' })).toEqual(['c', 'a'])
      expect(await ids({ key_hash: k2!.key_hash })).toEqual(['b', 'c'])
      expect(await ids({ model: 'm2' })).toEqual(['b'])
      expect(await ids({ is_success: true })).toEqual(['a'])
      expect(await ids({ is_success: false })).toEqual(['b', 'c'])
      expect(await ids({ status_code: 429 })).toEqual(['c'])
      expect(await ids({ source_ip: 'ip2' })).toEqual(['b'])
      expect(await ids({ error_contains: 'api KEY' })).toEqual(['b'])
      // LIKE wildcards in the search text match themselves
      expect(await ids({ error_contains: '100%_' })).toEqual(['c'])
      expect(await ids({ error_contains: '_' })).toEqual(['c'])
      expect(await ids({ start_time: T0 + 1 })).toEqual(['b', 'c'])
      expect(await ids({ end_time: T0 + 1 })).toEqual(['a'])
      expect(await ids({ group_name: 'g1', is_success: false, start_time: T0, end_time: T0 + 5 })).toEqual(['c'])
    })

    test('queryLogs paginates from page 1', async () => {
      await store.insertLogs(Array.from({ length: 25 }, (_, i) => logRow({ path: `p${i}`, timestamp: T0 + i })))
      const p1 = await store.queryLogs({ page: 1, page_size: 10 })
      const p3 = await store.queryLogs({ page: 3, page_size: 10 })
      expect([p1.total, p1.items[0]?.path, p1.items.length]).toEqual([25, 'p24', 10])
      expect([p3.total, p3.items.map((r) => r.path)]).toEqual([25, ['p4', 'p3', 'p2', 'p1', 'p0']])
    })

    test('insertLogs takes a large batch', async () => {
      await store.insertLogs(Array.from({ length: 5000 }, (_, i) => logRow({ timestamp: T0 + i })))
      expect((await store.queryLogs({ page: 1, page_size: 1 })).total).toBe(5000)
    })

    test('deleteLogsBefore removes older rows and counts them', async () => {
      await store.insertLogs([0, 1, 2, 3].map((i) => logRow({ path: `p${i}`, timestamp: T0 + i })))
      expect(await store.deleteLogsBefore(T0 + 2)).toBe(2)
      expect(await ids({})).toEqual(['p3', 'p2'])
    })

    test('addHourlyStats adds to existing counters; hourlyStats returns [since, until)', async () => {
      await store.addHourlyStats([stat(T0, 1, 1), stat(T0, 2, 1), stat(T0 + HOUR, 1, 1)])
      // same (hour, group) twice in one batch and again in a later batch
      await store.addHourlyStats([stat(T0, 1, 2), stat(T0, 1, 3)])
      await store.addHourlyStats([])
      expect(await store.hourlyStats(T0, T0 + 2 * HOUR)).toEqual([stat(T0, 1, 6), stat(T0, 2, 1), stat(T0 + HOUR, 1, 1)])
      expect(await store.hourlyStats(T0, T0 + HOUR)).toEqual([stat(T0, 1, 6), stat(T0, 2, 1)])
      expect(await store.hourlyStats(T0 + 1, T0 + 2 * HOUR, 1)).toEqual([stat(T0 + HOUR, 1, 1)])
      expect(await store.hourlyStats(T0, T0 + 2 * HOUR, 2)).toEqual([stat(T0, 2, 1)])
    })
  })
}
