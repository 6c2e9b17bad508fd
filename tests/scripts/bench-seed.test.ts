/**
 * The bench's seeding (scripts/bench-seed.ts) leaves a data directory keypool opens as written: the translated
 * anthropic group with its keys and protocol_translation on, and an access key whose secret matches its stored hash
 * and whose RPM limit is set (so the counters run) far above any bench.
 */
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../db/open'
import { loadAccessKeyHasher } from '../../server/access/secret'
import { BENCH_ACCESS_RPM, seedBench } from '../../scripts/bench-seed'

const dir = mkdtempSync(join(tmpdir(), 'keypool-bench-seed-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('seeds the translated group, its keys and a limited access key into DATA_DIR', async () => {
  const seed = await seedBench(dir, 'http://127.0.0.1:18080', ['sk-seed-1', 'sk-seed-2'])
  const store = await openStore({ dsn: '', dataDir: dir })
  try {
    const group = await store.getGroupByName(seed.translatedGroup)
    expect(group?.channel_type).toBe('anthropic')
    expect(group?.upstreams).toEqual([{ url: 'http://127.0.0.1:18080', weight: 1 }])
    expect(group?.config).toEqual({ protocol_translation: true })
    expect((await store.countKeysByStatus(group!.id)).active).toBe(2)
    const [ak, ...others] = await store.listAccessKeys()
    expect(others).toEqual([])
    expect(ak!.rpm_limit).toBe(BENCH_ACCESS_RPM)
    expect(ak!.enabled).toBe(true)
    expect(ak!.groups).toEqual([])
    const hasher = await loadAccessKeyHasher(store, store.cipher)
    expect(ak!.key_hash).toBe(hasher.hash(seed.accessKey))
  } finally {
    await store.close()
  }
})
