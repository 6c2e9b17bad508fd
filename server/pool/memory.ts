/**
 * The in-process key pool: all state in this node's memory, changes written to the store in batches through
 * `PersistQueue`. Outcome rules (shared with the Redis pool, tested by tests/pool/pool.suite.ts):
 * - success: consecutive failures and rate-limit repeats back to 0 (failure_count persisted only if it was not 0);
 *   never changes the status (a disabled or invalid key stays so).
 * - rate_limited: an active or cooling key cools until now + cooldownMs(retryAfterMs, repeats).
 * - key_failure: failures + 1; an active or cooling key turns invalid once failures reach a threshold > 0.
 * - neutral: only the counters.
 * loadGroup merges (same rule as Redis): the rows decide which keys exist; a key the pool already holds keeps its
 * live state (admin status changes go through `setStatus`); a new key starts from its row.
 */
import type { ApiKey, KeyStateUpdate, KeyStatus } from '../../db/types'
import type { Clock } from '../shared/clock'
import { cooldownMs } from './cooldown'
import { GroupKeys, type KeyEntry } from './memory-group'
import { PersistQueue, type PersistFn } from './persist-queue'
import type { GroupPoolStats, KeyOutcome, KeyPool, PickedKey, PoolPolicy, PoolStatus } from './types'

export interface MemoryKeyPoolOptions {
  persist: (updates: KeyStateUpdate[]) => Promise<void>
  clock: Clock
  flushIntervalMs?: number
}

export class MemoryKeyPool implements KeyPool {
  readonly kind = 'memory' as const
  private readonly groups = new Map<number, GroupKeys>()
  private readonly queue: PersistQueue
  private readonly clock: Clock

  constructor({ persist, clock, flushIntervalMs = 1000 }: MemoryKeyPoolOptions) {
    this.clock = clock
    this.queue = new PersistQueue(persist as PersistFn, flushIntervalMs)
  }

  status(): PoolStatus {
    return { mode: 'local', redisErrors: 0 }
  }

  async loadGroup(groupId: number, keys: ApiKey[]): Promise<void> {
    const now = this.clock.now()
    const old = this.groups.get(groupId)
    const group = new GroupKeys()
    for (const row of keys) {
      const live = old?.entries.get(row.id)
      const entry: KeyEntry = live
        ? { ...live, value: row.key_value, hash: row.key_hash, slot: -1 }
        : entryFromRow(groupId, row)
      if (entry.status === 'cooling' && (entry.coolingUntil ?? 0) <= now) {
        entry.status = 'active'
        entry.coolingUntil = null
        this.queue.change(entry.id, { status: 'active', cooling_until: null })
      }
      group.add(entry)
    }
    this.groups.set(groupId, group)
  }

  async dropGroup(groupId: number): Promise<void> {
    this.groups.delete(groupId)
  }

  pick(groupId: number, exclude?: ReadonlySet<number>): PickedKey | null {
    const group = this.groups.get(groupId)
    if (!group) return null
    this.wake(group)
    const entry = group.next(exclude)
    return entry && { id: entry.id, groupId, value: entry.value, hash: entry.hash }
  }

  pickById(groupId: number, keyId: number): PickedKey | null {
    const group = this.groups.get(groupId)
    if (!group) return null
    this.wake(group)
    const entry = group.entries.get(keyId)
    return entry && entry.status === 'active' ? { id: entry.id, groupId, value: entry.value, hash: entry.hash } : null
  }

  report(key: PickedKey, outcome: KeyOutcome, policy: PoolPolicy): void {
    const group = this.groups.get(key.groupId)
    const entry = group?.entries.get(key.id)
    if (!group || !entry) return // deleted while the request was in flight
    const now = this.clock.now()
    this.queue.countUse(entry.id, now)
    switch (outcome.kind) {
      case 'success':
        entry.rateLimits = 0
        if (entry.failures !== 0) {
          entry.failures = 0
          this.queue.change(entry.id, { failure_count: 0 })
        }
        return
      case 'rate_limited': {
        if (entry.status !== 'active' && entry.status !== 'cooling') return
        const until = now + cooldownMs(outcome.retryAfterMs, entry.rateLimits)
        entry.rateLimits++
        // a slower request must not shorten a cooldown another one already set
        const next = Math.max(until, entry.status === 'cooling' ? (entry.coolingUntil ?? 0) : 0)
        group.moveTo(entry, 'cooling', next)
        this.queue.change(entry.id, { status: 'cooling', cooling_until: next })
        return
      }
      case 'key_failure':
        entry.failures++
        this.queue.change(entry.id, { failure_count: entry.failures })
        if (reachesThreshold(entry, policy)) {
          group.moveTo(entry, 'invalid')
          this.queue.change(entry.id, { status: 'invalid', cooling_until: null })
        }
        return
      case 'neutral':
        return
    }
  }

  async setStatus(groupId: number, keyIds: number[], status: KeyStatus): Promise<void> {
    const group = this.groups.get(groupId)
    if (group) {
      const until = status === 'cooling' ? this.clock.now() + cooldownMs(null, 0) : null
      for (const id of keyIds) {
        const entry = group.entries.get(id)
        if (!entry) continue
        group.moveTo(entry, status, until)
        if (status === 'active') {
          entry.failures = 0
          entry.rateLimits = 0
          this.queue.change(id, { status, cooling_until: null, failure_count: 0 })
        } else {
          this.queue.change(id, { status, cooling_until: until })
        }
      }
    }
    // admin changes are written now, not at the next tick; a failed write stays queued and is retried
    await this.queue.flush().catch(() => {})
  }

  stats(groupId: number): GroupPoolStats {
    const group = this.groups.get(groupId)
    if (!group) return { active: 0, cooling: 0, invalid: 0, disabled: 0 }
    this.wake(group)
    return { ...group.counts }
  }

  /** A key's status now (the failover pool snapshots what this pool decided, to replay it to Redis later). */
  keyState(groupId: number, id: number): { status: KeyStatus; coolingUntil: number | null } | undefined {
    const entry = this.groups.get(groupId)?.entries.get(id)
    return entry && { status: entry.status, coolingUntil: entry.coolingUntil }
  }

  /** Put a key back into a state decided elsewhere, without writing it to the store (it already was). */
  restoreState(groupId: number, id: number, status: KeyStatus, coolingUntil: number | null): void {
    const group = this.groups.get(groupId)
    const entry = group?.entries.get(id)
    if (!group || !entry) return
    if (status === 'cooling' && (coolingUntil ?? 0) <= this.clock.now()) return
    group.moveTo(entry, status, coolingUntil)
  }

  flush(): Promise<void> {
    return this.queue.flush()
  }

  close(): Promise<void> {
    return this.queue.close()
  }

  private wake(group: GroupKeys): void {
    group.wakeDue(this.clock.now(), (entry) => this.queue.change(entry.id, { status: 'active', cooling_until: null }))
  }
}

function reachesThreshold(entry: { status: KeyStatus; failures: number }, policy: PoolPolicy): boolean {
  const usable = entry.status === 'active' || entry.status === 'cooling'
  return usable && policy.blacklistThreshold > 0 && entry.failures >= policy.blacklistThreshold
}

function entryFromRow(groupId: number, row: ApiKey): KeyEntry {
  return {
    id: row.id,
    groupId,
    value: row.key_value,
    hash: row.key_hash,
    status: row.status,
    coolingUntil: row.status === 'cooling' ? row.cooling_until : null,
    failures: row.failure_count,
    rateLimits: 0,
    slot: -1,
  }
}
