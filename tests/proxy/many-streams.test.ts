/**
 * 1,000 concurrent SSE streams through one keypool process: every stream complete, no chunk lost.
 * The node and the load run as their own processes (as users run them; `bun test` ignores
 * BUN_CONFIG_MAX_HTTP_REQUESTS, which would cap in-process fetch at 256 requests in flight).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'bun:test'
import { startFakeUpstream } from '../support/fake-upstream'
import { spawnNode } from '../support/spawn-node'

const STREAMS = 1000
const CHUNKS = 10

test(`${STREAMS} concurrent streams through a keypool process lose no chunk`, async () => {
  await using upstream = await startFakeUpstream()
  const dir = mkdtempSync(join(tmpdir(), 'keypool-streams-'))
  try {
    const keysFile = join(dir, 'keys.txt')
    writeFileSync(keysFile, Array.from({ length: 20 }, (_, i) => `sk-good-${i}`).join('\n'))
    await using node = await spawnNode({
      DATA_DIR: dir,
      AUTH_KEY: 'stream-test-key-123',
      KEYS_FILE: keysFile,
      OPENAI_BASE_URL: upstream.url,
      MAX_CONCURRENT_REQUESTS: '5000',
    })
    const load = Bun.spawn(
      [process.execPath, join(import.meta.dir, '../support/sse-load.ts'), `${node.url}/v1/chat/completions`, String(STREAMS), String(CHUNKS), JSON.stringify({ authorization: 'Bearer stream-test-key-123' })],
      { env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: '16384' }, stdout: 'pipe', stderr: 'inherit' },
    )
    const result = JSON.parse(await new Response(load.stdout).text()) as { total: number; ok: number; statuses: number[]; contentChunks: number[] }
    expect({ ...result, contentChunks: undefined }).toEqual({ total: STREAMS, ok: STREAMS, statuses: [200], contentChunks: undefined })
    // every stream carried the same number of content events (none lost), at least the CHUNKS asked for
    expect(result.contentChunks.length).toBe(1)
    expect(result.contentChunks[0]!).toBeGreaterThanOrEqual(CHUNKS)
    // the upstream saw them concurrently and evenly spread over the keys
    const perKey = new Map<string, number>()
    for (const r of upstream.requests) perKey.set(r.key!, (perKey.get(r.key!) ?? 0) + 1)
    expect(new Set(perKey.values())).toEqual(new Set([STREAMS / 20]))
    expect(await node.stop()).toBe(0)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
