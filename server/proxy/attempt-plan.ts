/**
 * Where the attempts of one request get their group and key. A request to `/proxy/{group}` has one group (its
 * sub-groups for an aggregate); a routed request (root routes) walks its candidate groups, tier by tier.
 */
import { pickKey, type PickContext, type Picked } from './attempt-keys'
import type { Prepared } from './prepare'
import { sessionOf } from './session-affinity'
import type { ProxyDeps } from './types'

export interface NextAttempt {
  /** the request as the chosen group takes it (its body rules applied) */
  r: Prepared
  picked: Picked
  /** the routing tier it belongs to, counted from 1; 0 when the request was not routed */
  tier: number
}

export interface AttemptPlan {
  /** attempts allowed in all (the first plus `max_retries`) */
  maxAttempts: number
  /** the next attempt; null when no group has a usable key left; a Response ends the request with it */
  next(tried: ReadonlySet<number>): Promise<NextAttempt | Response | null>
  /** the attempt just made failed in a way another key may do better */
  failed(a: NextAttempt): void
}

/** The session of a request, read once and only if a group asks for it. */
export function lazySession(r: Prepared, parsed?: unknown): () => string | null {
  let session: string | null | undefined
  return () => (session === undefined ? (session = sessionOf(r.p.request.headers, r.body, parsed)) : session)
}

export function oneGroup(d: ProxyDeps, r: Prepared): AttemptPlan {
  const failed = new Set<number>()
  const session = lazySession(r)
  return {
    maxAttempts: r.group.settings.max_retries + 1,
    async next(tried) {
      const ctx: PickContext = { tried, failed, session }
      const picked = await pickKey(d, r.group, ctx)
      return picked && { r, picked, tier: 0 }
    },
    failed(a) {
      failed.add(a.picked.target.group.id)
    },
  }
}
