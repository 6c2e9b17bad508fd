/**
 * Every admin API shape, declared once with TypeBox (`t` from elysia). The same schemas validate requests, build
 * `/api/openapi.json` and type the UI's client (import the `Static<>` types below). Names are stable: the UI uses them.
 * Success answers are wrapped by `envelope()`: `{code: 0, message: "Success", data}`.
 */
import { t, type Static, type TSchema } from 'elysia'
import { CHANNEL_TYPES, GROUP_TYPES, KEY_STATUSES, REQUEST_TYPES } from '../../db/domain'
import { literalUnion as lit } from '../shared/literal-union'

export { TaskStatus, TaskTypeSchema, type TaskType } from '../jobs/task-status'

// ---- envelope, errors, pagination -------------------------------------------------------------------------------

export const Envelope = <T extends TSchema>(data: T) =>
  t.Object({ code: t.Literal(0), message: t.String(), data })
export const ErrorBody = t.Object({ code: t.String(), message: t.String() })
export const Pagination = t.Object({
  page: t.Integer(),
  page_size: t.Integer(),
  total_items: t.Integer(),
  total_pages: t.Integer(),
})
export const Paged = <T extends TSchema>(item: T) => t.Object({ items: t.Array(item), pagination: Pagination })
// Query and path numbers carry no bounds here: Elysia's error for a failed bound on a coerced query value loses the
// field's name, so bounds are checked in code (envelope.ts `pageOf`) with a message naming the field.
export const PageQuery = {
  page: t.Optional(t.Numeric({ description: 'from 1' })),
  page_size: t.Optional(t.Numeric({ description: '1 to 1000, default 20' })),
}
export const IdParams = t.Object({ id: t.Numeric() })

// ---- auth -------------------------------------------------------------------------------------------------------

export const LoginBody = t.Object({ auth_key: t.String() })
export const LoginResult = t.Object({ success: t.Boolean(), expires_at: t.Integer() })

// ---- groups -----------------------------------------------------------------------------------------------------

export const ChannelTypeSchema = lit(CHANNEL_TYPES)
export const GroupTypeSchema = lit(GROUP_TYPES)
export const RequestTypeSchema = lit(REQUEST_TYPES)
export const UpstreamSchema = t.Object({ url: t.String(), weight: t.Integer() })
export const HeaderRuleSchema = t.Object({ key: t.String(), value: t.String(), action: t.String() })
export const SubGroupRefSchema = t.Object({
  group_id: t.Integer(),
  weight: t.Integer(),
  priority: t.Optional(
    t.Integer({ description: 'tier inside the aggregate: 1 first; a higher tier serves only while every sub-group above has no usable key or failed' }),
  ),
})

/**
 * Create/update body. Loose on purpose (strings and unknowns): `validateGroupInput` checks every field and answers
 * with a message naming it, which TypeBox's generic messages do not do well.
 */
export const GroupInput = t.Object({
  name: t.Optional(t.String()),
  display_name: t.Optional(t.String()),
  description: t.Optional(t.String()),
  group_type: t.Optional(t.String()),
  channel_type: t.Optional(t.String()),
  upstreams: t.Optional(t.Unknown()),
  test_model: t.Optional(t.String()),
  validation_endpoint: t.Optional(t.String()),
  param_overrides: t.Optional(t.Unknown()),
  model_redirect_rules: t.Optional(t.Unknown()),
  model_redirect_strict: t.Optional(t.Boolean()),
  header_rules: t.Optional(t.Unknown()),
  config: t.Optional(t.Unknown()),
  proxy_keys: t.Optional(t.String()),
  sub_groups: t.Optional(t.Unknown()),
  sort: t.Optional(t.Integer()),
  models: t.Optional(t.Unknown()),
  priority: t.Optional(t.Unknown()),
  weight: t.Optional(t.Unknown()),
})

export const GroupView = t.Object({
  id: t.Integer(),
  name: t.String(),
  display_name: t.String(),
  description: t.String(),
  group_type: GroupTypeSchema,
  channel_type: ChannelTypeSchema,
  upstreams: t.Array(UpstreamSchema),
  test_model: t.String(),
  validation_endpoint: t.String(),
  param_overrides: t.Record(t.String(), t.Unknown()),
  model_redirect_rules: t.Record(t.String(), t.String()),
  model_redirect_strict: t.Boolean(),
  header_rules: t.Array(HeaderRuleSchema),
  config: t.Record(t.String(), t.Unknown()),
  proxy_keys: t.String(),
  sub_groups: t.Array(SubGroupRefSchema),
  sort: t.Integer(),
  models: t.Array(t.String(), {
    description: 'model globs served on the root routes /v1/* and /v1beta/*; empty = reachable only as /proxy/{name}',
  }),
  priority: t.Integer({ description: 'routing tier: 1 first; a higher tier serves a model only when every group before it failed' }),
  weight: t.Integer({ description: 'share of the routed requests inside its tier (weighted round-robin); 0 = never routed to' }),
  created_at: t.Integer(),
  updated_at: t.Integer(),
  /** the proxy base URL clients use: `{app_url}/proxy/{name}`; unset app_url = the admin request's origin */
  endpoint: t.String(),
})
export const GroupBrief = t.Object({ id: t.Integer(), name: t.String(), display_name: t.String() })
const ReorderItems = t.Array(t.Object({ id: t.Integer(), sort: t.Integer() }))
/** `[{id, sort}]`, or GPT-Load's web admin's `{items: [{id, sort}]}` */
export const ReorderBody = t.Union([ReorderItems, t.Object({ items: ReorderItems })])
export const CopyBody = t.Object({
  new_group_name: t.Optional(t.String()),
  copy_keys: t.Optional(lit(['none', 'valid_only', 'all'] as const)),
})
export const SubGroupsBody = t.Object({ sub_groups: t.Array(SubGroupRefSchema) })
export const SubGroupWeightBody = t.Object({ weight: t.Integer({ minimum: 0 }), priority: t.Optional(t.Integer()) })
/**
 * One sub-group of an aggregate: keypool's `group_id` and `name`, and GPT-Load's `group` (the whole group) with live
 * key counts. `invalid_keys` counts blacklisted keys only; cooling and disabled ones are counted apart.
 */
export const SubGroupView = t.Object({
  group_id: t.Integer(),
  name: t.String(),
  weight: t.Integer(),
  priority: t.Integer(),
  group: GroupView,
  total_keys: t.Integer(),
  active_keys: t.Integer(),
  invalid_keys: t.Integer(),
  cooling_keys: t.Integer(),
  disabled_keys: t.Integer(),
})
/** an aggregate group that lists this group among its sub-groups (GPT-Load's shape) */
export const ParentAggregateGroup = t.Object({
  group_id: t.Integer(),
  name: t.String(),
  display_name: t.String(),
  /** this group's weight inside that aggregate */
  weight: t.Integer(),
})
/** a setting a group's `config` may override, with the value a group gets when it does not */
export const GroupConfigOption = t.Object({
  key: t.String(),
  name: t.String(),
  description: t.String(),
  /** the current system-wide value (what the group inherits) */
  default_value: t.Union([t.String(), t.Number(), t.Boolean()]),
  type: lit(['int', 'bool', 'string'] as const),
  min_value: t.Optional(t.Number()),
  max_value: t.Optional(t.Number()),
})
export const CopyResult = t.Object({ group: GroupView, keys_copied: t.Integer() })
export const SubGroupParams = t.Object({ id: t.Numeric(), subId: t.Numeric() })

export const RequestStats = t.Object({
  total_requests: t.Integer(),
  failed_requests: t.Integer(),
  failure_rate: t.Number(),
})
export const KeyCounts = t.Object({
  total_keys: t.Integer(),
  active_keys: t.Integer(),
  cooling_keys: t.Integer(),
  invalid_keys: t.Integer(),
  disabled_keys: t.Integer(),
})
/** Answers served from the response cache in a period, and their share of its requests. */
export const CacheStats = t.Object({ cache_hits: t.Integer(), hit_rate: t.Number() })
export const GroupStats = t.Object({
  key_stats: KeyCounts,
  stats_24_hour: RequestStats,
  stats_7_day: RequestStats,
  stats_30_day: RequestStats,
  cache_24_hour: CacheStats,
  cache_7_day: CacheStats,
  cache_30_day: CacheStats,
})

// ---- keys -------------------------------------------------------------------------------------------------------

export const KeyStatusSchema = lit(KEY_STATUSES)
export const KeyView = t.Object({
  id: t.Integer(),
  group_id: t.Integer(),
  /** masked: `sk-ab…wxyz`; the full value only comes from `GET /api/keys/:id/reveal` */
  key_value: t.String(),
  /**
   * GPT-Load's view, which knows only `active` and `invalid` (its web admin shows anything but `active` as invalid):
   * `invalid` for a blacklisted key, `active` for every other key, resting (cooling) or paused (disabled) ones too.
   */
  status: lit(['active', 'invalid'] as const),
  /**
   * keypool's precise state: active, cooling (until `cooling_until`, after a 429), invalid or disabled; `paced` for an
   * active key resting at its group's `key_rpm_limit` (until `paced_until`) or `key_concurrency_limit` (until one of
   * its requests ends; `paced_until` null). Paced is not a penalty: the stored status stays active.
   */
  state: t.Union([KeyStatusSchema, t.Literal('paced')]),
  cooling_until: t.Nullable(t.Integer()),
  paced_until: t.Nullable(t.Integer()),
  failure_count: t.Integer(),
  request_count: t.Integer(),
  last_used_at: t.Nullable(t.Integer()),
  notes: t.String(),
  created_at: t.Integer(),
  updated_at: t.Integer(),
})
export const KeyListQuery = t.Object({
  group_id: t.Optional(t.Numeric()),
  /** '' = any (GPT-Load's UI sends empty filters) */
  status: t.Optional(t.Union([KeyStatusSchema, t.Literal('')])),
  key_value: t.Optional(t.String()),
  ...PageQuery,
})
export const KeysTextBody = t.Object({ group_id: t.Integer({ minimum: 1 }), keys_text: t.String() })
/** delete/restore/test by the key values (GPT-Load) or by ids */
export const KeySelectionBody = t.Object({
  group_id: t.Integer({ minimum: 1 }),
  keys_text: t.Optional(t.String()),
  key_ids: t.Optional(t.Array(t.Integer())),
})
export const GroupIdBody = t.Object({ group_id: t.Integer({ minimum: 1 }) })
export const AddKeysResult = t.Object({
  added_count: t.Integer(),
  ignored_count: t.Integer(),
  total_in_group: t.Integer(),
})
export const DeleteKeysResult = t.Object({
  deleted_count: t.Integer(),
  ignored_count: t.Integer(),
  total_in_group: t.Integer(),
})
export const RestoredCount = t.Object({ restored_count: t.Integer() })
export const DeletedCount = t.Object({ deleted_count: t.Integer() })
export const RestoreKeysResult = t.Object({
  restored_count: t.Integer(),
  ignored_count: t.Integer(),
  total_in_group: t.Integer(),
})
export const ValidateGroupBody = t.Object({
  group_id: t.Integer({ minimum: 1 }),
  /** only keys in this state; default every key but disabled ones */
  status: t.Optional(lit(['active', 'cooling', 'invalid'] as const)),
})
export const KeyStatusBody = t.Object({ status: lit(['active', 'disabled'] as const) })
export const NotesBody = t.Object({ notes: t.String({ maxLength: 1000 }) })
/** `key`: the admin key, for download links (GPT-Load's web admin); only the export routes read it */
const DownloadKey = { key: t.Optional(t.String({ description: 'the admin key, for a download link' })) }
export const KeyExportQuery = t.Object({
  ...DownloadKey,
  group_id: t.Numeric(),
  status: t.Optional(t.Union([KeyStatusSchema, t.Literal('all'), t.Literal('')])),
})
export const RevealedKey = t.Object({ id: t.Integer(), key_value: t.String() })
export const KeyTestResult = t.Object({ key_value: t.String(), is_valid: t.Boolean(), status: t.Integer(), error: t.String() })
export const KeyTestResults = t.Object({ results: t.Array(KeyTestResult), total_duration: t.Integer() })

// ---- tasks: TaskStatus and TaskTypeSchema are the task runner's own (server/jobs/task-status.ts) --------------

// ---- logs -------------------------------------------------------------------------------------------------------

export const LogQueryParams = t.Object({
  group_name: t.Optional(t.String()),
  /** an access key's id; '' = any */
  access_key_id: t.Optional(t.String()),
  key_value: t.Optional(t.String()),
  model: t.Optional(t.String()),
  is_success: t.Optional(lit(['true', 'false', ''] as const)),
  /** a number; '' = any */
  status_code: t.Optional(t.String()),
  source_ip: t.Optional(t.String()),
  error_contains: t.Optional(t.String()),
  /** 'final' = one row per request, 'retry' = failed attempts that were retried; '' = both */
  request_type: t.Optional(t.Union([RequestTypeSchema, t.Literal('')])),
  min_tier: t.Optional(t.String({ description: 'only requests served at this routing tier or later (2 = served by a fallback tier)' })),
  start_time: t.Optional(t.String()),
  end_time: t.Optional(t.String()),
  ...PageQuery,
})
export const LogExportQuery = t.Object({ ...LogQueryParams.properties, ...DownloadKey })
export const LogView = t.Object({
  id: t.Integer(),
  timestamp: t.Integer(),
  group_id: t.Nullable(t.Integer()),
  group_name: t.String(),
  key_id: t.Nullable(t.Integer()),
  key_value: t.String(),
  model: t.String(),
  method: t.String(),
  path: t.String(),
  status_code: t.Integer(),
  is_success: t.Boolean(),
  duration_ms: t.Integer(),
  ttfb_ms: t.Nullable(t.Integer()),
  is_stream: t.Boolean(),
  retries: t.Integer(),
  upstream: t.String(),
  source_ip: t.String(),
  user_agent: t.String(),
  error_message: t.String(),
  prompt_tokens: t.Integer(),
  completion_tokens: t.Integer(),
  total_tokens: t.Integer(),
  request_body: t.Nullable(t.String()),
  /** 'final': the request's answer; 'retry': an attempt that failed and was retried on another key */
  request_type: RequestTypeSchema,
  /** the access key that made the request; null for a proxy key */
  access_key_id: t.Nullable(t.Integer()),
  /** micro-USD; `cost_usd` is the same in dollars */
  cost_micros: t.Integer(),
  cost_usd: t.Number(),
  /** false: no model price matched the model (the cost is 0, not free) */
  priced: t.Boolean(),
  /** prompt tokens read from / written to the provider's cache (part of prompt_tokens) */
  cached_tokens: t.Integer(),
  cache_write_tokens: t.Integer(),
  tier: t.Integer({ description: 'routing tier that served the request, from 1 (2+ = a fallback tier); 0 = not routed by tiers' }),
  /** GPT-Load's names for `path` and `upstream` (its web admin reads these) */
  request_path: t.String(),
  upstream_addr: t.String(),
  /** translated calls: the caller's protocol and the one sent upstream ('' = not translated) */
  protocol_in: t.String(),
  protocol_out: t.String(),
  /** answered from the response cache (no key used, cost 0) */
  cache_hit: t.Boolean(),
})

// ---- dashboard --------------------------------------------------------------------------------------------------

export const StatCard = t.Object({
  value: t.Number(),
  sub_value: t.Number(),
  sub_value_tip: t.String(),
  /** percent change against the previous period */
  trend: t.Number(),
  trend_is_growth: t.Boolean(),
})
export const SecurityWarning = t.Object({ type: t.String(), message: t.String(), severity: t.String(), suggestion: t.String() })
export const DashboardStats = t.Object({
  key_count: StatCard,
  keys: t.Object({ active: t.Integer(), cooling: t.Integer(), invalid: t.Integer(), disabled: t.Integer() }),
  rpm: StatCard,
  request_count: StatCard,
  error_rate: StatCard,
  token_count: StatCard,
  /** USD over 24 h */
  cost: StatCard,
  /** requests of the last 24 h a fallback tier served (sub_value: the requests routed by tiers) */
  fallback_count: StatCard,
  security_warnings: t.Array(SecurityWarning),
})
/** GPT-Load's encryption banner: whether the stored keys match ENCRYPTION_KEY */
export const EncryptionStatus = t.Object({
  has_mismatch: t.Boolean(),
  /** '' when there is no mismatch */
  scenario_type: lit(['', 'data_not_encrypted', 'key_not_configured', 'key_mismatch'] as const),
  message: t.String(),
  suggestion: t.String(),
})
export const ChartQuery = t.Object({
  group_id: t.Optional(t.Numeric()),
  /** one access key's hours (0 = proxy keys) */
  access_key_id: t.Optional(t.Numeric()),
  /** requests (success and failure, default), cost (USD) or tokens (prompt and completion) */
  metric: t.Optional(lit(['requests', 'cost', 'tokens'] as const)),
  /** GPT-Load's web admin's name for group_id */
  groupId: t.Optional(t.Numeric()),
  hours: t.Optional(t.Numeric({ description: '1 to 720, default 24' })),
})
export const ChartDataset = t.Object({ label: t.String(), data: t.Array(t.Number()), color: t.String() })
export const ChartData = t.Object({ labels: t.Array(t.String()), datasets: t.Array(ChartDataset) })

// ---- settings, channel types, health ------------------------------------------------------------------------------

export const SettingItem = t.Object({
  key: t.String(),
  name: t.String(),
  value: t.Union([t.String(), t.Number(), t.Boolean()]),
  default_value: t.Union([t.String(), t.Number(), t.Boolean()]),
  type: lit(['int', 'bool', 'string'] as const),
  min_value: t.Optional(t.Number()),
  max_value: t.Optional(t.Number()),
  group_override: t.Boolean(),
  description: t.String(),
})
export const SettingsCategory = t.Object({ category_name: t.String(), settings: t.Array(SettingItem) })
export const SettingsBody = t.Record(t.String(), t.Unknown())
export const ChannelTypeInfo = t.Object({
  type: ChannelTypeSchema,
  label: t.String(),
  default_upstream: t.String(),
  default_test_model: t.String(),
  default_validation_endpoint: t.String(),
})
export const HealthStatus = t.Object({
  /** degraded: Redis unreachable, the node serves from its own key pool (still 200) */
  status: lit(['healthy', 'degraded', 'unhealthy'] as const),
  /** where keys are picked: local (no Redis), shared (Redis), degraded (Redis configured but unreachable) */
  pool: lit(['local', 'shared', 'degraded'] as const),
  version: t.String(),
  uptime: t.Integer(),
  storage: t.Object({ dialect: t.String(), reachable: t.Boolean() }),
  redis: t.Object({ configured: t.Boolean(), reachable: t.Nullable(t.Boolean()) }),
  /** whether this node runs the leader-only jobs now, and its cluster id */
  leader: t.Boolean(),
  node_id: t.String(),
})


// ---- static types for the UI's client -----------------------------------------------------------------------------

export type ErrorBody = Static<typeof ErrorBody>
export type Pagination = Static<typeof Pagination>
export type PagedOf<T> = { items: T[]; pagination: Pagination }
export type LoginBody = Static<typeof LoginBody>
export type LoginResult = Static<typeof LoginResult>
export type GroupInput = Static<typeof GroupInput>
export type GroupView = Static<typeof GroupView>
export type GroupBrief = Static<typeof GroupBrief>
export type ReorderBody = Static<typeof ReorderBody>
export type CopyBody = Static<typeof CopyBody>
export type CopyResult = Static<typeof CopyResult>
export type SubGroupView = Static<typeof SubGroupView>
export type ParentAggregateGroup = Static<typeof ParentAggregateGroup>
export type GroupConfigOption = Static<typeof GroupConfigOption>
export type EncryptionStatus = Static<typeof EncryptionStatus>
export type GroupStats = Static<typeof GroupStats>
export type RequestStats = Static<typeof RequestStats>
export type CacheStats = Static<typeof CacheStats>
export type KeyView = Static<typeof KeyView>
export type KeyListQuery = Static<typeof KeyListQuery>
export type KeysTextBody = Static<typeof KeysTextBody>
export type KeySelectionBody = Static<typeof KeySelectionBody>
export type AddKeysResult = Static<typeof AddKeysResult>
export type DeleteKeysResult = Static<typeof DeleteKeysResult>
export type RestoreKeysResult = Static<typeof RestoreKeysResult>
export type KeyStatusBody = Static<typeof KeyStatusBody>
export type RevealedKey = Static<typeof RevealedKey>
export type KeyTestResult = Static<typeof KeyTestResult>
export type KeyTestResults = Static<typeof KeyTestResults>
export type LogQueryParams = Static<typeof LogQueryParams>
export type LogView = Static<typeof LogView>
export type StatCard = Static<typeof StatCard>
export type SecurityWarning = Static<typeof SecurityWarning>
export type DashboardStats = Static<typeof DashboardStats>
export type ChartData = Static<typeof ChartData>
export type SettingItem = Static<typeof SettingItem>
export type SettingsCategory = Static<typeof SettingsCategory>
export type ChannelTypeInfo = Static<typeof ChannelTypeInfo>
export type HealthStatus = Static<typeof HealthStatus>
/** `{code: 0, message: "Success", data: T}` */
export interface Envelope<T> {
  code: 0
  message: string
  data: T
}
