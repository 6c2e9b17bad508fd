/** Chooses the cache's store once from the config: Redis for a cluster node, else the in-process LRU. */
import type { Clock } from '../shared/clock'
import { MemoryCacheStore } from './memory'
import { RedisCacheStore, type CacheRedisClient } from './redis'
import { ResponseCache } from './service'

export interface CreateCacheOptions {
  maxBytes: number
  clock: Clock
  redis?: CacheRedisClient
  /** Redis key namespace (REDIS_KEY_PREFIX); the cache adds `cache:` */
  prefix?: string
}

export function createResponseCache(o: CreateCacheOptions): ResponseCache {
  const store = o.redis ? new RedisCacheStore(o.redis, `${o.prefix ?? 'keypool:'}cache:`, o.clock) : new MemoryCacheStore(o.maxBytes, o.clock)
  return new ResponseCache(store, o.clock)
}
