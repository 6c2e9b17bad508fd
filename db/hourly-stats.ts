/**
 * Summing hourly counters that share (hour, group, access key, model): the log writer's buffer and the stores'
 * upserts use this.
 */
import type { HourlyStat } from './types'

/** Adds `row` into the map under its identity; a new entry is a copy, so `row` is never mutated. */
export function addHourlyStat(into: Map<string, HourlyStat>, row: HourlyStat): void {
  const k = `${row.hour}:${row.group_id}:${row.access_key_id}:${row.model}`
  const cur = into.get(k)
  if (!cur) {
    into.set(k, { ...row })
    return
  }
  cur.success_count += row.success_count
  cur.failure_count += row.failure_count
  cur.prompt_tokens += row.prompt_tokens
  cur.completion_tokens += row.completion_tokens
  cur.cost_micros += row.cost_micros
  if (row.cache_hits) cur.cache_hits = (cur.cache_hits ?? 0) + row.cache_hits
}

/** One row per identity: one upsert may not touch the same row twice (PostgreSQL forbids it). */
export function mergeHourlyStats(rows: HourlyStat[]): HourlyStat[] {
  const byKey = new Map<string, HourlyStat>()
  for (const r of rows) addHourlyStat(byKey, r)
  return [...byKey.values()]
}
