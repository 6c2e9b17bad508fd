/**
 * The pool of a cluster node: the shared Redis pool while Redis answers, this node's own memory pool while it does
 * not, so a Redis outage degrades the rotation instead of refusing every request.
 *
 * - The first Redis call that fails or times out opens the circuit: that call and every one after it go to the
 *   local pool at once (no waiting on Redis per request). The local pool is reseeded from the store right away
 *   (it is kept loaded with every group's keys all along, so it serves before the reseed ends).
 * - While degraded, key states this pool decides (cooldowns, blacklisting, admin changes) are written to the store
 *   as usual and also remembered, the latest per key.
 * - Redis is probed on a timer; once it answers, the node rejoins: its local writes reach the store, every group
 *   is loaded into Redis from the store (an emptied Redis gets the store's state; a Redis that kept its state
 *   keeps it and gains keys added meanwhile), the remembered states are replayed on top, then picks are shared
 *   again. Every node does the same, so after an empty restart the nodes agree on each key.
 */
import type { ApiKey, KeyStatus } from '../../db/types'
import { log } from '../shared/logger'
import { LOCAL_LEASE, type MemoryKeyPool } from './memory'
import { StoreReadError, type RedisKeyPool, type ReplayedState } from './redis'
import type { GroupPoolStats, KeyOutcome, KeyPace, KeyPool, PacedState, PickedKey, PoolPolicy, PoolStatus } from './types'

export interface FailoverKeyPoolOptions {
  shared: RedisKeyPool
  /** a new, empty local pool whose state writes go to the store */
  newLocal: () => MemoryKeyPool
  /** a group's keys from the store */
  reload: (groupId: number) => Promise<ApiKey[]>
  /** whether Redis answers now (bounded in time); asked every `probeIntervalMs` while degraded */
  probe: () => Promise<boolean>
  probeIntervalMs?: number
}

const MAX_REJOIN_BACKOFF_MS = 10_000

interface Remembered extends ReplayedState {
  groupId: number
}

export class FailoverKeyPool implements KeyPool {
  readonly kind = 'redis' as const
  private readonly shared: RedisKeyPool
  private readonly newLocal: () => MemoryKeyPool
  private readonly reload: (groupId: number) => Promise<ApiKey[]>
  private readonly probe: () => Promise<boolean>
  private readonly probeIntervalMs: number
  private local: MemoryKeyPool
  private degraded = false
  private redisErrors = 0
  private readonly groupIds = new Set<number>()
  /** groups to load into Redis at the rejoin (all of them at first; any loaded again while degraded) */
  private readonly staleGroups = new Set<number>()
  /** groups dropped while degraded: their Redis state is deleted at the rejoin */
  private readonly droppedGroups = new Set<number>()
  /** key states decided locally since the circuit opened, latest per key */
  private remembered = new Map<number, Remembered>()
  private probeTimer: ReturnType<typeof setInterval> | undefined
  private rejoining = false
  /** failed rejoins in a row: each one doubles the wait before the next (Redis answers PING but fails the load) */
  private failedRejoins = 0
  private nextRejoinAt = 0
  private closed = false

  constructor(opts: FailoverKeyPoolOptions) {
    this.shared = opts.shared
    this.newLocal = opts.newLocal
    this.reload = opts.reload
    this.probe = opts.probe
    this.probeIntervalMs = opts.probeIntervalMs ?? 500
    this.local = opts.newLocal()
  }

  status(): PoolStatus {
    return { mode: this.degraded ? 'degraded' : 'shared', redisErrors: this.redisErrors }
  }

  async loadGroup(groupId: number, keys: ApiKey[]): Promise<void> {
    this.groupIds.add(groupId)
    this.droppedGroups.delete(groupId)
    await this.local.loadGroup(groupId, keys)
    if (!this.degraded) {
      try {
        return await this.shared.loadGroup(groupId, keys)
      } catch (err) {
        this.trip(err)
      }
    }
    this.staleGroups.add(groupId)
  }

  async dropGroup(groupId: number): Promise<void> {
    this.groupIds.delete(groupId)
    this.staleGroups.delete(groupId)
    await this.local.dropGroup(groupId)
    if (!this.degraded) {
      try {
        return await this.shared.dropGroup(groupId)
      } catch (err) {
        this.trip(err)
      }
    }
    this.droppedGroups.add(groupId)
  }

  async pick(groupId: number, exclude?: ReadonlySet<number>, pace?: KeyPace): Promise<PickedKey | null> {
    if (!this.degraded) {
      try {
        return await this.shared.pick(groupId, exclude, pace)
      } catch (err) {
        // the store failed, not Redis: serve this pick locally and leave the circuit closed
        if (!(err instanceof StoreReadError)) this.trip(err)
      }
    }
    return this.local.pick(groupId, exclude, pace)
  }

  /** Back to the pool that leased the slot; a shared slot Redis cannot take back now frees itself at its lease end. */
  async release(key: PickedKey): Promise<void> {
    if (!key.lease) return
    if (key.lease.startsWith(LOCAL_LEASE)) return this.local.release(key)
    if (this.degraded) return
    try {
      await this.shared.release(key)
    } catch (err) {
      this.trip(err)
    }
  }

  async paced(groupId: number, keyIds: number[]): Promise<Map<number, PacedState>> {
    if (!this.degraded) {
      try {
        return await this.shared.paced(groupId, keyIds)
      } catch (err) {
        this.trip(err)
      }
    }
    return this.local.paced(groupId, keyIds)
  }

  async nextFree(groupId: number): Promise<number | null> {
    if (!this.degraded) {
      try {
        return await this.shared.nextFree(groupId)
      } catch (err) {
        this.trip(err)
      }
    }
    return this.local.nextFree(groupId)
  }

  async pickById(groupId: number, keyId: number): Promise<PickedKey | null> {
    if (!this.degraded) {
      try {
        return await this.shared.pickById(groupId, keyId)
      } catch (err) {
        this.trip(err)
      }
    }
    return this.local.pickById(groupId, keyId)
  }

  async report(key: PickedKey, outcome: KeyOutcome, policy: PoolPolicy): Promise<void> {
    if (!this.degraded) {
      try {
        return await this.shared.report(key, outcome, policy)
      } catch (err) {
        this.trip(err)
      }
    }
    const before = this.local.keyState(key.groupId, key.id)
    this.local.report(key, outcome, policy)
    const after = this.local.keyState(key.groupId, key.id)
    if (after && (after.status !== before?.status || after.coolingUntil !== before.coolingUntil)) {
      this.remembered.set(key.id, { groupId: key.groupId, id: key.id, ...after })
    }
  }

  async setStatus(groupId: number, keyIds: number[], status: KeyStatus): Promise<void> {
    if (!this.degraded) {
      try {
        return await this.shared.setStatus(groupId, keyIds, status)
      } catch (err) {
        this.trip(err)
      }
    }
    await this.local.setStatus(groupId, keyIds, status)
    for (const id of keyIds) {
      const state = this.local.keyState(groupId, id)
      if (state) this.remembered.set(id, { groupId, id, ...state })
    }
  }

  async stats(groupId: number): Promise<GroupPoolStats> {
    if (!this.degraded) {
      try {
        return await this.shared.stats(groupId)
      } catch (err) {
        this.trip(err)
      }
    }
    return this.local.stats(groupId)
  }

  async flush(): Promise<void> {
    await Promise.all([this.shared.flush(), this.local.flush()])
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.probeTimer)
    this.probeTimer = undefined
    await Promise.all([this.shared.close(), this.local.close()])
  }

  /** The Redis connection reported a failure (closed, reset): degrade now, before a request finds out. */
  redisLost(err: unknown): void {
    this.trip(err, false)
  }

  /** Open the circuit: from now on everything goes to the local pool until a rejoin succeeds. */
  private trip(err: unknown, poolCall = true): void {
    if (poolCall) this.redisErrors++
    if (this.degraded || this.closed) return
    this.degraded = true
    for (const id of this.groupIds) this.staleGroups.add(id)
    log.warn("key pool: Redis unreachable; serving from this node's local pool until it answers again", { error: errorText(err) })
    void this.reseed().catch((e) => log.warn('key pool: reseeding the local pool from the store failed', { error: errorText(e) }))
    this.probeTimer ??= setInterval(() => void this.tryRejoin(), this.probeIntervalMs)
    this.probeTimer.unref?.()
  }

  /** A fresh local pool from the store (the latest shared states reached it), then swapped in. */
  private async reseed(): Promise<void> {
    await this.shared.flush().catch(() => {}) // Redis-side counters and states queued for the store
    const fresh = this.newLocal()
    const seeded = new Set<number>()
    try {
      for (let todo = [...this.groupIds]; todo.length > 0; todo = [...this.groupIds].filter((id) => !seeded.has(id))) {
        for (const id of todo) {
          await fresh.loadGroup(id, await this.reload(id))
          seeded.add(id)
        }
      }
    } catch (err) {
      await fresh.close()
      throw err
    }
    if (!this.degraded || this.closed) return fresh.close()
    for (const id of seeded) if (!this.groupIds.has(id)) await fresh.dropGroup(id)
    // what this node decided while the seed was read is newer than the rows
    for (const s of this.remembered.values()) fresh.restoreState(s.groupId, s.id, s.status, s.coolingUntil)
    const old = this.local
    this.local = fresh
    await old.close()
  }

  private async tryRejoin(): Promise<void> {
    if (this.rejoining || !this.degraded || this.closed || Date.now() < this.nextRejoinAt) return
    this.rejoining = true
    try {
      if (await this.probe()) {
        await this.rejoin()
        this.failedRejoins = 0
      }
    } catch (err) {
      this.failedRejoins++
      this.nextRejoinAt = Date.now() + Math.min(this.probeIntervalMs * 2 ** this.failedRejoins, MAX_REJOIN_BACKOFF_MS)
      log.warn('key pool: rejoining the shared pool failed; still degraded', { error: errorText(err) })
    } finally {
      this.rejoining = false
    }
  }

  private async rejoin(): Promise<void> {
    await this.local.flush()
    for (const id of [...this.droppedGroups]) {
      await this.shared.dropGroup(id)
      this.droppedGroups.delete(id)
    }
    // Until nothing is left: groups first (an emptied Redis must hold a group before a state can be replayed
    // into it), then the remembered states. The last check and the switch happen in one tick, so nothing
    // decided locally is left behind.
    while (this.staleGroups.size > 0 || this.remembered.size > 0) {
      for (const id of [...this.staleGroups]) {
        this.staleGroups.delete(id)
        try {
          await this.shared.loadGroup(id, await this.reload(id))
        } catch (err) {
          this.staleGroups.add(id)
          throw err
        }
      }
      const batch = this.remembered
      this.remembered = new Map()
      try {
        for (const [groupId, states] of byGroup(batch)) await this.shared.replay(groupId, states)
      } catch (err) {
        for (const [id, s] of batch) if (!this.remembered.has(id)) this.remembered.set(id, s)
        throw err
      }
    }
    this.degraded = false
    clearInterval(this.probeTimer)
    this.probeTimer = undefined
    log.info('key pool: Redis answers again; back on the shared pool')
  }
}

function byGroup(states: Map<number, Remembered>): Map<number, ReplayedState[]> {
  const out = new Map<number, ReplayedState[]>()
  for (const s of states.values()) {
    let list = out.get(s.groupId)
    if (!list) out.set(s.groupId, (list = []))
    list.push({ id: s.id, status: s.status, coolingUntil: s.coolingUntil })
  }
  return out
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
