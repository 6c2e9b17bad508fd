/**
 * The cluster store: one Redis string per entry under `{prefix}cache:{hash}`, with Redis's own TTL so stale
 * entries leave by themselves. Every Redis failure (down, slow, a damaged value) is a miss or a skipped store,
 * never the request's error; a slow Redis is given up after a short wait so it cannot hold a request.
 */
import { log } from '../shared/logger'
import { decodeEntry, encodeEntry, type CachedAnswer } from './entry'
import type { Clock } from '../shared/clock'
import type { CacheStore } from './types'

/** The commands the store uses, on a client whose replies are Buffers (server/bootstrap.ts adapts node-redis). */
export interface CacheRedisClient {
  get(key: string): Promise<Uint8Array | null>
  set(key: string, value: Uint8Array, ttlMs: number): Promise<unknown>
}

const WAIT_MS = 250
/** one warning per this long while Redis keeps failing */
const WARN_EVERY_MS = 60_000

export class RedisCacheStore implements CacheStore {
  readonly kind = 'redis' as const
  private lastWarn = -Infinity

  constructor(
    private readonly client: CacheRedisClient,
    private readonly prefix: string,
    private readonly clock: Clock,
  ) {}

  async get(key: string): Promise<CachedAnswer | null> {
    try {
      const bytes = await within(this.client.get(this.prefix + key))
      if (!bytes) return null
      const e = decodeEntry(bytes)
      return e && e.expiresAt > this.clock.now() ? e : null
    } catch (err) {
      this.warn('read', err)
      return null
    }
  }

  async set(key: string, e: CachedAnswer, ttlMs: number): Promise<void> {
    try {
      await within(this.client.set(this.prefix + key, encodeEntry(e), Math.max(1, Math.ceil(ttlMs))))
    } catch (err) {
      this.warn('write', err)
    }
  }

  private warn(op: string, err: unknown): void {
    const now = Date.now()
    if (now - this.lastWarn < WARN_EVERY_MS) return
    this.lastWarn = now
    log.warn(`response cache: Redis ${op} failed, answering as a miss`, { error: String(err) })
  }
}

function within<T>(p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${WAIT_MS} ms`)), WAIT_MS)
  })
  return Promise.race([p, late]).finally(() => clearTimeout(timer))
}
