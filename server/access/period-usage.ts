/**
 * Tokens and cost each access key spent in its current budget period, from the hourly stats (they lag the request
 * path by one log flush). Seeds the counters at start, so a restart does not hand a spent budget back.
 */
import type { Store } from '../../db/types'
import type { CompiledAccessKey } from './compiled'
import type { AccessCounters } from './counters'
import { periodBounds } from './period'

export type Spent = { tokens: number; costMicros: number }

export async function periodUsage(store: Pick<Store, 'usageTotals'>, keys: CompiledAccessKey[], now: number): Promise<Map<number, Spent>> {
  const out = new Map<number, Spent>()
  const byStart = new Map<number, Set<number>>()
  for (const k of keys) {
    const { start } = periodBounds(k.row.budget_period, now)
    let ids = byStart.get(start)
    if (!ids) byStart.set(start, (ids = new Set()))
    ids.add(k.row.id)
  }
  for (const [since, ids] of byStart) {
    const totals = await store.usageTotals({ since, until: now + 1, by: 'access_key', order: 'requests', limit: 1_000_000 })
    for (const t of totals)
      if (ids.has(t.access_key_id)) out.set(t.access_key_id, { tokens: t.prompt_tokens + t.completion_tokens, costMicros: t.cost_micros })
  }
  return out
}

/** Budgets of limited keys start from what the store knows they spent this period. */
export async function seedBudgets(store: Pick<Store, 'usageTotals'>, counters: AccessCounters, keys: CompiledAccessKey[], now: number): Promise<void> {
  const budgeted = keys.filter((k) => k.row.token_budget > 0 || k.row.cost_budget_usd > 0)
  if (budgeted.length === 0) return
  const spent = await periodUsage(store, budgeted, now)
  for (const k of budgeted) {
    const s = spent.get(k.row.id)
    if (!s) continue
    const p = periodBounds(k.row.budget_period, now)
    await counters.seed(k.row.id, p.start, p.end, s)
  }
}
