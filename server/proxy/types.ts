/** The proxy's ports: what the request path needs from the rest of the server, and one request as it arrives. */
import type { AlertSink } from '../alerts/types'
import type { AccessControl } from '../access/control'
import type { Clock } from '../shared/clock'
import type { Metrics } from '../logs/metrics'
import type { LogWriter } from '../logs/writer'
import type { KeyPool } from '../pool/types'
import type { PriceLookup } from '../pricing/cost'
import type { ClientAddresses } from '../shared/client-address'
import type { AccessScopeLookup } from './caller-scope'
import type { ResponseCache } from '../cache/service'
import type { Limiter } from './limiter'
import type { TierRotation } from './route-candidates'
import type { RuntimeGroups } from './runtime-groups'
import type { SessionAffinity } from './session-affinity'
import type { FetchLike } from './upstream-client'

/** What the proxy tells the metrics after each request (server/logs/metrics.ts owns the shape). */
export type RequestMetricSink = Pick<Metrics, 'recordRequest'>

export interface ProxyDeps {
  runtime: RuntimeGroups
  pool: KeyPool
  logs: LogWriter
  metrics: RequestMetricSink | null
  clock: Clock
  fetch: FetchLike
  limiter: Limiter
  /** model prices for each log row's cost (an in-memory table: no I/O) */
  prices: PriceLookup
  /** who the client is (the request log's source_ip, `${CLIENT_IP}`) */
  addresses: ClientAddresses
  /** where `group_exhausted` is raised (absent in tests that build the proxy alone) */
  alerts?: AlertSink
  /** session -> key, per group (group setting `session_affinity`) */
  affinity: SessionAffinity
  /** the weighted round-robin between the groups of one routing tier (root routes) */
  rotation: TierRotation
  /** access keys' scope on the root routes; absent until access keys are wired into the proxy */
  callerScope?: AccessScopeLookup
  /** access keys (per-consumer keys with limits); null: only proxy keys are accepted */
  access: AccessControl | null
  /** answers of groups with cache_ttl_seconds > 0 */
  cache: ResponseCache
}

export interface ProxyRequest {
  request: Request
  groupName: string
  /** the original path after /proxy/{group}, starting with '/' */
  path: string
  url: URL
  ip: string
  /** set on a translated call: the caller's protocol and the one sent upstream */
  protocols?: { in: string; out: string }
}
