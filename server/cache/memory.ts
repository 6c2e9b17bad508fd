/**
 * The in-process store: an LRU bounded in bytes (CACHE_MAX_MB). A Map keeps insertion order, so a hit is moved to
 * the end and eviction takes from the front; both O(1).
 */
import type { Clock } from '../shared/clock'
import { entrySize, type CachedAnswer } from './entry'
import type { CacheStore } from './types'

export class MemoryCacheStore implements CacheStore {
  readonly kind = 'memory' as const
  private readonly entries = new Map<string, { e: CachedAnswer; size: number }>()
  private used = 0

  constructor(
    private readonly maxBytes: number,
    private readonly clock: Clock,
  ) {}

  async get(key: string): Promise<CachedAnswer | null> {
    const found = this.entries.get(key)
    if (!found) return null
    this.entries.delete(key)
    if (found.e.expiresAt <= this.clock.now()) {
      this.used -= found.size
      return null
    }
    this.entries.set(key, found)
    return found.e
  }

  async set(key: string, e: CachedAnswer): Promise<void> {
    const size = entrySize(key, e)
    if (size > this.maxBytes) return
    const old = this.entries.get(key)
    if (old) {
      this.entries.delete(key)
      this.used -= old.size
    }
    this.entries.set(key, { e, size })
    this.used += size
    for (const [k, v] of this.entries) {
      if (this.used <= this.maxBytes) break
      this.entries.delete(k)
      this.used -= v.size
    }
  }

  /** bytes held and entries (tests of the bound) */
  usage(): { bytes: number; entries: number } {
    return { bytes: this.used, entries: this.entries.size }
  }
}
