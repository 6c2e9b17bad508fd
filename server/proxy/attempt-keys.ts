/**
 * Which key an attempt uses (session affinity, aggregate tiers), and what the attempt's outcome does to that key and
 * to the upstream's circuit.
 */
import type { PickedKey } from '../pool/types'
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
  if (session) {
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
  const key = await d.pool.pick(rg.group.id, ctx.tried)
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
    const key = target ? await d.pool.pick(id, ctx.tried) : null
    if (key && target) return { key, target }
    exhausted.add(id)
  }
  return null
}

function tierOf(rg: RuntimeGroup, subId: number): number | undefined {
  const t = rg.subTiers?.findIndex((tier) => tier.has(subId)) ?? -1
  return t === -1 ? undefined : t + 1
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
