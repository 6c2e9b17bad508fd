/**
 * GPT-Load 1.x rows -> keypool shapes. GORM writes the same model differently per dialect (JSON as text or as
 * parsed values, booleans as 0/1 or true/false, SQLite times as text with an offset, MySQL DATETIME without one),
 * so every reader here accepts all of those forms.
 */
import type { KeyStatus, RequestLog } from '../../db/types'
import type { GroupInput } from '../admin/schemas'
import { SETTING_BY_KEY } from '../config/settings-schema'
import type { SourceRow } from './import-gpt-load-source'

export function text(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8')
  return String(v)
}

export function int(v: unknown): number {
  const n = typeof v === 'bigint' ? Number(v) : Number(v ?? 0)
  return Number.isFinite(n) ? Math.trunc(n) : 0
}

export function bool(v: unknown): boolean {
  if (typeof v === 'boolean') return v
  if (typeof v === 'string') return v === '1' || v.toLowerCase() === 't' || v.toLowerCase() === 'true'
  return int(v) !== 0
}

/** A JSON column: parsed already (PostgreSQL json, some MySQL drivers) or text; `fallback` when empty or broken. */
export function json<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback
  if (typeof v === 'object' && !(v instanceof Uint8Array)) return v as T
  const s = text(v).trim()
  if (s === '' || s === 'null') return fallback
  try {
    return JSON.parse(s) as T
  } catch {
    return fallback
  }
}

/**
 * Epoch ms of a time column, or null. `localTimes`: a zone-less Date from MySQL holds this machine's wall clock.
 * SQLite text looks like `2025-08-01 12:00:00.123456789+08:00` (Go's layout): nanoseconds are cut to ms.
 */
export function time(v: unknown, localTimes = false): number | null {
  if (v === null || v === undefined || v === '') return null
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null
    if (!localTimes) return v.getTime()
    return new Date(v.getUTCFullYear(), v.getUTCMonth(), v.getUTCDate(), v.getUTCHours(), v.getUTCMinutes(), v.getUTCSeconds(), v.getUTCMilliseconds()).getTime()
  }
  if (typeof v === 'number') return v > 1e11 ? v : v * 1000
  const s = text(v).trim()
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d+))?\s*(Z|[+-]\d\d:?\d\d)?/.exec(s)
  if (!m) {
    const t = Date.parse(s)
    return Number.isNaN(t) ? null : t
  }
  const ms = (m[3] ?? '').padEnd(3, '0').slice(0, 3)
  const zone = m[4] ? (m[4] === 'Z' ? 'Z' : m[4].replace(/^([+-]\d\d)(\d\d)$/, '$1:$2')) : localTimes ? '' : 'Z'
  const t = Date.parse(`${m[1]}T${m[2]}.${ms}${zone}`)
  return Number.isNaN(t) ? null : t
}

/** GPT-Load knows `active` and `invalid`; `disabled` is kept too; anything else (no cooling end known) is active. */
export function keyStatus(v: unknown): KeyStatus {
  const s = text(v).trim().toLowerCase()
  return s === 'invalid' || s === 'disabled' ? s : 'active'
}

/** Proxy keys as GPT-Load writes them: comma (or newline) separated. */
export function splitProxyKeys(v: string): string[] {
  return v.split(/[,\n\r]+/).map((k) => k.trim()).filter((k) => k !== '')
}

/** Group `config` entries keypool can override per group; the others are returned by name to report them. */
export function groupConfig(raw: unknown): { config: Record<string, unknown>; dropped: string[] } {
  const config: Record<string, unknown> = {}
  const dropped: string[] = []
  for (const [key, value] of Object.entries(json<Record<string, unknown>>(raw, {}))) {
    if (value === null || value === undefined) continue
    if (SETTING_BY_KEY.get(key)?.group) config[key] = value
    else dropped.push(key)
  }
  return { config, dropped }
}

/** The admin API's create body for a GPT-Load group row (sub-groups are filled in by the caller). */
export function groupInput(row: SourceRow): { input: GroupInput; dropped: string[] } {
  const { config, dropped } = groupConfig(row.config)
  const upstreams = json<{ url?: unknown; weight?: unknown }[]>(row.upstreams, [])
  const input: GroupInput = {
    name: text(row.name).trim(),
    display_name: text(row.display_name),
    description: text(row.description),
    group_type: text(row.group_type).trim() || 'standard',
    channel_type: text(row.channel_type).trim(),
    upstreams: Array.isArray(upstreams) ? upstreams.map((u) => ({ url: text(u?.url), weight: u?.weight === undefined ? 1 : int(u.weight) })) : [],
    test_model: text(row.test_model),
    validation_endpoint: text(row.validation_endpoint),
    param_overrides: json<Record<string, unknown>>(row.param_overrides, {}),
    model_redirect_rules: json<Record<string, unknown>>(row.model_redirect_rules, {}),
    model_redirect_strict: bool(row.model_redirect_strict),
    header_rules: json<unknown[]>(row.header_rules, []),
    config,
    proxy_keys: splitProxyKeys(text(row.proxy_keys)).join(','),
    sort: int(row.sort),
  }
  return { input, dropped }
}

/** A GPT-Load request_logs row as a keypool log row; the key fields are resolved by the caller. */
export function logRow(
  row: SourceRow,
  localTimes: boolean,
  key: { group_id: number | null; key_id: number | null; key_hash: string; key_masked: string },
): RequestLog {
  const body = text(row.request_body)
  return {
    timestamp: time(row.timestamp, localTimes) ?? 0,
    group_id: key.group_id,
    group_name: text(row.group_name),
    key_id: key.key_id,
    key_hash: key.key_hash,
    key_masked: key.key_masked,
    model: text(row.model),
    method: text(row.method), // GPT-Load does not record it
    path: text(row.request_path),
    status_code: int(row.status_code),
    is_success: bool(row.is_success),
    duration_ms: int(row.duration ?? row.duration_ms),
    ttfb_ms: null,
    is_stream: bool(row.is_stream),
    attempt: 1,
    retries: int(row.retries),
    upstream: text(row.upstream_addr),
    source_ip: text(row.source_ip),
    user_agent: text(row.user_agent),
    error_message: text(row.error_message),
    prompt_tokens: int(row.prompt_tokens),
    completion_tokens: int(row.completion_tokens),
    total_tokens: int(row.total_tokens) || int(row.prompt_tokens) + int(row.completion_tokens),
    request_body: body === '' ? null : body,
    request_type: text(row.request_type) === 'retry' ? 'retry' : 'final',
    protocol_in: '',
    protocol_out: '',
    // GPT-Load has neither access keys nor prices
    access_key_id: null,
    cost_micros: 0,
    priced: false,
    cached_tokens: 0,
    cache_write_tokens: 0,
    tier: 0,
    cache_hit: false,
  }
}
