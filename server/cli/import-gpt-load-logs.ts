/**
 * Logs phase (`--with-logs`): GPT-Load's request logs become keypool log rows, with the hourly counters the
 * dashboard reads. keypool log ids are its own, so what was imported is remembered in the store's meta table, per
 * source database: rows up to the newest timestamp a finished run saw count as imported, so a second run adds only
 * newer ones. Rows are read in primary-key order (an index walk, never a sort of the whole table) and the position
 * is saved after every page, so an interrupted run resumes where it stopped without writing a row twice.
 */
import { createHash } from 'node:crypto'
import type { HourlyStat, RequestLog } from '../../db/types'
import { maskKey } from '../shared/mask'
import { type ImportContext, ImportError, presentColumns } from './import-gpt-load-context'
import { int, logRow, text, time } from './import-gpt-load-map'

const LOG_COLUMNS = [
  'id', 'timestamp', 'group_id', 'group_name', 'key_value', 'key_hash', 'model', 'is_success', 'source_ip',
  'status_code', 'request_path', 'duration', 'error_message', 'user_agent', 'request_type', 'upstream_addr',
  'is_stream', 'request_body', 'retries', 'prompt_tokens', 'completion_tokens', 'total_tokens',
]
const HOUR = 3_600_000
const PAGE = 1000
/** GPT-Load's log ids are UUIDs; only such ids are ever put into a query */
const LOG_ID = /^[0-9A-Za-z_-]{1,64}$/

interface LogCursor {
  /** rows with a timestamp up to this (epoch ms) came in with an earlier, finished run */
  imported_until: number | null
  /** a run in progress got through this id (primary-key order) ... */
  resume_after_id?: string
  /** ... and saw timestamps up to this */
  pass_max_ts?: number | null
}

export function cursorMetaKey(sourceLabel: string): string {
  return `import.gpt-load.logs.${createHash('sha256').update(sourceLabel).digest('hex').slice(0, 16)}`
}

export async function importLogs(ctx: ImportContext): Promise<void> {
  const cols = await presentColumns(ctx, 'request_logs', LOG_COLUMNS)
  if (!cols.includes('timestamp') || !cols.includes('id')) {
    ctx.progress.start('logs', 0)
    ctx.progress.finish()
    return
  }
  const metaKey = cursorMetaKey(ctx.source.label)
  const saved = await ctx.store.getMeta(metaKey)
  const cursor: LogCursor = saved === null ? { imported_until: null } : (JSON.parse(saved) as LogCursor)
  const until = cursor.imported_until
  let lastId = cursor.resume_after_id ?? ''
  let passMax = cursor.pass_max_ts ?? until
  ctx.progress.start('logs', await ctx.source.count('request_logs'))
  for (;;) {
    const page = await ctx.source.select('request_logs', cols, { where: lastId === '' ? undefined : `id > '${lastId}'`, orderBy: ['id'], limit: PAGE })
    if (page.length === 0) break
    const rows: RequestLog[] = []
    for (const raw of page) {
      const ts = time(raw.timestamp, ctx.source.localTimes)
      if (ts === null) ctx.summary.logs.failed++
      else if (until !== null && ts <= until) ctx.summary.logs.skipped++
      else {
        rows.push(logRow(raw, ctx.source.localTimes, keyFields(ctx, raw)))
        passMax = passMax === null ? ts : Math.max(passMax, ts)
      }
    }
    lastId = text(page.at(-1)!.id)
    if (!LOG_ID.test(lastId)) throw new ImportError(`request_logs: unexpected id ${JSON.stringify(lastId.slice(0, 80))}`)
    if (rows.length > 0) {
      await ctx.store.insertLogs(rows)
      await ctx.store.addHourlyStats(hourly(rows))
      ctx.summary.logs.imported += rows.length
    }
    await ctx.store.setMeta(metaKey, JSON.stringify({ imported_until: until, resume_after_id: lastId, pass_max_ts: passMax } satisfies LogCursor))
    ctx.progress.advance(page.length)
    if (page.length < PAGE) break
  }
  await ctx.store.setMeta(metaKey, JSON.stringify({ imported_until: passMax } satisfies LogCursor))
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
      access_key_id: 0,
      model: r.model.slice(0, 100),
      success_count: r.is_success ? 1 : 0,
      failure_count: r.is_success ? 0 : 1,
      prompt_tokens: r.prompt_tokens,
      completion_tokens: r.completion_tokens,
      cost_micros: 0,
    }))
}
