/**
 * The store interface: everything the server keeps durably. Two implementations (bun:sqlite, PostgreSQL) pass
 * the same test suite (tests/db/store.suite.ts). All methods are async so both backends fit.
 * Key values cross this boundary in plain text; the store encrypts/decrypts them with the KeyCipher it was given.
 */
import type { KeyStatus, RequestType } from './domain'
import type * as tables from './schema/sqlite'

export { CHANNEL_TYPES, GROUP_TYPES, KEY_STATUSES, REQUEST_TYPES } from './domain'
export type { ChannelType, GroupType, HeaderRule, KeyStatus, RequestType, SubGroupRef, Upstream } from './domain'

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
  key_hash?: string
  model?: string
  is_success?: boolean
  status_code?: number
  source_ip?: string
  error_contains?: string
  request_type?: RequestType
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

/** Hourly counters per group; `hour` is epoch ms at the start of the hour (UTC). */
export type HourlyStat = Omit<typeof tables.hourlyStats.$inferSelect, 'id' | 'cache_hits'> & {
  /** answers served from the response cache (counted among success_count); absent = 0 */
  cache_hits?: number
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

export interface AddKeysResult {
  added_count: number
  ignored_count: number
  total_in_group: number
}

export interface Store {
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
  hourlyStats(sinceMs: number, untilMs: number, groupId?: number): Promise<HourlyStat[]>
}

/** Encrypts key values at rest; identity when ENCRYPTION_KEY is unset. */
export interface KeyCipher {
  encrypt(plain: string): string
  decrypt(stored: string): string
  /** dedup/search hash of a plain key */
  hash(plain: string): string
}
