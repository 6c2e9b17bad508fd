/**
 * Shared by the cluster tests: the real Redis at TEST_REDIS_URL, a unique key prefix per run, a bounded poll and a
 * log that records instead of printing. Redis unreachable: the suites skip, or fail in CI (tests/support/ci-gate.ts).
 */
import { describe } from 'bun:test'
import { serviceGate } from '../support/ci-gate'
import { connectRedis, type RedisClient } from '../../server/cluster/redis-client'
import type { ClusterLog } from '../../server/cluster/types'

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

async function probe(): Promise<boolean> {
  try {
    const client = await connectRedis(REDIS_URL, { connectTimeoutMs: 2000, log: recordingLog() })
    client.destroy()
    return true
  } catch (err) {
    return serviceGate('cluster tests', `Redis unreachable at ${REDIS_URL}: ${err instanceof Error ? err.message : String(err)}`, 'set TEST_REDIS_URL')
  }
}

export const redisUp = await probe()
export const describeRedis = describe.skipIf(!redisUp)

export function uniquePrefix(): string {
  return `keypool-test:${crypto.randomUUID()}:`
}

export interface RecordingLog extends ClusterLog {
  lines: string[]
}

export function recordingLog(): RecordingLog {
  const lines: string[] = []
  return { lines, info: (m) => void lines.push(`info ${m}`), warn: (m) => void lines.push(`warn ${m}`) }
}

/** Clients opened through here are destroyed and the prefix's keys removed by `closeAll`. */
export class RedisFixture {
  readonly prefix = uniquePrefix()
  readonly log = recordingLog()
  private readonly clients: RedisClient[] = []

  async connect(name?: string): Promise<RedisClient> {
    const client = await connectRedis(REDIS_URL, { name, log: this.log })
    this.clients.push(client)
    return client
  }

  async closeAll(): Promise<void> {
    const admin = await connectRedis(REDIS_URL, { log: this.log })
    for await (const keys of admin.scanIterator({ MATCH: `${this.prefix}*` })) {
      if (keys.length > 0) await admin.del(keys)
    }
    admin.destroy()
    for (const client of this.clients) client.destroy()
  }
}

/** Polls `cond` every 10 ms; throws with `what` once `withinMs` has passed without it holding. */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, withinMs = 5000): Promise<void> {
  const deadline = Date.now() + withinMs
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${withinMs} ms waiting for: ${what}`)
    await Bun.sleep(10)
  }
}
