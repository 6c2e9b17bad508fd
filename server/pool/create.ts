/** Chooses the key pool once from the config: Redis when a client is given (cluster), memory otherwise. */
import type { KeyStateUpdate } from '../../db/types'
import type { Clock } from '../deps'
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
}

export function createKeyPool(opts: CreateKeyPoolOptions): KeyPool {
  const { redis, prefix = 'keypool:', persist, clock, flushIntervalMs } = opts
  if (redis) return new RedisKeyPool({ client: redis, prefix, persist, clock, flushIntervalMs })
  return new MemoryKeyPool({ persist, clock, flushIntervalMs })
}
