/**
 * The behaviour every Store backend must have. Each backend's test file calls `storeSuite` with a function that
 * opens a fresh, empty store (a new :memory: db, temp file or PG schema) using the cipher it is given.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { identityCipher } from '../../db/cipher'
import type { BackendStore } from '../../db/backend'
import type { KeyCipher } from '../../db/types'
import { newGroup } from './fixtures'
import { costSuite } from './store-cost.suite'
import { keySuite } from './store-keys.suite'
import { logSuite } from './store-logs.suite'
import { rewriteSuite } from './store-rewrite.suite'
import { accessKeySuite } from './store-access-keys.suite'

export type OpenStore = (cipher: KeyCipher) => Promise<BackendStore>

export function storeSuite(label: string, open: OpenStore): void {
  describe(`${label}: settings, meta, groups`, () => {
    let store: BackendStore
    beforeEach(async () => {
      store = await open(identityCipher)
    })
    afterEach(async () => {
      await store.close()
    })

    test('ping answers true', async () => {
      expect(await store.ping()).toBe(true)
    })

    test('settings are upserted and read back', async () => {
      expect(await store.getSettings()).toEqual({})
      await store.putSettings({ a: '1', b: '"x"' })
      await store.putSettings({ a: '2' })
      expect(await store.getSettings()).toEqual({ a: '2', b: '"x"' })
    })

    test('meta values are upserted; a missing one is null', async () => {
      expect(await store.getMeta('nope')).toBeNull()
      await store.setMeta('k', 'v1')
      await store.setMeta('k', 'v2')
      expect(await store.getMeta('k')).toBe('v2')
    })

    test('initMeta sets a value only when there is none and returns what is stored', async () => {
      expect(await store.initMeta('salt', 'first')).toBe('first')
      expect(await store.initMeta('salt', 'second')).toBe('first')
      expect(await store.getMeta('salt')).toBe('first')
    })

    test('a group round-trips every field, JSON ones included', async () => {
      const input = newGroup('full', {
        group_type: 'aggregate',
        channel_type: 'anthropic',
        upstreams: [{ url: 'https://a', weight: 3 }, { url: 'https://b', weight: 1 }],
        param_overrides: { temperature: 0.2, nested: { a: [1, 2] } },
        model_redirect_rules: { 'gpt-4': 'gpt-4o' },
        model_redirect_strict: true,
        header_rules: [{ key: 'X-A', value: '1', action: 'set' }, { key: 'X-B', value: '', action: 'remove' }],
        config: { max_retries: 5, proxy_url: 'http://p' },
        proxy_keys: 'k1,k2',
        sub_groups: [{ group_id: 7, weight: 2 }],
        sort: 4,
      })
      const created = await store.createGroup(input)
      expect(created.id).toBeGreaterThan(0)
      expect(created.created_at).toBeGreaterThan(0)
      expect(created.updated_at).toBe(created.created_at)
      expect(created).toEqual({ ...input, id: created.id, created_at: created.created_at, updated_at: created.updated_at })
      expect(await store.getGroup(created.id)).toEqual(created)
      expect(await store.getGroupByName('full')).toEqual(created)
      expect(await store.getGroup(created.id + 1000)).toBeNull()
      expect(await store.getGroupByName('missing')).toBeNull()
    })

    test('group names are unique', async () => {
      await store.createGroup(newGroup('same'))
      await expect(store.createGroup(newGroup('same'))).rejects.toThrow()
    })

    test('updateGroup changes only the given fields', async () => {
      const g = await store.createGroup(newGroup('upd'))
      const updated = await store.updateGroup(g.id, { description: 'new', config: { max_retries: 1 } })
      expect(updated).toEqual({ ...g, description: 'new', config: { max_retries: 1 }, updated_at: updated!.updated_at })
      expect(updated!.updated_at).toBeGreaterThanOrEqual(g.updated_at)
      expect(await store.getGroup(g.id)).toEqual(updated)
      expect(await store.updateGroup(g.id + 1000, { description: 'x' })).toBeNull()
    })

    test('listGroups orders by sort then id; reorderGroups rewrites sort', async () => {
      const a = await store.createGroup(newGroup('a', { sort: 2 }))
      const b = await store.createGroup(newGroup('b', { sort: 1 }))
      const c = await store.createGroup(newGroup('c', { sort: 1 }))
      expect((await store.listGroups()).map((g) => g.name)).toEqual(['b', 'c', 'a'])
      await store.reorderGroups([{ id: a.id, sort: 0 }, { id: b.id, sort: 5 }, { id: c.id, sort: 3 }])
      expect((await store.listGroups()).map((g) => [g.name, g.sort])).toEqual([['a', 0], ['c', 3], ['b', 5]])
    })

    test('deleteGroup removes its keys and hourly stats, keeps request logs and other groups', async () => {
      const g = await store.createGroup(newGroup('gone'))
      const other = await store.createGroup(newGroup('stays'))
      await store.addKeys(g.id, ['k1', 'k2'])
      await store.addKeys(other.id, ['k1'])
      await store.addHourlyStats([
        { hour: 0, group_id: g.id, success_count: 1, failure_count: 0, prompt_tokens: 0, completion_tokens: 0, access_key_id: 0, model: '', cost_micros: 0, cache_hits: 0 },
        { hour: 0, group_id: other.id, success_count: 2, failure_count: 0, prompt_tokens: 0, completion_tokens: 0, access_key_id: 0, model: '', cost_micros: 0, cache_hits: 0 },
      ])
      await store.insertLogs([
        {
          timestamp: 1, group_id: g.id, group_name: 'gone', key_id: null, key_hash: '', key_masked: '', model: '',
          method: 'GET', path: '/', status_code: 200, is_success: true, duration_ms: 1, ttfb_ms: null,
          is_stream: false, attempt: 1, retries: 0, upstream: '', source_ip: '', user_agent: '', error_message: '',
          prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, request_body: null, request_type: 'final', protocol_in: '', protocol_out: '',
          access_key_id: null, cost_micros: 0, priced: false, cached_tokens: 0, cache_write_tokens: 0, tier: 0, cache_hit: false,
        },
      ])
      expect(await store.deleteGroup(g.id)).toBe(true)
      expect(await store.deleteGroup(g.id)).toBe(false)
      expect(await store.getGroup(g.id)).toBeNull()
      expect(await store.groupKeys(g.id)).toEqual([])
      expect((await store.groupKeys(other.id)).map((k) => k.key_value)).toEqual(['k1'])
      expect((await store.hourlyStats(0, 1)).map((s) => s.group_id)).toEqual([other.id])
      expect((await store.queryLogs({ group_name: 'gone', page: 1, page_size: 10 })).total).toBe(1)
    })
  })

  keySuite(label, open)
  logSuite(label, open)
  costSuite(label, open)
  rewriteSuite(label, open)
  accessKeySuite(label, open)
}
