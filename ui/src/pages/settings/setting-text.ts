/**
 * Setting names and help in the current language. The server names settings by title-casing their keys ("App Url",
 * "Idle Conn Timeout"): English names below read better and carry units; help falls back to the server's text.
 */
import type { SettingItem } from '../../api/types'
import { lang, t, type Lang } from '../../i18n'

const EN_NAMES: Record<string, string> = {
  app_url: 'App URL',
  proxy_keys: 'Proxy keys',
  request_log_retention_days: 'Log retention (days)',
  request_log_write_interval_minutes: 'Log write interval (minutes)',
  enable_request_body_logging: 'Log request bodies',
  request_timeout: 'Request timeout (s)',
  connect_timeout: 'Connect timeout (s)',
  idle_conn_timeout: 'Idle connection timeout (s)',
  response_header_timeout: 'Response header timeout (s)',
  max_idle_conns: 'Max idle connections',
  max_idle_conns_per_host: 'Max idle connections per host',
  proxy_url: 'Proxy URL',
  openai_stream_usage: 'Usage of OpenAI streams',
  max_retries: 'Max retries',
  blacklist_threshold: 'Blacklist threshold',
  failover_status_codes: 'Failover status codes',
  key_rpm_limit: 'Requests per minute per key',
  key_concurrency_limit: 'Concurrent requests per key',
  key_validation_interval_minutes: 'Key validation interval (minutes)',
  key_validation_concurrency: 'Key validation concurrency',
  key_validation_timeout_seconds: 'Key validation timeout (s)',
  protocol_translation: 'Protocol translation',
  alert_webhooks: 'Alert webhooks',
  alert_error_rate_percent: 'Error rate threshold (%)',
  alert_window_minutes: 'Error rate window (minutes)',
  alert_min_requests: 'Minimum requests in the window',
  alert_cooldown_minutes: 'Alert cooldown (minutes)',
  session_affinity: 'Session affinity',
  cache_ttl_seconds: 'Response cache TTL (s)',
}

/** English help where the server's one-line description leaves out what an operator needs to know. */
const EN_HELP: Record<string, string> = {
  app_url: 'Public base URL shown for group endpoints; left at the default, the address you opened this page at is used',
  cache_ttl_seconds: 'Seconds an identical call (same path, query and JSON body) is answered from the cache with its earlier 200 answer, using no key and costing nothing (0 = off). A client sending cache-control: no-cache skips it',
}

const ZH: Record<string, [name: string, description: string]> = {
  app_url: ['站点地址', '显示分组代理地址时使用的公开基础 URL；保持默认值时使用当前打开本页面的地址'],
  proxy_keys: ['全局代理密钥', '全局代理密钥，逗号分隔（初始为 AUTH_KEY）'],
  request_log_retention_days: ['日志保留天数', '请求日志保留的天数（0 表示永久保留）'],
  request_log_write_interval_minutes: ['日志写入间隔（分钟）', '请求日志批量写入的间隔（0 表示立即写入）'],
  enable_request_body_logging: ['记录请求体', '在请求日志中保存请求体'],
  request_timeout: ['请求超时（秒）', '一次上游请求允许的总时长'],
  connect_timeout: ['连接超时（秒）', '连接上游的超时时间'],
  idle_conn_timeout: ['空闲连接超时（秒）', '上游空闲连接的保留时间'],
  response_header_timeout: ['响应头超时（秒）', '等待上游响应头的时间'],
  max_idle_conns: ['最大空闲连接数', '保留的上游空闲连接总数'],
  max_idle_conns_per_host: ['每主机最大空闲连接数', '每个上游主机保留的空闲连接数'],
  proxy_url: ['代理服务器地址', '上游请求使用的 HTTP 代理（留空则使用 HTTP_PROXY/HTTPS_PROXY 环境变量）'],
  openai_stream_usage: ['OpenAI 流式用量', '客户端未要求时也向 OpenAI 聊天流请求用量（stream_options.include_usage），并对客户端隐藏这个额外的用量块，使每个流的 token 和费用都可知；上游不接受 stream_options 时请关闭'],
  max_retries: ['最大重试次数', '可重试失败后换用其他密钥重试的次数'],
  blacklist_threshold: ['黑名单阈值', '密钥连续失败多少次后标记为失效（0 表示从不）'],
  failover_status_codes: ['故障转移状态码', '换用其他密钥重试的状态码，如 400-403,405-999（留空使用内置规则）'],
  key_rpm_limit: ['每个密钥每分钟请求数', '每个密钥在任意一分钟内最多处理的请求数；达到上限的密钥暂停使用直至窗口释放，不计失败（0 表示不限）'],
  key_concurrency_limit: ['每个密钥并发请求数', '每个密钥同时处理的请求数；达到上限的密钥待其请求结束后恢复（0 表示不限）'],
  key_validation_interval_minutes: ['密钥验证间隔（分钟）', '失效密钥重新验证的间隔'],
  key_validation_concurrency: ['密钥验证并发数', '同时验证的密钥数量'],
  key_validation_timeout_seconds: ['密钥验证超时（秒）', '单个密钥验证允许的时长'],
  protocol_translation: ['协议转换', '把其他协议的请求（例如发往 OpenAI 分组的 /v1/messages）转换为本分组渠道的协议；关闭时原样转发'],
  alert_webhooks: ['告警 Webhook', '告警 Webhook 列表（JSON：{url, format, events}）'],
  alert_error_rate_percent: ['错误率阈值（%）', '分组失败请求占比超过此值时发送错误率告警'],
  alert_window_minutes: ['错误率统计窗口（分钟）', '按最近多少分钟的请求计算错误率'],
  alert_min_requests: ['窗口内最少请求数', '分组在窗口内的请求数达到此值后才计算错误率'],
  alert_cooldown_minutes: ['告警冷却时间（分钟）', '同一告警（事件与对象）再次发送前的间隔'],
  session_affinity: ['会话亲和', '同一会话（x-session-id、OpenAI user、Anthropic metadata.user_id）的请求在密钥可用时固定使用同一个密钥'],
  cache_ttl_seconds: ['响应缓存时长（秒）', '相同的调用（路径、查询参数和 JSON 请求体都相同）在这段时间内直接返回之前的 200 响应，不使用密钥、不产生费用（0 表示关闭）；客户端发送 cache-control: no-cache 时跳过缓存'],
}

const JA: Record<string, [name: string, description: string]> = {
  app_url: ['サイト URL', 'グループのエンドポイント表示に使う公開ベース URL。既定値のままなら、このページを開いたアドレスを使います'],
  proxy_keys: ['グローバルプロキシキー', '全グループで使えるプロキシキー。カンマ区切り（初期値は AUTH_KEY）'],
  request_log_retention_days: ['ログの保存期間（日）', 'リクエストログを保存する日数（0 は無期限）'],
  request_log_write_interval_minutes: ['ログの書き込み間隔（分）', 'リクエストログをまとめて書き込む間隔（0 はすぐに書き込む）'],
  enable_request_body_logging: ['リクエスト本文を記録', 'リクエストログにリクエスト本文を保存します'],
  request_timeout: ['リクエストのタイムアウト（秒）', 'アップストリームへの 1 回のリクエストに許す合計時間'],
  connect_timeout: ['接続タイムアウト（秒）', 'アップストリームへの接続を待つ時間'],
  idle_conn_timeout: ['アイドル接続のタイムアウト（秒）', 'アップストリームとのアイドル接続を保持する時間'],
  response_header_timeout: ['応答ヘッダーのタイムアウト（秒）', 'アップストリームの応答ヘッダーを待つ時間'],
  max_idle_conns: ['アイドル接続の最大数', '保持するアップストリームのアイドル接続の総数'],
  max_idle_conns_per_host: ['ホストごとのアイドル接続の最大数', 'アップストリームのホストごとに保持するアイドル接続の数'],
  proxy_url: ['プロキシ URL', 'アップストリームへのリクエストに使う HTTP プロキシ（空欄なら環境変数 HTTP_PROXY/HTTPS_PROXY を使用）'],
  openai_stream_usage: ['OpenAI ストリームの使用量', 'クライアントが求めなくても OpenAI のチャットストリームに使用量を求め（stream_options.include_usage）、その追加チャンクはクライアントに見せません。すべてのストリームのトークンと費用がわかります。stream_options を受け付けないアップストリームではオフにしてください'],
  max_retries: ['最大リトライ回数', 'リトライ可能な失敗のあと、別のキーで再試行する回数'],
  blacklist_threshold: ['ブラックリストのしきい値', '連続で何回失敗したらキーを無効にするか（0 は無効にしない）'],
  failover_status_codes: ['フェイルオーバーするステータスコード', '別のキーで再試行するステータスコード。例：400-403,405-999（空欄なら組み込みのルール）'],
  key_rpm_limit: ['キーごとの 1 分あたりリクエスト数', '各キーが任意の 1 分間に処理するリクエストの上限。上限に達したキーはペナルティなしで休み、枠が空くと戻ります（0 は無制限）'],
  key_concurrency_limit: ['キーごとの同時リクエスト数', '各キーが同時に処理するリクエストの上限。上限に達したキーはリクエストが終わると戻ります（0 は無制限）'],
  key_validation_interval_minutes: ['キー検証の間隔（分）', '無効なキーを再検証する間隔'],
  key_validation_concurrency: ['キー検証の同時実行数', '同時に検証するキーの数'],
  key_validation_timeout_seconds: ['キー検証のタイムアウト（秒）', 'キー 1 件の検証に許す時間'],
  protocol_translation: ['プロトコル変換', '別プロトコルのリクエスト（OpenAI グループへの /v1/messages など）をこのグループのチャネルのプロトコルに変換します。オフのときはそのまま転送します'],
  alert_webhooks: ['アラートの Webhook', 'アラートの Webhook の一覧（JSON：{url, format, events}）'],
  alert_error_rate_percent: ['エラー率のしきい値（%）', 'グループの失敗したリクエストの割合がこれを超えるとエラー率のアラートを送ります'],
  alert_window_minutes: ['エラー率の集計期間（分）', '直近何分間のリクエストでエラー率を計算するか'],
  alert_min_requests: ['期間内の最小リクエスト数', '期間内のリクエストがこの数に達したグループだけエラー率を判定します'],
  alert_cooldown_minutes: ['アラートのクールダウン（分）', '同じアラート（イベントと対象）を再び送るまでの間隔'],
  session_affinity: ['セッションアフィニティ', '同じセッション（x-session-id、OpenAI の user、Anthropic の metadata.user_id）のリクエストを、キーが使える間は同じキーに送る'],
  cache_ttl_seconds: ['レスポンスキャッシュの有効期間（秒）', '同じ呼び出し（パス、クエリ、JSON 本文が同じ）には、この時間内なら以前の 200 応答をキャッシュから返します。キーは使わず、費用もかかりません（0 はオフ）。クライアントが cache-control: no-cache を送るとキャッシュを使いません'],
}

const TRANSLATED: Partial<Record<Lang, Record<string, [name: string, description: string]>>> = { 'zh-CN': ZH, ja: JA }

export const settingName = (s: SettingItem): string =>
  (lang() === 'en' ? EN_NAMES[s.key] : TRANSLATED[lang()]?.[s.key]?.[0]) ?? s.name
export const settingHelp = (s: SettingItem): string =>
  (lang() === 'en' ? EN_HELP[s.key] : TRANSLATED[lang()]?.[s.key]?.[1]) ?? s.description
/** The default as a person reads it: Yes/No for switches, "(empty)" for an empty text. */
export function settingDefault(s: SettingItem): string {
  if (s.type === 'bool') return s.default_value === true || s.default_value === 'true' ? t('common.yes') : t('common.no')
  return String(s.default_value) || t('settings.empty')
}
