/**
 * SQLite tables (drizzle sqlite-core). Mirrors db/schema/pg.ts column for column; times are epoch-ms integers.
 * Property names equal column names so rows map onto db/types.ts with no renaming.
 */
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { BUDGET_PERIODS, REQUEST_TYPES, type ChannelType, type GroupType, type HeaderRule, type KeyStatus, type SubGroupRef, type Upstream } from '../domain'

export const groups = sqliteTable('groups', {
  id: integer().primaryKey({ autoIncrement: true }),
  name: text().notNull().unique(),
  display_name: text().notNull().default(''),
  description: text().notNull().default(''),
  group_type: text().$type<GroupType>().notNull().default('standard'),
  channel_type: text().$type<ChannelType>().notNull(),
  upstreams: text({ mode: 'json' }).$type<Upstream[]>().notNull(),
  test_model: text().notNull().default(''),
  validation_endpoint: text().notNull().default(''),
  param_overrides: text({ mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  model_redirect_rules: text({ mode: 'json' }).$type<Record<string, string>>().notNull(),
  model_redirect_strict: integer({ mode: 'boolean' }).notNull().default(false),
  header_rules: text({ mode: 'json' }).$type<HeaderRule[]>().notNull(),
  /** per-group overrides of the settings a group may override (server/config/settings-schema.ts, `group: true`) */
  config: text({ mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  /** comma/newline separated extra proxy keys valid only for this group */
  proxy_keys: text().notNull().default(''),
  /** aggregate groups only */
  sub_groups: text({ mode: 'json' }).$type<SubGroupRef[]>().notNull(),
  sort: integer().notNull().default(0),
  /** model globs the group serves on the root routes (/v1/*, /v1beta/*); empty = reachable only as /proxy/{name} */
  models: text({ mode: 'json' }).$type<string[]>().notNull().default([]),
  /** routing tier: 1 is tried first, higher numbers only when every group of the tiers before failed */
  priority: integer().notNull().default(1),
  /** share of the routed requests inside its tier (weighted round-robin); 0 = never chosen by the root routes */
  weight: integer().notNull().default(1),
  created_at: integer().notNull(),
  updated_at: integer().notNull(),
})

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    group_id: integer().notNull(),
    /** the cipher's output (plain text when ENCRYPTION_KEY is unset) */
    key_value: text().notNull(),
    key_hash: text().notNull(),
    status: text().$type<KeyStatus>().notNull().default('active'),
    cooling_until: integer(),
    failure_count: integer().notNull().default(0),
    request_count: integer().notNull().default(0),
    last_used_at: integer(),
    notes: text().notNull().default(''),
    created_at: integer().notNull(),
    updated_at: integer().notNull(),
  },
  (t) => [
    uniqueIndex('api_keys_group_hash_uq').on(t.group_id, t.key_hash),
    index('api_keys_group_status_idx').on(t.group_id, t.status),
    index('api_keys_key_hash_idx').on(t.key_hash),
  ],
)

export const requestLogs = sqliteTable(
  'request_logs',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    timestamp: integer().notNull(),
    group_id: integer(),
    group_name: text().notNull().default(''),
    key_id: integer(),
    key_hash: text().notNull().default(''),
    key_masked: text().notNull().default(''),
    model: text().notNull().default(''),
    method: text().notNull().default(''),
    path: text().notNull().default(''),
    status_code: integer().notNull(),
    is_success: integer({ mode: 'boolean' }).notNull(),
    duration_ms: integer().notNull().default(0),
    ttfb_ms: integer(),
    is_stream: integer({ mode: 'boolean' }).notNull().default(false),
    attempt: integer().notNull().default(1),
    retries: integer().notNull().default(0),
    upstream: text().notNull().default(''),
    source_ip: text().notNull().default(''),
    user_agent: text().notNull().default(''),
    error_message: text().notNull().default(''),
    prompt_tokens: integer().notNull().default(0),
    completion_tokens: integer().notNull().default(0),
    total_tokens: integer().notNull().default(0),
    request_body: text(),
    request_type: text({ enum: REQUEST_TYPES }).notNull().default('final'),
    // protocol translation: the caller's protocol and the one sent upstream ('' = passed through natively)
    protocol_in: text().notNull().default(''),
    protocol_out: text().notNull().default(''),
    /** the access key that made the request; null for a proxy key */
    access_key_id: integer(),
    /** micro-USD from model_prices and the usage; 0 with priced = false when no price matched the model */
    cost_micros: integer().notNull().default(0),
    priced: integer({ mode: 'boolean' }).notNull().default(false),
    /** prompt tokens read from a cache / written to it (both are part of prompt_tokens) */
    cached_tokens: integer().notNull().default(0),
    cache_write_tokens: integer().notNull().default(0),
    /** routing tier that served the request (1 = first); 0 = not routed (a /proxy/{group} call) */
    tier: integer().notNull().default(0),
    // answered from the response cache: no key used, no upstream called, cost 0
    cache_hit: integer({ mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    index('request_logs_timestamp_idx').on(t.timestamp),
    index('request_logs_access_key_id_idx').on(t.access_key_id),
    index('request_logs_group_name_idx').on(t.group_name),
    // by key id, not key hash: random 64-char hashes made every log insert touch scattered index pages
    // (measured: ~11 µs of CPU per proxied request); a search by key value resolves the hash to key ids first.
    index('request_logs_key_id_idx').on(t.key_id),
    index('request_logs_status_code_idx').on(t.status_code),
  ],
)

export const systemSettings = sqliteTable('system_settings', {
  key: text().primaryKey(),
  value: text().notNull(),
})

export const hourlyStats = sqliteTable(
  'hourly_stats',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    hour: integer().notNull(),
    group_id: integer().notNull(),
    success_count: integer().notNull().default(0),
    failure_count: integer().notNull().default(0),
    prompt_tokens: integer().notNull().default(0),
    completion_tokens: integer().notNull().default(0),
    /** 0 = proxy keys (not null, so the upsert's unique index can match it) */
    access_key_id: integer().notNull().default(0),
    model: text().notNull().default(''),
    cost_micros: integer().notNull().default(0),
    cache_hits: integer().notNull().default(0),
  },
  (t) => [
    uniqueIndex('hourly_stats_hour_group_key_model_uq').on(t.hour, t.group_id, t.access_key_id, t.model),
    index('hourly_stats_access_key_hour_idx').on(t.access_key_id, t.hour),
  ],
)

/** USD per million tokens by model glob (`*`, `?`); the most specific glob that matches a model wins. */
export const modelPrices = sqliteTable('model_prices', {
  id: integer().primaryKey({ autoIncrement: true }),
  model: text().notNull().unique(),
  input_per_mtok: real().notNull(),
  output_per_mtok: real().notNull(),
  cached_input_per_mtok: real().notNull(),
  cache_write_per_mtok: real().notNull(),
  updated_at: integer().notNull(),
})

export const meta = sqliteTable('meta', {
  key: text().primaryKey(),
  value: text().notNull(),
})

/** Alerts the leader sent (or failed to send), one row per webhook and event; kept as long as request logs. */
export const alertHistory = sqliteTable(
  'alert_history',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    created_at: integer().notNull(),
    event: text().notNull(),
    subject: text().notNull(),
    message: text().notNull(),
    format: text().notNull(),
    /** the webhook's host and a masked path: webhook URLs carry their receiver's token */
    target: text().notNull(),
    ok: integer({ mode: 'boolean' }).notNull(),
    status_code: integer(),
    attempts: integer().notNull().default(1),
    error: text().notNull().default(''),
    node: text().notNull().default(''),
  },
  (t) => [index('alert_history_created_at_idx').on(t.created_at)],
)

/** Per-consumer keys: only an HMAC of the secret is kept (`key_hash`); limits of 0 mean none. */
export const accessKeys = sqliteTable(
  'access_keys',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    name: text().notNull().unique(),
    /** the secret's first 8 characters, for display */
    key_prefix: text().notNull(),
    key_hash: text().notNull(),
    enabled: integer({ mode: 'boolean' }).notNull().default(true),
    expires_at: integer(),
    groups: text({ mode: 'json' }).$type<string[]>().notNull(),
    models: text({ mode: 'json' }).$type<string[]>().notNull(),
    ip_allowlist: text({ mode: 'json' }).$type<string[]>().notNull(),
    rpm_limit: integer().notNull().default(0),
    tpm_limit: integer().notNull().default(0),
    max_concurrency: integer().notNull().default(0),
    token_budget: integer().notNull().default(0),
    cost_budget_usd: real().notNull().default(0),
    budget_period: text({ enum: BUDGET_PERIODS }).notNull().default('month'),
    notes: text().notNull().default(''),
    created_at: integer().notNull(),
    updated_at: integer().notNull(),
    last_used_at: integer(),
  },
  (t) => [uniqueIndex('access_keys_key_hash_uq').on(t.key_hash)],
)
