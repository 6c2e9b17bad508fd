/**
 * Dynamic settings (DB-backed, hot reloaded). Names and defaults follow GPT-Load so its users can switch.
 * `group: true` marks the ones a group's `config` may override (resolved group > system).
 */
export interface SettingDef {
  key: string
  type: 'int' | 'bool' | 'string'
  default: number | boolean | string
  min?: number
  max?: number
  group: boolean
  category: 'basic' | 'request' | 'keys' | 'logs' | 'alerts'
  description: string
}

const defs = [
  { key: 'app_url', type: 'string', default: 'http://localhost:3001', group: false, category: 'basic', description: 'Public base URL shown for group endpoints' },
  { key: 'proxy_keys', type: 'string', default: '', group: false, category: 'basic', description: 'Global proxy keys, comma separated (initially AUTH_KEY)' },
  { key: 'request_log_retention_days', type: 'int', default: 7, min: 0, max: 3650, group: false, category: 'logs', description: 'Days request logs are kept (0 = forever)' },
  { key: 'request_log_write_interval_minutes', type: 'int', default: 1, min: 0, max: 60, group: false, category: 'logs', description: 'Minutes between request log flushes (0 = at once)' },
  { key: 'enable_request_body_logging', type: 'bool', default: false, group: true, category: 'logs', description: 'Store request bodies in the request log' },
  { key: 'request_timeout', type: 'int', default: 600, min: 1, max: 86400, group: true, category: 'request', description: 'Seconds a whole upstream request may take' },
  { key: 'connect_timeout', type: 'int', default: 15, min: 1, max: 3600, group: true, category: 'request', description: 'Seconds to connect to an upstream' },
  { key: 'idle_conn_timeout', type: 'int', default: 120, min: 1, max: 3600, group: true, category: 'request', description: 'Seconds an idle upstream connection is kept' },
  { key: 'response_header_timeout', type: 'int', default: 600, min: 1, max: 86400, group: true, category: 'request', description: 'Seconds to wait for upstream response headers' },
  { key: 'max_idle_conns', type: 'int', default: 100, min: 1, max: 100000, group: true, category: 'request', description: 'Idle upstream connections kept in all' },
  { key: 'max_idle_conns_per_host', type: 'int', default: 50, min: 1, max: 100000, group: true, category: 'request', description: 'Idle upstream connections kept per host' },
  { key: 'proxy_url', type: 'string', default: '', group: true, category: 'request', description: 'HTTP proxy for upstream calls (empty = HTTP_PROXY/HTTPS_PROXY env)' },
  { key: 'protocol_translation', type: 'bool', default: false, group: true, category: 'request', description: 'Translate a request in another protocol (e.g. /v1/messages to an OpenAI group) into this channel\'s; off: pass it through untouched' },
  { key: 'openai_stream_usage', type: 'bool', default: true, group: true, category: 'request', description: 'Ask OpenAI chat streams for their usage (stream_options.include_usage) when the client did not, and hide that extra chunk from the client, so tokens and cost are known for every stream; turn off for an upstream that refuses stream_options' },
  { key: 'cache_ttl_seconds', type: 'int', default: 0, min: 0, max: 2592000, group: true, category: 'request', description: 'Seconds an identical call\'s 200 answer is served from the response cache without calling the upstream (0 = off)' },
  { key: 'max_retries', type: 'int', default: 3, min: 0, max: 100, group: true, category: 'keys', description: 'Retries on another key after a retryable failure' },
  { key: 'blacklist_threshold', type: 'int', default: 3, min: 0, max: 1000, group: true, category: 'keys', description: 'Consecutive key failures before a key is invalid (0 = never)' },
  { key: 'failover_status_codes', type: 'string', default: '', group: true, category: 'keys', description: 'Statuses that retry on another key, e.g. 400-403,405-999 (empty = built-in rules)' },
  { key: 'key_rpm_limit', type: 'int', default: 0, min: 0, max: 100000, group: true, category: 'keys', description: 'Requests each key serves at most in any minute; a key at it rests, without penalty, until its window frees (0 = no limit)' },
  { key: 'key_concurrency_limit', type: 'int', default: 0, min: 0, max: 10000, group: true, category: 'keys', description: 'Requests each key serves at once; a key at it rests until one of them ends (0 = no limit)' },
  { key: 'key_validation_interval_minutes', type: 'int', default: 60, min: 1, max: 100000, group: true, category: 'keys', description: 'Minutes between re-validations of invalid keys' },
  { key: 'key_validation_concurrency', type: 'int', default: 10, min: 1, max: 1000, group: true, category: 'keys', description: 'Keys validated at once' },
  { key: 'session_affinity', type: 'bool', default: false, group: true, category: 'keys', description: 'Requests of one session (x-session-id, OpenAI user, Anthropic metadata.user_id) stay on one key while it is usable' },
  { key: 'key_validation_timeout_seconds', type: 'int', default: 20, min: 1, max: 3600, group: true, category: 'keys', description: 'Seconds one key validation may take' },
  { key: 'alert_webhooks', type: 'string', default: '[]', group: false, category: 'alerts', description: 'Alert webhooks: JSON list of {url, format: json|slack|feishu|dingtalk|wecom, events} (empty events = all)' },
  { key: 'alert_error_rate_percent', type: 'int', default: 50, min: 1, max: 100, group: false, category: 'alerts', description: 'A group whose failed requests exceed this percent of its requests raises error_rate' },
  { key: 'alert_window_minutes', type: 'int', default: 5, min: 1, max: 1440, group: false, category: 'alerts', description: 'Minutes of requests the error rate is measured over' },
  { key: 'alert_min_requests', type: 'int', default: 20, min: 1, max: 1000000, group: false, category: 'alerts', description: 'Requests a group needs in the window before its error rate counts' },
  { key: 'alert_cooldown_minutes', type: 'int', default: 30, min: 0, max: 10080, group: false, category: 'alerts', description: 'Minutes before the same alert (event and subject) is sent again' },
] as const satisfies readonly SettingDef[]

export const SETTING_DEFS: readonly SettingDef[] = defs
type ValueOf<D> = D extends { type: 'int' } ? number : D extends { type: 'bool' } ? boolean : string
export type SettingValues = { [D in (typeof defs)[number] as D['key']]: ValueOf<D> }
export const SETTING_BY_KEY: ReadonlyMap<string, SettingDef> = new Map(SETTING_DEFS.map((d) => [d.key, d]))
