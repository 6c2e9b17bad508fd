/**
 * The shared key pool: state in Redis so every node sees the same key states and one round-robin cursor. Each
 * pick, report, admin change and load is one Lua script (redis-scripts.ts). Key values never go to Redis: this
 * node keeps them from `loadGroup`, the scripts return ids. Status changes made through this node are written to
 * the store through this node's `PersistQueue`, together with its request counters.
 * Outcome rules and the loadGroup merge rule are the same as the memory pool's (see memory.ts).
 */
import type { ApiKey, KeyStateUpdate, KeyStatus } from '../../db/types'
import type { Clock } from '../shared/clock'
import { COOLDOWN_BASE_MS, COOLDOWN_MAX_MS, cooldownMs } from './cooldown'
import { PersistQueue } from './persist-queue'
import { PACE_SKIPS_PER_PICK, PACE_WAKE_PER_PICK, PACE_WINDOW_MS } from './pace-window'
import { GROUP_KEY_NAMES, LOAD, NEXT_FREE, NOT_LOADED, PACED, PICK, PICK_BY_ID, RELEASE, UNPICK, REPLAY, REPORT, SET_STATUS, STAGE, STATS } from './redis-scripts'
import { NO_PACE, type GroupPoolStats, type KeyOutcome, type KeyPace, type KeyPool, type PacedState, type PickedKey, type PoolPolicy, type PoolStatus } from './types'

const REQUEST_PATH_TIMEOUT_MS = 2000
/** one staging or merge call of a load: a 100,000-key group takes well under a second on a healthy Redis */
const LOAD_TIMEOUT_MS = 30_000

/** What the pool needs of a connected node-redis client (`createClient` from 'redis'). */
export interface PoolRedisClient {
  scriptLoad(script: string): Promise<string>
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  del(keys: string[]): Promise<number>
  ping(): Promise<string>
  /** connection events ('error' when the connection failed), when the client has them */
  on?(event: 'error', listener: (err: unknown) => void): unknown
}

export interface RedisKeyPoolOptions {
  client: PoolRedisClient
  /** namespace of every Redis key of the pool, e.g. 'keypool:' */
  prefix: string
  persist: (updates: KeyStateUpdate[]) => Promise<void>
  clock: Clock
  flushIntervalMs?: number
  /**
   * A group's keys from the store, to load a group whose state Redis no longer has (restarted without
   * persistence, evicted) at the first pick instead of answering "no keys" until the next resync.
   */
  reload?: (groupId: number) => Promise<ApiKey[]>
}

/** cooled-down keys one pick moves back at most, so a pick stays cheap; the rest come back on the next picks */
const WAKE_PER_PICK = PACE_WAKE_PER_PICK
/** what Retry-After says when only requests in flight can free a key (as the memory pool) */
const IN_FLIGHT_RETRY_MS = 1000
/** picks of ids this node has not loaded yet (another node added them a moment ago) before giving up */
const UNKNOWN_ID_RETRIES = 3
/** rows per staging call of loadGroup */
const STAGE_CHUNK = 5000

/** Reading a group from the store failed (not Redis): the failover pool must not take it for a Redis outage. */
export class StoreReadError extends Error {
  constructor(override readonly cause: unknown) {
    super(`key pool: reading keys from the store failed: ${cause instanceof Error ? cause.message : String(cause)}`)
  }
}

/** One key's state as the degraded local pool left it, for `replay`. */
export interface ReplayedState {
  id: number
  status: KeyStatus
  coolingUntil: number | null
}

interface KeyValue {
  value: string
  hash: string
}

export class RedisKeyPool implements KeyPool {
  readonly kind = 'redis' as const
  private readonly client: PoolRedisClient
  private readonly prefix: string
  private readonly clock: Clock
  private readonly queue: PersistQueue
  /** key values of each loaded group: never stored in Redis */
  private readonly values = new Map<number, Map<number, KeyValue>>()
  private readonly keyNames = new Map<number, string[]>()
  private readonly shas = new Map<string, string>()
  private readonly reload?: (groupId: number) => Promise<ApiKey[]>
  /** reloads in progress, so the picks that all found the state gone share one */
  private readonly reloading = new Map<number, Promise<void>>()
  /** keys picks looked at, as the scripts count them (tests assert a pick does not scan) */
  readonly work = { looked: 0 }

  constructor({ client, prefix, persist, clock, flushIntervalMs = 1000, reload }: RedisKeyPoolOptions) {
    this.client = client
    this.prefix = prefix
    this.clock = clock
    this.queue = new PersistQueue(persist, flushIntervalMs)
    this.reload = reload
  }

  status(): PoolStatus {
    return { mode: 'shared', redisErrors: 0 }
  }

  async loadGroup(groupId: number, keys: ApiKey[]): Promise<void> {
    const values = new Map<number, KeyValue>()
    const staging = `${this.prefix}pool:{${groupId}}:load:${crypto.randomUUID()}`
    let chunk: string[] = []
    for (const row of keys) {
      values.set(row.id, { value: row.key_value, hash: row.key_hash })
      const until = row.status === 'cooling' ? (row.cooling_until ?? 0) : 0
      chunk.push(String(row.id), `${row.status}:${Math.max(0, Math.floor(until))}:${row.failure_count}`)
      if (chunk.length >= STAGE_CHUNK * 2) {
        await this.withTimeout(this.run(STAGE, [staging], chunk), LOAD_TIMEOUT_MS)
        chunk = []
      }
    }
    if (chunk.length > 0) await this.withTimeout(this.run(STAGE, [staging], chunk), LOAD_TIMEOUT_MS)
    const woken = (await this.withTimeout(
      this.run(LOAD, [...this.groupKeys(groupId), staging], [String(this.clock.now())]),
      LOAD_TIMEOUT_MS,
    )) as string[]
    this.values.set(groupId, values)
    this.markActive(woken)
  }

  private reloadGroup(groupId: number, reload: (groupId: number) => Promise<ApiKey[]>): Promise<void> {
    let pending = this.reloading.get(groupId)
    if (!pending) {
      pending = reload(groupId)
        .catch((err: unknown) => {
          throw new StoreReadError(err)
        })
        .then((keys) => this.loadGroup(groupId, keys))
        .finally(() => this.reloading.delete(groupId))
      this.reloading.set(groupId, pending)
    }
    return pending
  }

  async dropGroup(groupId: number): Promise<void> {
    this.values.delete(groupId)
    await this.withTimeout(this.client.del(this.groupKeys(groupId)))
    this.keyNames.delete(groupId)
  }

  async pick(groupId: number, exclude?: ReadonlySet<number>, pace: KeyPace = NO_PACE): Promise<PickedKey | null> {
    let reloaded = false
    if (!this.values.has(groupId)) {
      // a group the config knows but this node has not loaded yet (its bus message is still on the way)
      if (!this.reload) return null
      await this.reloadGroup(groupId, this.reload)
      reloaded = true
    }
    const skip = exclude ? [...exclude].map(String) : []
    const paceArgs = [pace.rpm, pace.concurrency, pace.leaseMs, PACE_WINDOW_MS, PACE_SKIPS_PER_PICK].map(String)
    for (let attempt = 0; attempt <= UNKNOWN_ID_RETRIES; attempt++) {
      const now = String(this.clock.now())
      const [id, woken, lease, looked, marked] = (await this.withTimeout(
        this.run(PICK, this.groupKeys(groupId), [now, String(WAKE_PER_PICK), ...paceArgs, ...skip]),
      )) as [string, string[], string, number, number?]
      this.work.looked += looked
      this.markActive(woken)
      if (id === NOT_LOADED) {
        if (reloaded || !this.reload) return null
        await this.reloadGroup(groupId, this.reload)
        reloaded = true
        continue
      }
      if (id === '') return null
      const kv = this.values.get(groupId)?.get(Number(id))
      if (kv) {
        const picked: PickedKey = { id: Number(id), groupId, value: kv.value, hash: kv.hash, clean: marked === 0 }
        if (lease) picked.lease = lease
        return picked
      }
      // not served here: the pick is undone (its window and slot), as the key was not used
      if (lease || pace.rpm > 0) await this.withTimeout(this.run(UNPICK, this.groupKeys(groupId), [id, lease, now]))
      // Redis holds a key this node has not loaded: another node added it a moment ago and its bus message has
      // not arrived. Read the group from the store once (read-your-writes across nodes) and pick again.
      if (!reloaded && this.reload) {
        await this.reloadGroup(groupId, this.reload)
        reloaded = true
        continue
      }
      skip.push(id)
    }
    return null
  }

  /** Session affinity: the key if Redis says it is usable now; one round trip. */
  async pickById(groupId: number, keyId: number): Promise<PickedKey | null> {
    const kv = this.values.get(groupId)?.get(keyId)
    if (!kv) return null
    const [id, woke] = (await this.withTimeout(
      this.run(PICK_BY_ID, this.groupKeys(groupId), [String(keyId), String(this.clock.now())]),
    )) as [string, number]
    if (woke) this.markActive([id])
    return id ? { id: keyId, groupId, value: kv.value, hash: kv.hash } : null
  }

  async release(key: PickedKey): Promise<void> {
    if (!key.lease) return
    await this.withTimeout(this.run(RELEASE, this.groupKeys(key.groupId), [String(key.id), key.lease]))
  }

  async paced(groupId: number, keyIds: number[]): Promise<Map<number, PacedState>> {
    const out = new Map<number, PacedState>()
    if (keyIds.length === 0) return out
    const states = (await this.withTimeout(
      this.run(PACED, this.groupKeys(groupId), [String(this.clock.now()), ...keyIds.map(String)]),
    )) as number[]
    keyIds.forEach((id, i) => {
      const v = states[i] ?? 0
      if (v > 0) out.set(id, { kind: 'rpm', until: v })
      else if (v < 0) out.set(id, { kind: 'concurrency' })
    })
    return out
  }

  async nextFree(groupId: number): Promise<number | null> {
    const now = this.clock.now()
    const at = (await this.withTimeout(
      this.run(NEXT_FREE, this.groupKeys(groupId), [String(now), String(IN_FLIGHT_RETRY_MS)]),
    )) as number
    return at < 0 ? null : Math.max(at, now)
  }

  /**
   * Apply key states this node decided while Redis was unreachable (the degraded local pool) to the shared
   * state: keys that no longer exist are ignored, a cooldown never shortens a longer one another node set.
   */
  async replay(groupId: number, states: ReplayedState[]): Promise<void> {
    if (states.length === 0) return
    const args = [String(this.clock.now())]
    for (const s of states) args.push(String(s.id), s.status, String(Math.max(0, Math.floor(s.coolingUntil ?? 0))))
    await this.withTimeout(this.run(REPLAY, this.groupKeys(groupId), args))
  }

  async report(key: PickedKey, outcome: KeyOutcome, policy: PoolPolicy): Promise<void> {
    // a key this node did not load cannot have been picked here (or its group was reloaded without it)
    if (!this.values.get(key.groupId)?.has(key.id)) return
    const now = this.clock.now()
    // A success of a key with nothing on record changes nothing in Redis: no round trip. (A failure another
    // node records between this pick and this success is then not cleared by it; the next success clears it.)
    if (outcome.kind === 'neutral' || (outcome.kind === 'success' && key.clean)) return this.queue.countUse(key.id, now)
    const explicit = outcome.kind === 'rate_limited' && outcome.retryAfterMs !== null
    const args = [
      String(key.id),
      outcome.kind,
      String(now),
      explicit ? String(cooldownMs(outcome.retryAfterMs, 0)) : '',
      String(policy.blacklistThreshold),
      String(COOLDOWN_BASE_MS),
      String(COOLDOWN_MAX_MS),
    ]
    const [status, until, failures] = (await this.withTimeout(this.run(REPORT, this.groupKeys(key.groupId), args))) as [
      string,
      number,
      number,
    ]
    // counted once the outcome is in Redis: a report that fails here is counted by the failover's local pool
    this.queue.countUse(key.id, now)
    if (failures >= 0) this.queue.change(key.id, { failure_count: failures })
    if (status === 'cooling') this.queue.change(key.id, { status, cooling_until: until })
    else if (status !== '') this.queue.change(key.id, { status: status as KeyStatus, cooling_until: null })
  }

  async setStatus(groupId: number, keyIds: number[], status: KeyStatus): Promise<void> {
    if (keyIds.length === 0) return
    const until = status === 'cooling' ? this.clock.now() + cooldownMs(null, 0) : null
    const changed = (await this.withTimeout(
      this.run(SET_STATUS, this.groupKeys(groupId), [status, String(until ?? 0), ...keyIds.map(String)]),
    )) as string[]
    for (const id of changed) {
      if (status === 'active') this.queue.change(Number(id), { status, cooling_until: null, failure_count: 0 })
      else this.queue.change(Number(id), { status, cooling_until: until })
    }
    // admin changes are written now, not at the next tick; a failed write stays queued and is retried
    await this.queue.flush().catch(() => {})
  }

  async stats(groupId: number): Promise<GroupPoolStats> {
    const [active, cooling, invalid, disabled] = (await this.withTimeout(
      this.run(STATS, this.groupKeys(groupId), [String(this.clock.now())]),
    )) as number[]
    return { active: active ?? 0, cooling: cooling ?? 0, invalid: invalid ?? 0, disabled: disabled ?? 0 }
  }

  flush(): Promise<void> {
    return this.queue.flush()
  }

  /** Flushes and stops the timer; the Redis client belongs to the caller and stays open. */
  close(): Promise<void> {
    return this.queue.close()
  }

  private markActive(ids: string[]): void {
    for (const id of ids) this.queue.change(Number(id), { status: 'active', cooling_until: null })
  }

  private groupKeys(groupId: number): string[] {
    let names = this.keyNames.get(groupId)
    if (!names) {
      // one hash tag per group: all of a group's keys land in one cluster slot, as a multi-key script requires
      names = GROUP_KEY_NAMES.map((n) => `${this.prefix}pool:{${groupId}}:${n}`)
      this.keyNames.set(groupId, names)
    }
    return names
  }

  /** A Redis that stopped answering (frozen, network gone without a reset) must not hang a request or an admin
   * change: after this long the call fails (and the failover pool serves from its local pool). */
  private withTimeout<T>(work: Promise<T>, ms = REQUEST_PATH_TIMEOUT_MS): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`key pool: Redis did not answer within ${ms} ms`)), ms)
    })
    return Promise.race([work, expired]).finally(() => clearTimeout(timer))
  }

  /** EVALSHA with the locally computed SHA1 (one round trip); loads the script once when Redis lacks it. */
  private async run(script: string, keys: string[], args: string[]): Promise<unknown> {
    let sha = this.shas.get(script)
    if (!sha) {
      sha = new Bun.CryptoHasher('sha1').update(script).digest('hex')
      this.shas.set(script, sha)
    }
    try {
      return await this.client.evalSha(sha, { keys, arguments: args })
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
      await this.client.scriptLoad(script)
      return await this.client.evalSha(sha, { keys, arguments: args })
    }
  }
}
