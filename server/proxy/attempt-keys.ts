/** Which key an attempt uses, and what the attempt's outcome does to that key and to the upstream's circuit. */
import type { SettingValues } from '../config/settings-schema'
import type { KeyPace, PickedKey } from '../pool/types'
import { log } from '../shared/logger'
import type { Classified } from './outcome'
import type { RuntimeGroup, RuntimeUpstream } from './runtime-groups'
import type { ProxyDeps } from './types'

export interface Picked {
  key: PickedKey
  /** the group whose key it is: a sub-group for an aggregate group */
  target: RuntimeGroup
}

/**
 * For aggregate groups a retry may move to another sub-group; a sub-group without a usable key is skipped. Each
 * pick is paced by its group's settings: the caller hands the key to the request's record at once (`rec.hold`),
 * which releases its concurrency slot when the attempt or the request ends (exactly once, whatever ends it).
 */
export async function pickKey(d: ProxyDeps, rg: RuntimeGroup, tried: Set<number>): Promise<Picked | null> {
  if (!rg.subGroups) {
    const key = await d.pool.pick(rg.group.id, tried, paceOf(rg.settings))
    return key ? { key, target: rg } : null
  }
  const exhausted = new Set<number>()
  for (let i = 0; i < rg.subGroups.size; i++) {
    const id = rg.subGroups.pick((gid) => !exhausted.has(gid))
    if (id === null || exhausted.has(id)) return null
    const target = d.runtime.getById(id)
    const key = target ? await d.pool.pick(id, tried, paceOf(target.settings)) : null
    if (key && target) return { key, target }
    exhausted.add(id)
  }
  return null
}

/** past the request timeout, a slot frees itself this much later (the request's own end releases it first) */
const LEASE_MARGIN_MS = 30_000

/** The group's key pacing for the pool, or undefined when it has none (the pick then does no pacing work). */
export function paceOf(s: SettingValues): KeyPace | undefined {
  if (s.key_rpm_limit === 0 && s.key_concurrency_limit === 0) return undefined
  return { rpm: s.key_rpm_limit, concurrency: s.key_concurrency_limit, leaseMs: s.request_timeout * 1000 + LEASE_MARGIN_MS }
}

/**
 * When no key could be picked: the seconds until a resting key (cooling after a 429, or paced) of the group or its
 * sub-groups may serve again, for the 503's Retry-After; null when no key rests (all invalid or disabled).
 */
export async function restingRetryAfter(d: ProxyDeps, rg: RuntimeGroup, now: number): Promise<number | null> {
  const ids = rg.subGroups ? rg.subGroups.targets() : [rg.group.id]
  let earliest: number | null = null
  for (const id of ids) {
    const at = await d.pool.nextFree(id)
    if (at !== null && (earliest === null || at < earliest)) earliest = at
  }
  return earliest === null ? null : Math.max(1, Math.ceil((earliest - now) / 1000))
}

export const SUCCESS: Classified = { retry: false, key: { kind: 'success' }, upstreamFailure: false, error: '' }

/** Not awaited: a Redis round trip for the key's state must not delay the answer. */
export function report(
  d: ProxyDeps,
  key: PickedKey,
  upstream: RuntimeUpstream,
  c: Classified,
  policy: { blacklistThreshold: number },
  now: number,
): void {
  if (c.upstreamFailure) upstream.circuit.failure(now)
  else upstream.circuit.success()
  try {
    const r = d.pool.report(key, c.key, policy)
    if (r) r.catch((err) => log.warn('key state report failed', { error: String(err) }))
  } catch (err) {
    log.warn('key state report failed', { error: String(err) })
  }
}
