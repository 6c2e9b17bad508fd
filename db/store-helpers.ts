/**
 * Dialect-independent pieces of the two stores: input cleaning, row <-> type mapping, log filters, chunking.
 * Both stores call these so the behaviour the shared suite checks lives in one place.
 */
import { and, eq, gte, lt, sql, type Column, type SQL } from 'drizzle-orm'
import {
  KEY_STATUSES,
  type ApiKey,
  type KeyCipher,
  type KeyStateUpdate,
  type KeyStatus,
  type LogQuery,
  type RequestLog,
  type NewGroup,
} from './types'
import { isOneOf } from './domain'

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

export function pageOffset(page: number, pageSize: number): { limit: number; offset: number } {
  const limit = Math.max(1, Math.floor(pageSize))
  return { limit, offset: (Math.max(1, Math.floor(page)) - 1) * limit }
}

export interface PreparedKey {
  key_value: string
  key_hash: string
}

/** Trim, drop empties, dedupe by hash within the input, encrypt. */
export function prepareKeys(keys: string[], cipher: KeyCipher): PreparedKey[] {
  const seen = new Set<string>()
  const out: PreparedKey[] = []
  for (const raw of keys) {
    const key = raw.trim()
    if (key === '') continue
    const hash = cipher.hash(key)
    if (seen.has(hash)) continue
    seen.add(hash)
    out.push({ key_value: cipher.encrypt(key), key_hash: hash })
  }
  return out
}

/** Input keys that are keys at all (empty strings are not); ignored_count = this minus added. */
export function countRealKeys(keys: string[]): number {
  let n = 0
  for (const k of keys) if (k.trim() !== '') n++
  return n
}

export function emptyStatusCounts(): Record<KeyStatus, number> {
  return { active: 0, cooling: 0, invalid: 0, disabled: 0 }
}

export function fillStatusCounts(rows: { status: string; n: number | string }[]): Record<KeyStatus, number> {
  const counts = emptyStatusCounts()
  for (const r of rows) if (isOneOf(KEY_STATUSES, r.status)) counts[r.status] = Number(r.n)
  return counts
}

const GROUP_FIELDS = [
  'name', 'display_name', 'description', 'group_type', 'channel_type', 'upstreams', 'test_model',
  'validation_endpoint', 'param_overrides', 'model_redirect_rules', 'model_redirect_strict', 'header_rules',
  'config', 'proxy_keys', 'sub_groups', 'sort', 'models', 'priority', 'weight',
] as const satisfies readonly (keyof NewGroup)[]

/** Only the writable group columns of a patch (callers may pass whole objects with id/created_at). */
export function groupPatch(patch: Partial<NewGroup>): Partial<NewGroup> {
  const out: Record<string, unknown> = {}
  for (const f of GROUP_FIELDS) if (patch[f] !== undefined) out[f] = patch[f]
  return out as Partial<NewGroup>
}

/** A stored key row with its value decrypted. */
export function toApiKey(row: ApiKey, cipher: KeyCipher): ApiKey {
  return { ...row, key_value: cipher.decrypt(row.key_value) }
}

/** Column set the log filter needs; both dialects' request_logs tables satisfy it. */
interface LogColumns {
  timestamp: Column
  access_key_id: Column
  group_name: Column
  key_hash: Column
  key_id: Column
  model: Column
  is_success: Column
  status_code: Column
  source_ip: Column
  error_message: Column
  request_type: Column
  tier: Column
}

/** Escape LIKE wildcards so a user's `%` or `_` matches itself. */
function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

export function logConditions(t: LogColumns, q: LogQuery): SQL | undefined {
  const conds: (SQL | undefined)[] = [
    q.group_name !== undefined ? eq(t.group_name, q.group_name) : undefined,
    q.access_key_id !== undefined ? eq(t.access_key_id, q.access_key_id) : undefined,
    // Through the key's id (indexed) and then its hash: the log table indexes key_id, not the 64-char hash.
    q.key_hash !== undefined
      ? and(sql`${t.key_id} in (select id from api_keys where key_hash = ${q.key_hash})`, eq(t.key_hash, q.key_hash))
      : undefined,
    q.model !== undefined ? eq(t.model, q.model) : undefined,
    q.is_success !== undefined ? eq(t.is_success, q.is_success) : undefined,
    q.status_code !== undefined ? eq(t.status_code, q.status_code) : undefined,
    q.source_ip !== undefined ? eq(t.source_ip, q.source_ip) : undefined,
    q.request_type !== undefined ? eq(t.request_type, q.request_type) : undefined,
    q.min_tier !== undefined ? gte(t.tier, q.min_tier) : undefined,
    q.start_time !== undefined ? gte(t.timestamp, q.start_time) : undefined,
    q.end_time !== undefined ? lt(t.timestamp, q.end_time) : undefined,
    q.error_contains ? sql`lower(${t.error_message}) like ${likeContains(q.error_contains)} escape '\\'` : undefined,
  ]
  return and(...conds.filter((c): c is SQL => c !== undefined))
}

/** The columns a status change writes: restoring a key clears its failures and cooldown. */
export function statusChange(status: KeyStatus, now: number) {
  const set: { status: KeyStatus; updated_at: number; cooling_until?: null; failure_count?: number } = {
    status,
    updated_at: now,
  }
  if (status !== 'cooling') set.cooling_until = null
  if (status === 'active') set.failure_count = 0
  return set
}

/**
 * Fold updates of the same key into one, in order: later fields win, `requests` add up. A batch then touches each
 * row once, which a single UPDATE … FROM (VALUES …) needs (it would apply only one of two rows for the same id).
 */
export function mergeKeyUpdates(updates: KeyStateUpdate[]): KeyStateUpdate[] {
  const byId = new Map<number, KeyStateUpdate>()
  for (const u of updates) {
    const prev = byId.get(u.id)
    if (!prev) {
      byId.set(u.id, { ...u })
      continue
    }
    const requests = (prev.requests ?? 0) + (u.requests ?? 0)
    for (const [k, v] of Object.entries(u)) if (v !== undefined) (prev as unknown as Record<string, unknown>)[k] = v
    prev.requests = requests
  }
  return [...byId.values()]
}

/**
 * old -> new key_hash pairs for request_logs after a key rewrite: one per distinct old hash (the same key value in
 * two groups has one hash), unchanged ones left out.
 */
export function logHashMoves(rows: { key_hash: string; old_key_hash: string }[]): Map<string, string> {
  const moves = new Map<string, string>()
  for (const r of rows) if (r.old_key_hash !== r.key_hash) moves.set(r.old_key_hash, r.key_hash)
  return moves
}

/** request_logs columns in insert order (raw prepared inserts on the hot flush path). */
export const LOG_COLUMNS = [
  'timestamp', 'group_id', 'group_name', 'key_id', 'key_hash', 'key_masked', 'model', 'method', 'path',
  'status_code', 'is_success', 'duration_ms', 'ttfb_ms', 'is_stream', 'attempt', 'retries', 'upstream',
  'source_ip', 'user_agent', 'error_message', 'prompt_tokens', 'completion_tokens', 'total_tokens', 'request_body',
  'request_type', 'protocol_in', 'protocol_out', 'access_key_id', 'cost_micros', 'priced', 'cached_tokens',
  'cache_write_tokens', 'tier', 'cache_hit',
] as const satisfies readonly (keyof RequestLog)[]

export function logRowValues(r: RequestLog): (string | number | null)[] {
  return LOG_COLUMNS.map((c) => {
    const v = r[c]
    return typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null)
  })
}
