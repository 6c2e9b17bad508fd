/**
 * The cluster's alert queue: a node that does not lead pushes its events onto a Redis list; the leader pops
 * them at each alert tick and sends them. A list (not pub/sub) so events raised while leadership moves wait for
 * the next leader instead of being lost. Bounded: a leaderless cluster keeps only the newest events.
 */
import type { Alert, AlertQueue } from '../alerts/types'
import type { RedisClient } from './redis-client'

const MAX_QUEUED = 10_000

export function redisAlertQueue(redis: RedisClient, prefix: string): AlertQueue {
  const key = `${prefix}alerts:queue`
  return {
    async push(alert) {
      await redis.multi().rPush(key, JSON.stringify(alert)).lTrim(key, -MAX_QUEUED, -1).exec()
    },
    async drain(max) {
      const items = (await redis.lPopCount(key, max)) ?? []
      const out: Alert[] = []
      for (const item of items) {
        try {
          out.push(JSON.parse(String(item)) as Alert)
        } catch {
          // a foreign or damaged entry is dropped rather than blocking the queue
        }
      }
      return out
    },
  }
}
