// The access_keys table for a Store backend (part of storeSuite).
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { BackendStore } from '../../db/backend'
import { identityCipher } from '../../db/cipher'
import type { KeyCipher, NewAccessKey } from '../../db/types'

export function accessKey(name: string, over: Partial<NewAccessKey> = {}): NewAccessKey {
  return {
    name,
    key_prefix: 'kp-abcde',
    key_hash: `hash-${name}`,
    enabled: true,
    expires_at: null,
    groups: [],
    models: [],
    ip_allowlist: [],
    rpm_limit: 0,
    tpm_limit: 0,
    max_concurrency: 0,
    token_budget: 0,
    cost_budget_usd: 0,
    budget_period: 'month',
    notes: '',
    ...over,
  }
}

export function accessKeySuite(label: string, open: (cipher: KeyCipher) => Promise<BackendStore>): void {
  describe(`${label}: access keys`, () => {
    let store: BackendStore
    beforeEach(async () => {
      store = await open(identityCipher)
    })
    afterEach(async () => {
      await store.close()
    })

    test('an access key round-trips every field, lists included', async () => {
      const input = accessKey('team-a', {
        expires_at: 1_900_000_000_000,
        groups: ['openai', 'claude'],
        models: ['gpt-4o*', 'claude-*'],
        ip_allowlist: ['10.0.0.0/8', '::1'],
        rpm_limit: 60,
        tpm_limit: 100_000,
        max_concurrency: 4,
        token_budget: 5_000_000_000,
        cost_budget_usd: 12.5,
        budget_period: 'week',
        notes: 'for the team',
      })
      const created = await store.createAccessKey(input)
      expect(created).toEqual({ ...input, id: created.id, created_at: created.created_at, updated_at: created.created_at, last_used_at: null })
      expect(await store.getAccessKey(created.id)).toEqual(created)
      expect(await store.listAccessKeys()).toEqual([created])
      expect(await store.getAccessKey(created.id + 100)).toBeNull()
    })

    test('names and hashes are unique', async () => {
      await store.createAccessKey(accessKey('a'))
      await expect(store.createAccessKey(accessKey('a', { key_hash: 'other' }))).rejects.toThrow()
      await expect(store.createAccessKey(accessKey('b', { key_hash: 'hash-a' }))).rejects.toThrow()
    })

    test('update changes only the given fields; delete removes the row', async () => {
      const a = await store.createAccessKey(accessKey('a'))
      const b = await store.createAccessKey(accessKey('b'))
      const u = await store.updateAccessKey(a.id, { enabled: false, models: ['x*'], key_hash: 'rotated', key_prefix: 'kp-zzzzz' })
      expect(u).toEqual({ ...a, enabled: false, models: ['x*'], key_hash: 'rotated', key_prefix: 'kp-zzzzz', updated_at: u!.updated_at })
      expect(await store.updateAccessKey(a.id + 100, { notes: 'x' })).toBeNull()
      expect(await store.deleteAccessKey(a.id)).toBe(true)
      expect(await store.deleteAccessKey(a.id)).toBe(false)
      expect((await store.listAccessKeys()).map((k) => k.id)).toEqual([b.id])
    })

    test('touchAccessKeys writes last_used_at in one batch and never moves it back', async () => {
      const a = await store.createAccessKey(accessKey('a'))
      const b = await store.createAccessKey(accessKey('b'))
      await store.touchAccessKeys([{ id: a.id, last_used_at: 2000 }, { id: b.id, last_used_at: 1000 }])
      await store.touchAccessKeys([{ id: a.id, last_used_at: 1500 }])
      await store.touchAccessKeys([])
      expect((await store.listAccessKeys()).map((k) => k.last_used_at)).toEqual([2000, 1000])
    })
  })
}
