/**
 * Chooses the key pool once from the config: memory without Redis; with Redis (cluster) the shared pool, behind
 * the failover that serves from a local pool while Redis is unreachable (when the store can be read back).
 */
import type { ApiKey, KeyStateUpdate } from '../../db/types'
import type { Clock } from '../shared/clock'
import { FailoverKeyPool } from './failover'
import { MemoryKeyPool } from './memory'
import { RedisKeyPool, type PoolRedisClient } from './redis'
import type { KeyPool } from './types'

export interface CreateKeyPoolOptions {
  /** a connected node-redis client (server/cluster/redis-client.ts); absent = in-process pool */
  redis?: PoolRedisClient
  /** Redis key namespace; default 'keypool:' */
  prefix?: string
  persist: (updates: KeyStateUpdate[]) => Promise<void>
  clock: Clock
  flushIntervalMs?: number
  /** a group's keys from the store: reloads a group whose state Redis lost, seeds the local pool of an outage */
  reload?: (groupId: number) => Promise<ApiKey[]>
}

/** how long the probe of a degraded pool waits for PONG */
const PROBE_TIMEOUT_MS = 1000

export function createKeyPool(opts: CreateKeyPoolOptions): KeyPool {
  const { redis, prefix = 'keypool:', persist, clock, flushIntervalMs, reload } = opts
  const newLocal = () => new MemoryKeyPool({ persist, clock, flushIntervalMs })
  if (!redis) return newLocal()
  const shared = new RedisKeyPool({ client: redis, prefix, persist, clock, flushIntervalMs, reload })
  if (!reload) return shared
  const probe = () =>
    Promise.race([redis.ping().then((r) => r === 'PONG', () => false), Bun.sleep(PROBE_TIMEOUT_MS).then(() => false)])
  const pool = new FailoverKeyPool({ shared, newLocal, reload, probe })
  // a dropped connection degrades the pool at once, not at the next request
  redis.on?.('error', (err: unknown) => pool.redisLost(err))
  return pool
}
