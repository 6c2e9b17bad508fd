/** The raw SQL the request-log writers run (main thread for in-memory databases, the log worker for files). */
import type { Database } from 'bun:sqlite'
import type { HourlyStat } from './types'
import { LOG_COLUMNS } from './store-helpers'

export type LogRowValues = (string | number | null)[]

export interface LogWriters {
  insertLogs(rows: LogRowValues[]): void
  addHourlyStats(rows: HourlyStat[]): void
}

export function prepareLogWriters(client: Database): LogWriters {
  const insertLog = client.prepare(
    `INSERT INTO request_logs (${LOG_COLUMNS.join(', ')}) VALUES (${LOG_COLUMNS.map(() => '?').join(', ')})`,
  )
  const upsertHour = client.prepare(
    `INSERT INTO hourly_stats (hour, group_id, access_key_id, model, success_count, failure_count, prompt_tokens,
       completion_tokens, cost_micros, cache_hits)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (hour, group_id, access_key_id, model) DO UPDATE SET
       success_count = success_count + excluded.success_count,
       failure_count = failure_count + excluded.failure_count,
       prompt_tokens = prompt_tokens + excluded.prompt_tokens,
       completion_tokens = completion_tokens + excluded.completion_tokens,
       cost_micros = cost_micros + excluded.cost_micros,
       cache_hits = cache_hits + excluded.cache_hits`,
  )
  return {
    insertLogs: client.transaction((rows: LogRowValues[]) => {
      for (const r of rows) insertLog.run(...r)
    }),
    addHourlyStats: client.transaction((rows: HourlyStat[]) => {
      for (const h of rows)
        upsertHour.run(h.hour, h.group_id, h.access_key_id, h.model, h.success_count, h.failure_count, h.prompt_tokens,
          h.completion_tokens, h.cost_micros, h.cache_hits ?? 0)
    }),
  }
}
