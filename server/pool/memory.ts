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
 * Pacing (a pick's `pace`): the pick counts against the key; a key at its RPM limit rests until its window frees, one
 * at its concurrency limit until `release`. Resting is not cooling: nothing is persisted, the status stays active.
 */
import type { ApiKey, KeyStateUpdate, KeyStatus } from '../../db/types'
import type { Clock } from '../shared/clock'
import { cooldownMs } from './cooldown'
import { GroupKeys, type KeyEntry } from './memory-group'
import { PACE_SKIPS_PER_PICK, PaceWindow } from './pace-window'
import { PersistQueue, type PersistFn } from './persist-queue'
import { NO_PACE, type GroupPoolStats, type KeyOutcome, type KeyPace, type KeyPool, type PacedState, type PickedKey, type PoolPolicy, type PoolStatus } from './types'

/** how the lease of a concurrency slot taken in this process starts (the failover pool routes a release by it) */
export const LOCAL_LEASE = 'local:'
/** what Retry-After says when only requests in flight can free a key: they are not timed */
const IN_FLIGHT_RETRY_MS = 1000

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
  /** keys picks looked at, in the rotation and woken from a rest (tests assert a pick does not scan) */
  readonly work = { looked: 0 }
  /** concurrency slots taken and not released yet: lease -> key id (a second release of one pick does nothing) */
  private readonly leases = new Map<string, number>()
  private leaseSeq = 0

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
    const group = new GroupKeys(this.work)
    if (old) group.pace = old.pace
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

  pick(groupId: number, exclude?: ReadonlySet<number>, pace: KeyPace = NO_PACE): PickedKey | null {
    const group = this.groups.get(groupId)
    if (!group) return null
    group.pace = pace
    this.wake(group)
    const now = this.clock.now()
    for (let skipped = 0; skipped <= PACE_SKIPS_PER_PICK; skipped++) {
      const entry = group.next(exclude)
      if (!entry) return null
      // in the rotation yet over a limit (limits lowered, back from cooling): rest it and look further
      const freeAt = pace.rpm > 0 ? (entry.window ??= new PaceWindow()).freeAt(pace.rpm, now) : 0
      if (freeAt > 0) group.restAs(entry, 'rpm', freeAt)
      else if (group.atConcurrencyLimit(entry)) group.restAs(entry, 'concurrency')
      else return this.take(group, entry, pace, now)
    }
    return null
  }

  private take(group: GroupKeys, entry: KeyEntry, pace: KeyPace, now: number): PickedKey {
    const picked: PickedKey = { id: entry.id, groupId: entry.groupId, value: entry.value, hash: entry.hash }
    if (pace.rpm > 0) entry.window!.push(now)
    if (pace.concurrency > 0) {
      entry.inFlight++
      group.inFlight++
      picked.lease = LOCAL_LEASE + ++this.leaseSeq
      this.leases.set(picked.lease, entry.id)
    }
    const freeAt = pace.rpm > 0 ? entry.window!.freeAt(pace.rpm, now) : 0
    if (freeAt > 0) group.restAs(entry, 'rpm', freeAt)
    else if (group.atConcurrencyLimit(entry)) group.restAs(entry, 'concurrency')
    return picked
  }

  release(key: PickedKey): void {
    if (key.lease === undefined || !this.leases.delete(key.lease)) return
    const group = this.groups.get(key.groupId)
    const entry = group?.entries.get(key.id)
    if (!group || !entry || entry.inFlight === 0) return
    entry.inFlight--
    group.inFlight--
    if (entry.rest === 'concurrency' && !group.atConcurrencyLimit(entry)) group.restAs(entry, 'none')
  }

  paced(groupId: number, keyIds: number[]): Map<number, PacedState> {
    const out = new Map<number, PacedState>()
    const group = this.groups.get(groupId)
    if (!group) return out
    const now = this.clock.now()
    for (const id of keyIds) {
      const e = group.entries.get(id)
      if (!e || e.status !== 'active') continue
      if (e.rest === 'rpm' && e.restUntil > now) out.set(id, { kind: 'rpm', until: e.restUntil })
      else if (e.rest === 'concurrency') out.set(id, { kind: 'concurrency' })
    }
    return out
  }

  nextFree(groupId: number): number | null {
    const group = this.groups.get(groupId)
    if (!group) return null
    const now = this.clock.now()
    const timed = group.earliestReturn()
    const inFlight = group.inFlight > 0 ? now + IN_FLIGHT_RETRY_MS : undefined
    const at = Math.min(timed ?? Infinity, inFlight ?? Infinity)
    return at === Infinity ? null : Math.max(at, now)
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
    window: null,
    inFlight: 0,
    rest: 'none',
    restUntil: 0,
  }
}
