/** Which key an attempt uses, and what the attempt's outcome does to that key and to the upstream's circuit. */
import type { PickedKey } from '../pool/types'
import { log } from '../shared/logger'
import type { Classified } from './outcome'
import type { RuntimeGroup, RuntimeUpstream } from './runtime-groups'
import type { ProxyDeps } from './types'

export interface Picked {
  key: PickedKey
  /** the group whose key it is: a sub-group for an aggregate group */
  target: RuntimeGroup
}

/** For aggregate groups a retry may move to another sub-group; a sub-group without a usable key is skipped. */
export async function pickKey(d: ProxyDeps, rg: RuntimeGroup, tried: Set<number>): Promise<Picked | null> {
  if (!rg.subGroups) {
    const key = await d.pool.pick(rg.group.id, tried)
    return key ? { key, target: rg } : null
  }
  const exhausted = new Set<number>()
  for (let i = 0; i < rg.subGroups.size; i++) {
    const id = rg.subGroups.pick((gid) => !exhausted.has(gid))
    if (id === null || exhausted.has(id)) return null
    const target = d.runtime.getById(id)
    const key = target ? await d.pool.pick(id, tried) : null
    if (key && target) return { key, target }
    exhausted.add(id)
  }
  return null
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
