/**
 * The store interface: everything the server keeps durably. Two implementations (bun:sqlite, PostgreSQL) pass
 * the same test suite (tests/db/store.suite.ts). All methods are async so both backends fit.
 * Key values cross this boundary in plain text; the store encrypts/decrypts them with the KeyCipher it was given.
 */
import type { BudgetPeriod, KeyStatus, RequestType } from './domain'
import type * as tables from './schema/sqlite'

export { BUDGET_PERIODS, CHANNEL_TYPES, GROUP_TYPES, KEY_STATUSES, REQUEST_TYPES } from './domain'
export type { BudgetPeriod, ChannelType, GroupType, HeaderRule, KeyStatus, RequestType, SubGroupRef, Upstream } from './domain'

/**
 * Row types are inferred from the drizzle tables (db/schema/sqlite.ts; tests/db/row-types.test.ts pins that the
 * PostgreSQL tables infer the same), so a column is declared once. Times are epoch ms.
 */
export type Group = typeof tables.groups.$inferSelect

export type NewGroup = Omit<Group, 'id' | 'created_at' | 'updated_at'>

/**
 * A key as the store hands it out: `key_value` in plain text (the store decrypts what the column holds);
 * `key_hash` is sha256 hex of the key, or HMAC-SHA256 when ENCRYPTION_KEY is set (dedup + search);
 * `cooling_until` is meaningful when status = cooling.
 */
export type ApiKey = typeof tables.apiKeys.$inferSelect

/** A key state change written off the request path by the pool. */
export interface KeyStateUpdate {
  id: number
  status?: KeyStatus
  cooling_until?: number | null
  failure_count?: number
  /** added to request_count */
  requests?: number
  last_used_at?: number
}

/**
 * One request log row; `id` is absent before insert. `key_masked` e.g. sk-ab…wxyz; `request_type` 'final' = the
 * request's answer (one per request), 'retry' = an attempt that failed and was retried (GPT-Load).
 */
export type RequestLog = Omit<typeof tables.requestLogs.$inferSelect, 'id'> & { id?: number }

export interface LogQuery {
  group_name?: string
  access_key_id?: number
  key_hash?: string
  model?: string
  is_success?: boolean
  status_code?: number
  source_ip?: string
  error_contains?: string
  request_type?: RequestType
  /** rows served at this routing tier or a later one (1 = every routed request, 2 = fallbacks) */
  min_tier?: number
  start_time?: number
  end_time?: number
  page: number
  page_size: number
}

export interface KeyQuery {
  group_id?: number
  status?: KeyStatus
  /** exact key hash (search by full key value) */
  key_hash?: string
  page: number
  page_size: number
}

export interface Page<T> {
  items: T[]
  total: number
}

/**
 * Hourly counters per (hour, group, access key, model); `hour` is epoch ms at the start of the hour (UTC),
 * `access_key_id` 0 = requests made with proxy keys, `cost_micros` micro-USD.
 */
export type HourlyStat = Omit<typeof tables.hourlyStats.$inferSelect, 'id' | 'cache_hits'> & {
  /** answers served from the response cache (counted among success_count); absent = 0 */
  cache_hits?: number
}

/** One model price row: USD per million tokens, `model` a glob (`*`, `?`). */
export type ModelPrice = typeof tables.modelPrices.$inferSelect
export type NewModelPrice = Omit<ModelPrice, 'id' | 'updated_at'>

/** Usage summed over a time range, grouped by access key or by model (the dashboard's top lists). */
export interface UsageTotalsQuery {
  since: number
  until: number
  by: 'access_key' | 'model'
  order: 'cost' | 'requests'
  limit: number
  group_id?: number
}

export interface UsageTotal {
  /** the access key's id (0 = proxy keys) when grouped by access key, else 0 */
  access_key_id: number
  /** the model when grouped by model, else '' */
  model: string
  requests: number
  failures: number
  prompt_tokens: number
  completion_tokens: number
  cost_micros: number
}

/** One key's new stored form for Store.rewriteKeys, already encrypted and hashed by the caller. */
export interface StoredKeyRewrite {
  id: number
  /** written verbatim: the store's cipher is not applied */
  key_value: string
  key_hash: string
  /** the hash before the rewrite, so request_logs.key_hash can follow the key */
  old_key_hash: string
}

/** One alert sent (or given up on) to one webhook; `id` is absent before insert. */
export type AlertRecord = Omit<typeof tables.alertHistory.$inferSelect, 'id'> & { id?: number }

/** Final request rows of one group in a time window (the leader's error-rate check reads these). */
export interface GroupRequestCounts {
  group_name: string
  total: number
  failures: number
}

export interface AddKeysResult {
  added_count: number
  ignored_count: number
  total_in_group: number
}

/** A per-consumer access key as stored: `key_hash` is HMAC-SHA256 of the secret (the secret is never stored). */
export type AccessKey = typeof tables.accessKeys.$inferSelect

export type NewAccessKey = Omit<AccessKey, 'id' | 'created_at' | 'updated_at' | 'last_used_at'>

/** Columns an admin edit may change (the secret only through rotation: key_prefix + key_hash together). */
export type AccessKeyPatch = Partial<Omit<NewAccessKey, 'budget_period'> & { budget_period: BudgetPeriod }>

export interface AccessKeyStore {
  listAccessKeys(): Promise<AccessKey[]>
  getAccessKey(id: number): Promise<AccessKey | null>
  /** throws on a duplicate name or hash */
  createAccessKey(k: NewAccessKey): Promise<AccessKey>
  updateAccessKey(id: number, patch: AccessKeyPatch): Promise<AccessKey | null>
  deleteAccessKey(id: number): Promise<boolean>
  /** last_used_at, written in batches off the request path; a later time never goes back */
  touchAccessKeys(uses: { id: number; last_used_at: number }[]): Promise<void>
}

export interface Store extends AccessKeyStore {
  readonly dialect: 'sqlite' | 'postgres'
  close(): Promise<void>
  ping(): Promise<boolean>

  // settings (string values, JSON-encoded by the settings layer)
  getSettings(): Promise<Record<string, string>>
  putSettings(values: Record<string, string>): Promise<void>
  /** small key/value for install-level data (encryption salt, schema facts) */
  getMeta(key: string): Promise<string | null>
  setMeta(key: string, value: string): Promise<void>

  // groups
  listGroups(): Promise<Group[]>
  getGroup(id: number): Promise<Group | null>
  getGroupByName(name: string): Promise<Group | null>
  createGroup(g: NewGroup): Promise<Group>
  updateGroup(id: number, patch: Partial<NewGroup>): Promise<Group | null>
  /** deletes the group and its keys; request logs keep the group name */
  deleteGroup(id: number): Promise<boolean>
  reorderGroups(order: { id: number; sort: number }[]): Promise<void>

  // keys
  /** Insert keys (plain text) into a group, skipping ones whose hash is already in the group. */
  addKeys(groupId: number, keys: string[]): Promise<AddKeysResult>
  listKeys(q: KeyQuery): Promise<Page<ApiKey>>
  /** every key of a group (used to load the pool) */
  groupKeys(groupId: number): Promise<ApiKey[]>
  getKey(id: number): Promise<ApiKey | null>
  countKeysByStatus(groupId?: number): Promise<Record<KeyStatus, number>>
  applyKeyUpdates(updates: KeyStateUpdate[]): Promise<void>
  setKeyStatus(ids: number[], status: KeyStatus): Promise<number>
  setKeyNotes(id: number, notes: string): Promise<boolean>
  deleteKeys(groupId: number, ids: number[]): Promise<number>
  deleteKeysByStatus(groupId: number, status: KeyStatus | 'all'): Promise<number>
  /** invalid keys across groups (validation job) */
  keysByStatus(status: KeyStatus, groupId?: number): Promise<ApiKey[]>
  /**
   * `keypool migrate-keys`: in one transaction, write each row's key_value and key_hash as given, move
   * request_logs.key_hash from old_key_hash to key_hash, and set each meta entry (null deletes it).
   */
  rewriteKeys(rows: StoredKeyRewrite[], meta: Record<string, string | null>): Promise<void>

  // request logs and stats
  insertLogs(rows: RequestLog[]): Promise<void>
  queryLogs(q: LogQuery): Promise<Page<RequestLog>>
  deleteLogsBefore(ts: number): Promise<number>
  /** upsert-add hourly counters */
  addHourlyStats(rows: HourlyStat[]): Promise<void>
  /** rows with hour in [sinceMs, untilMs), optionally of one group and/or one access key (0 = proxy keys) */
  hourlyStats(sinceMs: number, untilMs: number, groupId?: number, accessKeyId?: number): Promise<HourlyStat[]>
  /** hourly counters summed per access key or per model, largest first */
  usageTotals(q: UsageTotalsQuery): Promise<UsageTotal[]>

  // model prices
  listModelPrices(): Promise<ModelPrice[]>
  /** replaces the whole list in one transaction */
  replaceModelPrices(rows: NewModelPrice[]): Promise<ModelPrice[]>
  /**
   * First start: inserts `rows` and sets meta `markerKey` = `markerValue` unless the marker is set already
   * (an operator who emptied the list keeps it empty). Returns whether it seeded.
   */
  seedModelPrices(rows: NewModelPrice[], markerKey: string, markerValue: string): Promise<boolean>
  /** final request rows per group with timestamp >= sinceMs, and how many of them failed */
  requestCountsSince(sinceMs: number): Promise<GroupRequestCounts[]>

  // alert history
  insertAlerts(rows: AlertRecord[]): Promise<void>
  /** newest first */
  listAlerts(page: number, pageSize: number): Promise<Page<AlertRecord>>
  deleteAlertsBefore(ts: number): Promise<number>
}

/** Encrypts key values at rest; identity when ENCRYPTION_KEY is unset. */
export interface KeyCipher {
  encrypt(plain: string): string
  decrypt(stored: string): string
  /** dedup/search hash of a plain key */
  hash(plain: string): string
}
