/** Chooses the key pool once from the config: Redis when a client is given (cluster), memory otherwise. */
import type { ApiKey, KeyStateUpdate } from '../../db/types'
import type { Clock } from '../shared/clock'
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
  /** a group's keys from the store: the Redis pool reloads a group whose state Redis lost */
  reload?: (groupId: number) => Promise<ApiKey[]>
}

export function createKeyPool(opts: CreateKeyPoolOptions): KeyPool {
  const { redis, prefix = 'keypool:', persist, clock, flushIntervalMs, reload } = opts
  if (redis) return new RedisKeyPool({ client: redis, prefix, persist, clock, flushIntervalMs, reload })
  return new MemoryKeyPool({ persist, clock, flushIntervalMs })
}
