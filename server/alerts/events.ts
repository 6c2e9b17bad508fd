/**
 * The events keypool raises, built in one place so their subjects (the cooldown's unit) and messages stay
 * consistent. Key values are always masked before they reach an alert.
 */
import type { AlertInput, AlertSink } from './types'

export interface InvalidatedKey {
  key_id: number
  key_masked: string
  group: string
}

export function keyInvalidated(key: InvalidatedKey): AlertInput {
  return {
    event: 'key_invalidated',
    subject: `key:${key.group}:${key.key_id}`,
    message: `key ${key.key_masked} of group ${key.group} is invalid`,
    details: { ...key },
  }
}

/** The per-minute batch of invalidated keys: one message listing them. */
export function keysInvalidatedBatch(keys: InvalidatedKey[]): AlertInput {
  const groups = [...new Set(keys.map((k) => k.group))]
  const lines = keys.map((k) => `${k.key_masked} (${k.group})`)
  return {
    event: 'key_invalidated',
    subject: keys.length === 1 ? `key:${keys[0]!.group}:${keys[0]!.key_id}` : `keys:${groups.join(',')}`,
    message: `${keys.length} key${keys.length === 1 ? '' : 's'} became invalid: ${lines.join(', ')}`,
    details: { count: keys.length, groups, keys },
  }
}

export function groupExhausted(group: string): AlertInput {
  return {
    event: 'group_exhausted',
    subject: `group:${group}`,
    message: `group ${group} has no usable key: requests are answered 503`,
    details: { group },
  }
}

export interface ErrorRate {
  group: string
  total: number
  failures: number
  percent: number
  threshold_percent: number
  window_minutes: number
}

export function errorRate(r: ErrorRate): AlertInput {
  return {
    event: 'error_rate',
    subject: `group:${r.group}`,
    message: `group ${r.group}: ${r.percent.toFixed(1)}% of ${r.total} requests failed in the last ${r.window_minutes} min (threshold ${r.threshold_percent}%)`,
    details: { ...r },
  }
}

export interface BudgetUse {
  access_key_id: number
  access_key_name: string
  /** 80 or 100 */
  percent: 80 | 100
  /** what was used and the budget, in the budget's unit */
  used: number
  budget: number
  unit: 'tokens' | 'usd'
  period: string
}

/** An access key reached 80 % or 100 % of its budget; each threshold is its own subject. */
export function budgetReached(b: BudgetUse): AlertInput {
  const amount = (n: number) => (b.unit === 'usd' ? `$${n.toFixed(2)}` : `${n} tokens`)
  return {
    event: 'budget',
    subject: `access_key:${b.access_key_id}:${b.percent}`,
    message: `access key ${b.access_key_name} used ${b.percent}% of its ${b.period} budget (${amount(b.used)} of ${amount(b.budget)})`,
    details: { ...b },
  }
}

/** Raised by the node that just became the leader of a cluster. */
export function leaderChanged(node: string): AlertInput {
  return {
    event: 'leader_changed',
    subject: `node:${node}`,
    message: `node ${node} is now the cluster leader`,
    details: { leader: node },
  }
}

/** `POST /api/alerts/test` */
export function testAlert(): AlertInput {
  return {
    event: 'test',
    subject: 'test',
    message: 'test message: this webhook receives keypool alerts',
    details: { test: true },
  }
}

/** The thresholds (80 %, 100 %) a debit from `before` to `after` crossed; a budget of 0 (none) crosses none. */
export function budgetThresholdsCrossed(before: number, after: number, budget: number): (80 | 100)[] {
  if (budget <= 0) return []
  return ([80, 100] as const).filter((p) => before * 100 < p * budget && after * 100 >= p * budget)
}

/**
 * What the access-key counters call after debiting an answer: raises `budget` for each threshold the debit
 * crossed (each threshold is its own subject, so 80 % and 100 % are both sent, once per cooldown).
 */
export function emitBudget(
  sink: AlertSink | undefined,
  use: Omit<BudgetUse, 'percent' | 'used'> & { before: number; after: number },
): void {
  if (!sink) return
  const { before, after, ...rest } = use
  for (const percent of budgetThresholdsCrossed(before, after, use.budget)) sink.emit(budgetReached({ ...rest, percent, used: after }))
}
