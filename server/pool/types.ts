/**
 * The key pool: which key serves the next request of a group, and what each outcome does to a key.
 * Two implementations share one test suite (tests/pool/pool.suite.ts): `memory` (state in this process,
 * persisted to the store off the request path) and `redis` (state in Redis, shared by every node).
 */
import type { ApiKey, KeyStatus } from '../../db/types'

export interface PickedKey {
  id: number
  groupId: number
  value: string
  /** sha256/HMAC used in logs */
  hash: string
  /** set when the pick took a concurrency slot of the key: `release` gives it back */
  lease?: string
  /** the shared pool found nothing for a success to clear at the pick (no failures, no rate-limit repeats) */
  clean?: boolean
}

/**
 * A group's pacing of its keys (`key_rpm_limit`, `key_concurrency_limit`; 0 = no limit). A key at a limit rests
 * (leaves the rotation, no penalty, its status stays `active`) until its window frees or a request of it ends.
 */
export interface KeyPace {
  /** picks per key in any sliding minute */
  rpm: number
  /** requests per key in flight at once (picks not yet released) */
  concurrency: number
  /** the longest a pick may hold a concurrency slot (the request timeout): a slot a node that died never released
   * frees itself then (Redis pool) */
  leaseMs: number
}

export const NO_PACE: KeyPace = { rpm: 0, concurrency: 0, leaseMs: 0 }

/** Why an active key is out of the rotation: its RPM window is full until `until`, or its concurrency slots are. */
export type PacedState = { kind: 'rpm'; until: number } | { kind: 'concurrency' }

/** What a finished upstream attempt means for the key that served it (docs/architecture.md, "Key states and outcomes"). */
export type KeyOutcome =
  | { kind: 'success' }
  /** 429: cool the key down; retryAfterMs from Retry-After / retry-after-ms / x-ratelimit-reset-*, else default */
  | { kind: 'rate_limited'; retryAfterMs: number | null }
  /** 401/403/invalid/out of quota: counts toward blacklist_threshold */
  | { kind: 'key_failure'; reason: string }
  /** upstream trouble (5xx, network): no penalty for the key */
  | { kind: 'neutral' }

export interface PoolPolicy {
  /** consecutive key failures that make a key invalid; 0 = never */
  blacklistThreshold: number
}

export interface GroupPoolStats {
  active: number
  cooling: number
  invalid: number
  disabled: number
}

/**
 * Where picks come from: 'local' (no Redis configured: this process's pool), 'shared' (Redis), 'degraded' (Redis
 * configured but unreachable: this node serves from its own pool seeded from the store until Redis is back).
 */
export type PoolMode = 'local' | 'shared' | 'degraded'

export interface PoolStatus {
  mode: PoolMode
  /** Redis calls of the pool that failed or timed out (each one opened the circuit or happened as it opened) */
  redisErrors: number
}

export interface KeyPool {
  readonly kind: 'memory' | 'redis'
  /** for /health and /metrics */
  status(): PoolStatus
  /** Replace what the pool knows of a group with these keys (start-up, import, admin changes). */
  loadGroup(groupId: number, keys: ApiKey[]): Promise<void>
  /** Forget a group (deleted). */
  dropGroup(groupId: number): Promise<void>
  /**
   * Next usable key of the group by round-robin, skipping `exclude` (keys already tried in this request).
   * O(1) whatever the number of keys. null = no usable key. With `pace`, the pick counts against the key's limits
   * and a key at a limit is not returned (it rests).
   */
  pick(groupId: number, exclude?: ReadonlySet<number>, pace?: KeyPace): PickedKey | null | Promise<PickedKey | null>
  /** The request a pick served ended: give back its concurrency slot. Call once per pick (no-op without a lease). */
  release(key: PickedKey): void | Promise<void>
  /** Which of these keys rest because of pacing now (absent = not paced), for the admin key lists. */
  paced(groupId: number, keyIds: number[]): Map<number, PacedState> | Promise<Map<number, PacedState>>
  /** The earliest time a resting key of the group (cooling or paced) may be usable again, null when none rests. */
  nextFree(groupId: number): number | null | Promise<number | null>
  /**
   * This very key when it is usable now (session affinity), else null. A cooling key whose time has passed is
   * woken. Optional: a pool without it gives no affinity and every pick is round-robin.
   */
  pickById?(groupId: number, keyId: number): PickedKey | null | Promise<PickedKey | null>
  /** Apply an outcome; state changes are persisted off the request path. */
  report(key: PickedKey, outcome: KeyOutcome, policy: PoolPolicy): void | Promise<void>
  /** Admin changes to one or more keys (restore, disable, enable). */
  setStatus(groupId: number, keyIds: number[], status: KeyStatus): Promise<void>
  stats(groupId: number): GroupPoolStats | Promise<GroupPoolStats>
  /** Wait until queued state writes reached the store (shutdown, tests). */
  flush(): Promise<void>
  close(): Promise<void>
}
