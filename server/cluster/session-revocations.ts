/** Admin logouts in Redis, so every node refuses a session logged out on any of them. */
import type { SharedRevocations } from '../admin/session'
import type { RedisClient } from './redis-client'

/** Each logout is kept until the session would have expired anyway. */
export function sharedRevocations(redis: RedisClient, prefix: string): SharedRevocations {
  const key = (id: string) => `${prefix}session-revoked:${id}`
  return {
    async add(id, expiresAt) {
      await redis.set(key(id), '1', { PXAT: expiresAt })
    },
    async has(id) {
      return (await redis.exists(key(id))) === 1
    },
  }
}
