/**
 * Logs phase (`--with-logs`): GPT-Load's request logs in time order become keypool log rows, with the hourly
 * counters the dashboard reads. keypool log ids are its own, so what was imported is remembered as a cursor (the
 * last timestamp and GPT-Load id, per source database) in the store's meta table: a second run imports only
 * rows after it.
 */
import { createHash } from 'node:crypto'
import type { HourlyStat, RequestLog } from '../../db/types'
import { maskKey } from '../shared/mask'
import { type ImportContext, pages, presentColumns } from './import-gpt-load-context'
import { int, logRow, text, time } from './import-gpt-load-map'

const LOG_COLUMNS = [
  'id', 'timestamp', 'group_id', 'group_name', 'key_value', 'key_hash', 'model', 'is_success', 'source_ip',
  'status_code', 'request_path', 'duration', 'error_message', 'user_agent', 'request_type', 'upstream_addr',
  'is_stream', 'request_body', 'retries', 'prompt_tokens', 'completion_tokens', 'total_tokens',
]
const HOUR = 3_600_000

interface Cursor {
  ts: number
  id: string
}

const after = (ts: number, id: string, c: Cursor | null) => c === null || ts > c.ts || (ts === c.ts && id > c.id)

export function cursorMetaKey(sourceLabel: string): string {
  return `import.gpt-load.logs.${createHash('sha256').update(sourceLabel).digest('hex').slice(0, 16)}`
}

export async function importLogs(ctx: ImportContext): Promise<void> {
  const cols = await presentColumns(ctx, 'request_logs', LOG_COLUMNS)
  if (!cols.includes('timestamp')) {
    ctx.progress.start('logs', 0)
    ctx.progress.finish()
    return
  }
  const metaKey = cursorMetaKey(ctx.source.label)
  const saved = await ctx.store.getMeta(metaKey)
  let cursor: Cursor | null = saved === null ? null : (JSON.parse(saved) as Cursor)
  ctx.progress.start('logs', await ctx.source.count('request_logs'))
  for await (const page of pages(ctx, 'request_logs', cols, ['timestamp', 'id'])) {
    const rows: RequestLog[] = []
    let next = cursor
    for (const raw of page) {
      const ts = time(raw.timestamp, ctx.source.localTimes)
      const id = text(raw.id)
      if (ts === null) {
        ctx.summary.logs.failed++
        continue
      }
      if (!after(ts, id, cursor)) {
        ctx.summary.logs.skipped++
        continue
      }
      rows.push(logRow(raw, ctx.source.localTimes, keyFields(ctx, raw)))
      if (after(ts, id, next)) next = { ts, id }
    }
    if (rows.length > 0) {
      await ctx.store.insertLogs(rows)
      await ctx.store.addHourlyStats(hourly(rows))
      ctx.summary.logs.imported += rows.length
    }
    // Saved after every page, so an interrupted run resumes without duplicating what it wrote.
    if (next !== cursor && next !== null) await ctx.store.setMeta(metaKey, JSON.stringify(next))
    cursor = next
    ctx.progress.advance(page.length)
  }
  ctx.progress.finish()
}

/** The key of a log row as keypool names it: its own hash, the masked value and its id in the mapped group. */
function keyFields(ctx: ImportContext, raw: Record<string, unknown>) {
  const groupId = ctx.groupIds.get(int(raw.group_id)) ?? null
  const gptHash = text(raw.key_hash)
  const plain = (gptHash && ctx.plainByGptHash.get(gptHash)) || ctx.reader.reveal(text(raw.key_value), gptHash || null)
  if (!plain) return { group_id: groupId, key_id: null, key_hash: '', key_masked: '' }
  const hash = ctx.store.cipher.hash(plain)
  const keyId = groupId === null ? null : (ctx.keyIds.get(`${groupId}:${hash}`) ?? null)
  return { group_id: groupId, key_id: keyId, key_hash: hash, key_masked: maskKey(plain) }
}

/** Counted as the live log writer counts: final rows of a known group. */
function hourly(rows: RequestLog[]): HourlyStat[] {
  return rows
    .filter((r) => r.group_id !== null && r.request_type === 'final')
    .map((r) => ({
      hour: Math.floor(r.timestamp / HOUR) * HOUR,
      group_id: r.group_id!,
      success_count: r.is_success ? 1 : 0,
      failure_count: r.is_success ? 0 : 1,
      prompt_tokens: r.prompt_tokens,
      completion_tokens: r.completion_tokens,
    }))
}
