/**
 * Which key an attempt uses (session affinity, aggregate tiers), and what the attempt's outcome does to that key and
 * to the upstream's circuit.
 */
import type { SettingValues } from '../config/settings-schema'
import type { KeyPace, PickedKey } from '../pool/types'
import { log } from '../shared/logger'
import type { Classified } from './outcome'
import type { RuntimeGroup, RuntimeUpstream } from './runtime-groups'
import type { SmoothWeighted } from './upstream-select'
import type { ProxyDeps } from './types'

export interface Picked {
  key: PickedKey
  /** the group whose key it is: a sub-group for an aggregate group */
  target: RuntimeGroup
  /** for an aggregate: the sub-group's tier, counted from 1 */
  tier?: number
}

/** What one request has done so far, which the next pick takes into account. */
export interface PickContext {
  /** keys already tried in this request */
  tried: ReadonlySet<number>
  /** groups (sub-groups of an aggregate) one of whose attempts failed in this request */
  failed: ReadonlySet<number>
  /** the request's session, read only when a group asks for affinity */
  session: () => string | null
}

/** A key for the next attempt of a request to `rg`: the session's key when it is still usable, else the pool's. */
export async function pickKey(d: ProxyDeps, rg: RuntimeGroup, ctx: PickContext): Promise<Picked | null> {
  const session = rg.settings.session_affinity ? ctx.session() : null
  // A paced group skips affinity: the pinned key would bypass its pace (the pool paces only `pick`).
  if (session && !paceOf(rg.settings)) {
    const sticky = d.affinity.get(rg.group.id, session)
    const target = sticky && !ctx.tried.has(sticky.keyId) ? d.runtime.getById(sticky.groupId) : undefined
    const key = target && sticky ? await d.pool.pickById?.(sticky.groupId, sticky.keyId) : null
    if (key && target) return { key, target, tier: rg.subTiers ? tierOf(rg, target.group.id) : undefined }
  }
  const picked = rg.subTiers ? await pickSubGroupKey(d, rg.subTiers, ctx) : await pickOwnKey(d, rg, ctx)
  if (picked && session) d.affinity.set(rg.group.id, session, { groupId: picked.target.group.id, keyId: picked.key.id })
  return picked
}

async function pickOwnKey(d: ProxyDeps, rg: RuntimeGroup, ctx: PickContext): Promise<Picked | null> {
  const key = await d.pool.pick(rg.group.id, ctx.tried, paceOf(rg.settings))
  return key ? { key, target: rg } : null
}

/**
 * Aggregate groups: the first tier that still has a sub-group which neither lacks a usable key nor failed in this
 * request serves; a lower tier only once every sub-group above is out or failed. When every sub-group has failed
 * once, the retries go to any sub-group with a key left, first tier first (so a one-tier aggregate retries as it
 * always did).
 */
async function pickSubGroupKey(d: ProxyDeps, tiers: SmoothWeighted<number>[], ctx: PickContext): Promise<Picked | null> {
  const exhausted = new Set<number>()
  for (const fresh of [true, false])
    for (let t = 0; t < tiers.length; t++) {
      const picked = await pickInTier(d, tiers[t]!, ctx, exhausted, fresh)
      if (picked) return { ...picked, tier: t + 1 }
    }
  return null
}

async function pickInTier(
  d: ProxyDeps,
  tier: SmoothWeighted<number>,
  ctx: PickContext,
  exhausted: Set<number>,
  fresh: boolean,
): Promise<Picked | null> {
  const usable = (id: number) => !exhausted.has(id) && !(fresh && ctx.failed.has(id))
  for (let i = 0; i < tier.size; i++) {
    const id = tier.pick(usable)
    // the selector falls back to every sub-group when none is usable: that is "this tier is done"
    if (id === null || !usable(id)) return null
    const target = d.runtime.getById(id)
    const key = target ? await d.pool.pick(id, ctx.tried, paceOf(target.settings)) : null
    if (key && target) return { key, target }
    exhausted.add(id)
  }
  return null
}

function tierOf(rg: RuntimeGroup, subId: number): number | undefined {
  const t = rg.subTiers?.findIndex((tier) => tier.has(subId)) ?? -1
  return t === -1 ? undefined : t + 1
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
  const ids = rg.subTiers ? rg.subTiers.flatMap((tier) => tier.targets()) : [rg.group.id]
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
