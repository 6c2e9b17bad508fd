/**
 * Every access key in memory, by the HMAC of its secret: the proxy finds a caller's key without a database read.
 * Reloaded whole on a change (this node's admin write, or another node's through the config bus); keys are few.
 * `last_used_at` is collected here and written in batches off the request path.
 */
import type { AccessKeyStore } from '../../db/types'
import type { Clock } from '../shared/clock'
import { log } from '../shared/logger'
import { compileAccessKey, type CompiledAccessKey } from './compiled'
import { looksLikeAccessKey, type AccessKeyHasher } from './secret'

export type ChangeOrigin = 'local' | 'remote'
type Listener = (origin: ChangeOrigin) => void | Promise<unknown>

const TOUCH_INTERVAL_MS = 30_000
/** secrets seen lately and found, so a busy key is not hashed on every request (misses are never kept) */
const RECENT_MAX = 10_000

export class AccessKeyRegistry {
  private byHash = new Map<string, CompiledAccessKey>()
  private byId = new Map<number, CompiledAccessKey>()
  private recent = new Map<string, CompiledAccessKey>()
  private readonly listeners = new Set<Listener>()
  private uses = new Map<number, number>()
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly store: AccessKeyStore,
    readonly hasher: AccessKeyHasher,
    private readonly clock: Clock,
  ) {}

  async load(): Promise<void> {
    const rows = await this.store.listAccessKeys()
    const byHash = new Map<string, CompiledAccessKey>()
    const byId = new Map<number, CompiledAccessKey>()
    for (const row of rows) {
      const k = compileAccessKey(row)
      byHash.set(row.key_hash, k)
      byId.set(row.id, k)
    }
    this.byHash = byHash
    this.byId = byId
    // a rotated or deleted key must not be found through a secret seen before the change
    this.recent = new Map()
  }

  /** The access key a client presented, or undefined (a proxy key or nothing known). */
  find(key: string | null): CompiledAccessKey | undefined {
    if (key === null || this.byHash.size === 0 || !looksLikeAccessKey(key)) return undefined
    const seen = this.recent.get(key)
    if (seen) return seen
    const found = this.byHash.get(this.hasher.hash(key))
    if (found) {
      if (this.recent.size >= RECENT_MAX) this.recent.clear()
      this.recent.set(key, found)
    }
    return found
  }

  get(id: number): CompiledAccessKey | undefined {
    return this.byId.get(id)
  }

  all(): CompiledAccessKey[] {
    return [...this.byId.values()]
  }

  /** Reload after a change and tell the listeners (the cluster sync publishes local changes). */
  async changed(origin: ChangeOrigin): Promise<void> {
    await this.load()
    await Promise.all([...this.listeners].map((l) => l(origin)))
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  used(id: number, at: number): void {
    this.uses.set(id, at)
    this.timer ??= setInterval(() => void this.flushUses(), TOUCH_INTERVAL_MS)
    ;(this.timer as { unref?: () => void }).unref?.()
  }

  async flushUses(): Promise<void> {
    if (this.uses.size === 0) return
    const batch = [...this.uses].map(([id, last_used_at]) => ({ id, last_used_at }))
    this.uses = new Map()
    try {
      await this.store.touchAccessKeys(batch)
    } catch (err) {
      log.warn('writing access keys last_used_at failed', { error: String(err) })
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.flushUses()
  }

  now(): number {
    return this.clock.now()
  }
}
