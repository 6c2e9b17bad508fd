/**
 * The store interface: everything the server keeps durably. Two implementations (bun:sqlite, PostgreSQL) pass
 * the same test suite (tests/db/store.suite.ts). All methods are async so both backends fit.
 * Key values cross this boundary in plain text; the store encrypts/decrypts them with the KeyCipher it was given.
 */
import type { ChannelType } from '../server/channels/types'

export type KeyStatus = 'active' | 'cooling' | 'invalid' | 'disabled'
export const KEY_STATUSES: readonly KeyStatus[] = ['active', 'cooling', 'invalid', 'disabled']

export interface Upstream {
  url: string
  weight: number
}

export interface HeaderRule {
  key: string
  value: string
  action: 'set' | 'remove'
}

export interface SubGroupRef {
  group_id: number
  weight: number
}

export interface Group {
  id: number
  name: string
  display_name: string
  description: string
  group_type: 'standard' | 'aggregate'
  channel_type: ChannelType
  upstreams: Upstream[]
  test_model: string
  validation_endpoint: string
  param_overrides: Record<string, unknown>
  model_redirect_rules: Record<string, string>
  model_redirect_strict: boolean
  header_rules: HeaderRule[]
  /** per-group overrides of the settings marked * in DESIGN.md */
  config: Record<string, unknown>
  /** comma/newline separated extra proxy keys valid only for this group */
  proxy_keys: string
  /** aggregate groups only */
  sub_groups: SubGroupRef[]
  sort: number
  created_at: number // epoch ms
  updated_at: number
}

export type NewGroup = Omit<Group, 'id' | 'created_at' | 'updated_at'>

export interface ApiKey {
  id: number
  group_id: number
  /** plain text (decrypted) */
  key_value: string
  /** sha256 hex of the key, or HMAC-SHA256 when ENCRYPTION_KEY is set: dedup + search */
  key_hash: string
  status: KeyStatus
  /** epoch ms; meaningful when status = cooling */
  cooling_until: number | null
  failure_count: number
  request_count: number
  last_used_at: number | null
  notes: string
  created_at: number
  updated_at: number
}

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

export interface RequestLog {
  id?: number
  timestamp: number // epoch ms
  group_id: number | null
  group_name: string
  key_id: number | null
  key_hash: string
  /** masked, e.g. sk-ab…wxyz */
  key_masked: string
  model: string
  method: string
  path: string
  status_code: number
  is_success: boolean
  duration_ms: number
  ttfb_ms: number | null
  is_stream: boolean
  attempt: number
  retries: number
  upstream: string
  source_ip: string
  user_agent: string
  error_message: string
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  request_body: string | null
  /** 'final' = the request's answer (one per request); 'retry' = an attempt that failed and was retried (GPT-Load) */
  request_type: 'final' | 'retry'
  /** translated calls: the caller's protocol (openai, anthropic, gemini, responses) and the upstream's; '' when native */
  protocol_in: string
  protocol_out: string
}

export interface LogQuery {
  group_name?: string
  key_hash?: string
  model?: string
  is_success?: boolean
  status_code?: number
  source_ip?: string
  error_contains?: string
  request_type?: 'final' | 'retry'
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

export interface HourlyStat {
  hour: number // epoch ms at the start of the hour (UTC)
  group_id: number
  success_count: number
  failure_count: number
  prompt_tokens: number
  completion_tokens: number
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
