/** The response cache's Redis port over the cluster's node-redis client: replies as bytes, a TTL on every write. */
import { RESP_TYPES } from 'redis'
import type { CacheRedisClient } from '../cache/redis'
import type { RedisClient } from './redis-client'

export function cacheRedisClient(client: RedisClient): CacheRedisClient {
  // the same connection, with bulk strings read as Buffers (an entry holds raw, possibly compressed, bytes)
  const bytes = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })
  return {
    get: (key) => bytes.get(key) as Promise<Uint8Array | null>,
    set: (key, value, ttlMs) => bytes.set(key, Buffer.from(value.buffer, value.byteOffset, value.byteLength), { expiration: { type: 'PX', value: ttlMs } }),
  }
}
