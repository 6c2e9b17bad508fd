/**
 * The dashboard's usage sums over hourly_stats, built once for both dialects: each store only runs them.
 * Sums are cast to bigint so PostgreSQL's numeric sum and SQLite's integer sum read back as JS numbers alike.
 */
import { and, desc, eq, gte, lt, sql, type Column, type SQL } from 'drizzle-orm'
import type { UsageTotal, UsageTotalsQuery } from './types'

interface HourlyColumns {
  hour: Column
  group_id: Column
  access_key_id: Column
  model: Column
  success_count: Column
  failure_count: Column
  prompt_tokens: Column
  completion_tokens: Column
  cost_micros: Column
}

const total = (c: Column | SQL) => sql<number>`cast(coalesce(sum(${c}), 0) as bigint)`.mapWith(Number)

export function hourlyWhere(h: HourlyColumns, since: number, until: number, groupId?: number, accessKeyId?: number) {
  return and(
    gte(h.hour, since),
    lt(h.hour, until),
    groupId !== undefined ? eq(h.group_id, groupId) : undefined,
    accessKeyId !== undefined ? eq(h.access_key_id, accessKeyId) : undefined,
  )
}

/** select list, group-by column, where and order of a usage-totals query */
export function usageTotalsParts(h: HourlyColumns, q: UsageTotalsQuery) {
  const requests = sql`${h.success_count} + ${h.failure_count}`
  const fields = {
    access_key_id: q.by === 'access_key' ? sql<number>`${h.access_key_id}`.mapWith(Number) : sql<number>`0`.mapWith(Number),
    model: q.by === 'model' ? sql<string>`${h.model}` : sql<string>`''`,
    requests: total(requests),
    failures: total(h.failure_count),
    prompt_tokens: total(h.prompt_tokens),
    completion_tokens: total(h.completion_tokens),
    cost_micros: total(h.cost_micros),
  }
  const groupBy = sql`${q.by === 'access_key' ? h.access_key_id : h.model}`
  const first = q.order === 'cost' ? desc(total(h.cost_micros)) : desc(total(requests))
  const second = q.order === 'cost' ? desc(total(requests)) : desc(total(h.cost_micros))
  return { fields, groupBy, where: hourlyWhere(h, q.since, q.until, q.group_id), orderBy: [first, second, groupBy] as const }
}

