import { describe, expect, test } from 'bun:test'
import { openSqliteStore } from '../../db/sqlite-store'
import { identityCipher } from '../../db/cipher'
import { parseStatusRanges, SettingsService, validateSettings } from '../../server/config/settings'

describe('dynamic settings', () => {
  test('defaults, persisted updates, reload, group overrides', async () => {
    const store = await openSqliteStore(':memory:', identityCipher)
    const s = new SettingsService(store)
    await s.load('admin-key-123')
    expect(s.get()).toMatchObject({ max_retries: 3, blacklist_threshold: 3, request_log_retention_days: 7, proxy_keys: 'admin-key-123' })
    const origins: string[] = []
    s.onChange((_v, origin) => origins.push(origin))
    await s.update({ max_retries: 5, proxy_keys: 'a,b' })
    expect(origins).toEqual(['local'])
    const again = new SettingsService(store)
    await again.load('ignored-after-first-start')
    expect(again.get()).toMatchObject({ max_retries: 5, proxy_keys: 'a,b' })
    expect(again.forGroup({ max_retries: 1, app_url: 'not-a-group-setting' })).toMatchObject({ max_retries: 1, blacklist_threshold: 3 })
    await store.close()
  })

  test('validation names the setting and writes nothing when one value is bad', async () => {
    const store = await openSqliteStore(':memory:', identityCipher)
    const s = new SettingsService(store)
    await s.load()
    await expect(s.update({ max_retries: 2, blacklist_threshold: -1 })).rejects.toThrow('blacklist_threshold must be at least 0')
    expect(s.get().max_retries).toBe(3)
    expect(() => validateSettings({ nope: 1 })).toThrow('unknown setting: nope')
    expect(() => validateSettings({ request_timeout: 'abc' })).toThrow('request_timeout must be an integer')
    expect(() => validateSettings({ app_url: 'x' }, true)).toThrow('app_url cannot be overridden per group')
    expect(() => validateSettings({ failover_status_codes: '400-x' })).toThrow('failover_status_codes')
    expect(() => validateSettings({ app_url: 'not a url' })).toThrow('app_url must be an http(s) URL or empty')
    expect(() => validateSettings({ proxy_url: 'ftp://x' })).toThrow('proxy_url must be an http(s) URL or empty')
    expect(validateSettings({ app_url: '', proxy_url: 'http://127.0.0.1:8080' })).toEqual({ app_url: '', proxy_url: 'http://127.0.0.1:8080' })
    await store.close()
  })

  test('failover status ranges in GPT-Load syntax', () => {
    const f = parseStatusRanges('400-403, 405-999')!
    expect([400, 403, 404, 405, 500].map(f)).toEqual([true, true, false, true, true])
    expect(parseStatusRanges('')).toBeNull()
    expect(() => parseStatusRanges('500-400')).toThrow()
  })
})
