/** `GET /api/logs` (filters + pagination) and `GET /api/logs/export` (CSV of the same filter). */
import { Elysia } from 'elysia'
import type { LogQuery, RequestLog } from '../../db/types'
import type { AdminDeps } from './deps'
import { validationError } from '../shared/errors'
import { authGuard } from './auth'
import type { AdminContext } from './context'
import { ok, pageOf, paged } from './envelope'
import { hashKey } from './key-text'
import { Envelope, LogExportQuery, LogQueryParams, LogView, Paged, type LogQueryParams as LogParams, type LogView as LogRow } from './schemas'

const EXPORT_PAGE = 2000
const EXPORT_MAX_ROWS = 200_000

/** ISO 8601 or epoch milliseconds. */
export function timeOf(field: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined
  const v = /^\d+$/.test(raw.trim()) ? Number(raw) : Date.parse(raw)
  if (!Number.isFinite(v)) throw validationError(`${field} must be an ISO 8601 time or epoch milliseconds`)
  return v
}

const blankToUndef = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim())

export function logQueryOf(store: AdminDeps['store'], q: LogParams): Omit<LogQuery, 'page' | 'page_size'> {
  const start_time = timeOf('start_time', q.start_time)
  const end_time = timeOf('end_time', q.end_time)
  if (start_time !== undefined && end_time !== undefined && start_time > end_time)
    throw validationError('start_time must not be after end_time')
  const key = blankToUndef(q.key_value)
  const accessKeyText = blankToUndef(q.access_key_id)
  const access_key_id = accessKeyText === undefined ? undefined : Number(accessKeyText)
  if (access_key_id !== undefined && !(Number.isInteger(access_key_id) && access_key_id >= 1))
    throw validationError('access_key_id must be an access key id (an integer from 1)')
  const statusText = blankToUndef(q.status_code)
  const status_code = statusText === undefined ? undefined : Number(statusText)
  if (status_code !== undefined && !(Number.isInteger(status_code) && status_code >= 0 && status_code <= 999))
    throw validationError('status_code must be an HTTP status number')
  return {
    group_name: blankToUndef(q.group_name),
    access_key_id,
    // Logs keep only the key's hash and mask: search by the full value goes through its hash.
    key_hash: key === undefined ? undefined : hashKey(store, key),
    model: blankToUndef(q.model),
    is_success: q.is_success ? q.is_success === 'true' : undefined,
    status_code,
    source_ip: blankToUndef(q.source_ip),
    error_contains: blankToUndef(q.error_contains),
    request_type: q.request_type ? q.request_type : undefined,
    start_time,
    end_time,
  }
}

export function toLogView(r: RequestLog): LogRow {
  const { key_hash: _h, key_masked, attempt: _a, id, ...rest } = r
  return {
    ...rest, id: id ?? 0, key_value: key_masked, request_path: r.path, upstream_addr: r.upstream, cost_usd: usd(r.cost_micros),
  }
}

const CSV_COLUMNS = [
  'id', 'timestamp', 'group_name', 'key_value', 'model', 'method', 'path', 'status_code', 'is_success', 'duration_ms',
  'ttfb_ms', 'is_stream', 'retries', 'upstream', 'source_ip', 'user_agent', 'error_message', 'prompt_tokens',
  'completion_tokens', 'total_tokens', 'request_type', 'access_key_id', 'cost_usd', 'priced', 'cached_tokens',
  'cache_write_tokens',
] as const

/** micro-USD as dollars (exact to the micro-dollar in a double) */
export const usd = (micros: number) => micros / 1_000_000

// RFC 4180 quoting; a leading = + - @ is prefixed so spreadsheets do not run it as a formula.
function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function csvRow(l: LogRow): string {
  return CSV_COLUMNS.map((c) => csvCell(c === 'timestamp' ? new Date(l.timestamp).toISOString() : l[c])).join(',')
}

export function logRoutes({ deps, auth, seed }: AdminContext) {
  return new Elysia({ name: 'admin.logs', prefix: '/api/logs', seed })
    .use(authGuard(auth))
    .guard({ auth: true })
    .get(
      '/',
      async ({ query }) => {
        const { page, page_size } = pageOf(query)
        const r = await deps.store.queryLogs({ ...logQueryOf(deps.store, query), page, page_size })
        return ok(paged(r.items.map(toLogView), r.total, page, page_size))
      },
      { query: LogQueryParams, response: Envelope(Paged(LogView)), detail: { summary: 'Request logs, newest first' } },
    )
    .get(
      '/export',
      async ({ query, set }) => {
        const filter = logQueryOf(deps.store, query)
        const lines = [CSV_COLUMNS.join(',')]
        for (let page = 1; (page - 1) * EXPORT_PAGE < EXPORT_MAX_ROWS; page++) {
          const r = await deps.store.queryLogs({ ...filter, page, page_size: EXPORT_PAGE })
          for (const row of r.items) lines.push(csvRow(toLogView(row)))
          if (r.items.length < EXPORT_PAGE) break
        }
        set.headers['content-type'] = 'text/csv; charset=utf-8'
        set.headers['content-disposition'] = `attachment; filename="request-logs.csv"`
        return lines.join('\r\n') + '\r\n'
      },
      {
        query: LogExportQuery,
        detail: { summary: 'Request logs as CSV (same filters, up to 200,000 rows); ?key= works as a Bearer key here' },
      },
    )
}
