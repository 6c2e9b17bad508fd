/**
 * The domain's closed vocabularies, each declared once as a tuple. The drizzle columns are typed with them
 * (db/schema/*), the row types are inferred from those columns, and the admin API's TypeBox enums are built from
 * the same tuples (server/admin/schemas.ts), so adding a value here reaches the store, the API and the UI client.
 * db/ owns them because it is the lowest part that stores them; channels, admin and the CLI import them from here.
 */

/** Upstream API families; server/channels has one channel record per value. */
export const CHANNEL_TYPES = ['openai', 'openai-response', 'anthropic', 'gemini'] as const
export type ChannelType = (typeof CHANNEL_TYPES)[number]

/** A standard group holds keys; an aggregate group spreads requests over its sub-groups. */
export const GROUP_TYPES = ['standard', 'aggregate'] as const
export type GroupType = (typeof GROUP_TYPES)[number]

export const KEY_STATUSES = ['active', 'cooling', 'invalid', 'disabled'] as const
export type KeyStatus = (typeof KEY_STATUSES)[number]

/** 'final' = the request's answer (one per request); 'retry' = an attempt that failed and was retried (GPT-Load) */
export const REQUEST_TYPES = ['final', 'retry'] as const
export type RequestType = (typeof REQUEST_TYPES)[number]

/** How often an access key's token and cost budgets start again (at 00:00 in TZ; weeks start on Monday). */
export const BUDGET_PERIODS = ['day', 'week', 'month', 'total'] as const
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number]

/** Type guard for a value read from outside (JSON, CLI flags, a database text column). */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value)
}

// ---- shapes of the JSON columns of groups ------------------------------------------------------------------------

export interface Upstream {
  url: string
  weight: number
}

export interface HeaderRule {
  key: string
  value: string
  action: 'set' | 'remove'
}

export interface SubGroupRef {
  group_id: number
  weight: number
}
