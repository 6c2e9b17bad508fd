/**
 * Key state writes, batched off the request path. Both pools put every change here: request counters add up,
 * state fields (status, cooling_until, failure_count) keep the latest value, so N reports of one key between two
 * flushes become one `KeyStateUpdate`. A failed write keeps its updates (merged under newer ones) for the next flush.
 */
import type { KeyStateUpdate } from '../../db/types'
import { log } from '../shared/logger'

export type PersistFn = (updates: KeyStateUpdate[]) => Promise<void>
export type KeyStatePatch = Omit<KeyStateUpdate, 'id' | 'requests' | 'last_used_at'>

export class PersistQueue {
  private pending = new Map<number, KeyStateUpdate>()
  /** the write in flight, so flushes never overlap and `flush()` can wait for it */
  private running: Promise<void> | null = null
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly persist: PersistFn,
    flushIntervalMs: number,
  ) {
    this.timer = setInterval(() => {
      // the timer must never throw: a failed write is logged and retried on the next tick
      this.flush().catch(() => {})
    }, flushIntervalMs)
    // a pending flush must not keep the process alive on its own
    this.timer.unref?.()
  }

  /** one request served by the key: +1 request, last_used_at = at */
  countUse(id: number, at: number): void {
    const u = this.entry(id)
    u.requests = (u.requests ?? 0) + 1
    u.last_used_at = Math.max(u.last_used_at ?? 0, at)
  }

  /** a state change of the key; later changes of the same field win */
  change(id: number, patch: KeyStatePatch): void {
    Object.assign(this.entry(id), patch)
  }

  get size(): number {
    return this.pending.size
  }

  /** Write everything queued so far; rejects when the write failed (the updates stay queued). */
  async flush(): Promise<void> {
    // wait for a write in flight, then write what came in meanwhile
    while (this.running) await this.running.catch(() => {})
    if (this.pending.size === 0) return
    const batch = this.pending
    this.pending = new Map()
    const write = this.write(batch)
    this.running = write
    try {
      await write
    } finally {
      this.running = null
    }
  }

  /** flush and stop the timer */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.flush()
  }

  private async write(batch: Map<number, KeyStateUpdate>): Promise<void> {
    try {
      await this.persist([...batch.values()])
    } catch (err) {
      this.requeue(batch)
      log.warn('key pool: writing key states failed; will retry', {
        keys: batch.size,
        error: err instanceof Error ? err.message : String(err),
      })
      throw err
    }
  }

  /** put a failed batch back under anything queued since: counters add up, newer state fields win */
  private requeue(batch: Map<number, KeyStateUpdate>): void {
    for (const [id, old] of batch) {
      const newer = this.pending.get(id)
      if (!newer) {
        this.pending.set(id, old)
        continue
      }
      const merged: KeyStateUpdate = { ...old, ...newer }
      if (old.requests !== undefined || newer.requests !== undefined) {
        merged.requests = (old.requests ?? 0) + (newer.requests ?? 0)
      }
      if (old.last_used_at !== undefined || newer.last_used_at !== undefined) {
        merged.last_used_at = Math.max(old.last_used_at ?? 0, newer.last_used_at ?? 0)
      }
      this.pending.set(id, merged)
    }
  }

  private entry(id: number): KeyStateUpdate {
    let u = this.pending.get(id)
    if (!u) {
      u = { id }
      this.pending.set(id, u)
    }
    return u
  }
}
