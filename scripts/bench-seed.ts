/**
 * Seeds a bench data directory before keypool starts on it, the way the CLI's data commands do (the store opened
 * from DATA_DIR, the access key made by `keypool access-keys create`'s own code): an Anthropic group on the bench's
 * mock with protocol translation on, and an access key whose RPM limit is far above anything a bench can send.
 * Quick mode (KEYS_FILE) still creates the native openai group `default` when keypool starts.
 */
import { newGroup } from '../db/new-group'
import { openStore } from '../db/open'
import { createAccessKeyCli } from '../server/cli/access-keys-commands'

export const TRANSLATED_GROUP = 'bench-anthropic'
/** requests per minute: limited (admitted by the counters: on Redis, from the local allowance), never refusing */
export const BENCH_ACCESS_RPM = 1_000_000_000

export interface BenchSeed {
  /** the access key's secret, sent as Bearer */
  accessKey: string
  translatedGroup: string
}

export async function seedBench(dataDir: string, upstreamUrl: string, poolKeys: string[]): Promise<BenchSeed> {
  const store = await openStore({ dsn: '', dataDir })
  try {
    const group = await store.createGroup(
      newGroup(TRANSLATED_GROUP, {
        channel_type: 'anthropic',
        upstreams: [{ url: upstreamUrl, weight: 1 }],
        test_model: 'claude-3-5-haiku-latest',
        config: { protocol_translation: true },
      }),
    )
    await store.addKeys(group.id, poolKeys)
    const { key } = await createAccessKeyCli(store, 'bench', { rpm: String(BENCH_ACCESS_RPM), notes: 'bun run bench' })
    return { accessKey: key, translatedGroup: group.name }
  } finally {
    await store.close()
  }
}
