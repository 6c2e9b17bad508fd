/** Where the response cache keeps its entries: in process (one node) or in Redis (a cluster). */
import type { CachedAnswer } from './entry'

export interface CacheStore {
  readonly kind: 'memory' | 'redis'
  /** null = a miss (absent, stale, or the backend failed: a cache fault is never the request's error) */
  get(key: string): Promise<CachedAnswer | null>
  set(key: string, entry: CachedAnswer, ttlMs: number): Promise<void>
}
