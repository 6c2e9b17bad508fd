/**
 * One keypool node as the benchmarks run it (scripts/bench.ts through the harness, scripts/bench-pairs.ts on its
 * own): a fresh data directory with 100 pool keys and the bench seed, the environment `bun start` gets there, and
 * a cleanup that removes the directory and the run's own Redis keys (the shared Redis is never flushed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seedBench, type BenchSeed } from './bench-seed'

export const BENCH_PORT = 3001
export const BENCH_CLIENT_KEY = 'sk-bench-client-of-keypool'
const POOL_KEYS = Array.from({ length: 100 }, (_, i) => `sk-bench-pool-${i}`)

export interface BenchNode {
  env: Record<string, string>
  seed: BenchSeed
  cleanup(): void
}

/** `redisDsn`: the pool and the access-key counters in Redis, under a key prefix of this run's own. */
export async function benchNode(name: string, upstream: string, redisDsn?: string): Promise<BenchNode> {
  const data = mkdtempSync(join(tmpdir(), `keypool-bench-${name}-`))
  const keysFile = join(data, 'keys.txt')
  writeFileSync(keysFile, POOL_KEYS.join('\n'))
  const seed = await seedBench(data, upstream, POOL_KEYS)
  const prefix = `keypool-bench-${process.pid}-${Date.now()}-${name}:`
  const env: Record<string, string> = {
    DATA_DIR: data,
    KEYS_FILE: keysFile,
    OPENAI_BASE_URL: upstream,
    AUTH_KEY: BENCH_CLIENT_KEY,
    ...(redisDsn ? { REDIS_DSN: redisDsn, REDIS_KEY_PREFIX: prefix } : {}),
    PORT: String(BENCH_PORT),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    MAX_CONCURRENT_REQUESTS: '20000',
  }
  return {
    env,
    seed,
    cleanup() {
      rmSync(data, { recursive: true, force: true })
      if (redisDsn) Bun.spawnSync(['sh', '-c', `redis-cli -u ${redisDsn} --scan --pattern '${prefix}*' | xargs -r redis-cli -u ${redisDsn} del >/dev/null`])
    },
  }
}
