/** The proxy's ports: what the request path needs from the rest of the server, and one request as it arrives. */
import type { Clock } from '../shared/clock'
import type { Metrics } from '../logs/metrics'
import type { LogWriter } from '../logs/writer'
import type { KeyPool } from '../pool/types'
import type { ClientAddresses } from '../shared/client-address'
import type { ResponseCache } from '../cache/service'
import type { Limiter } from './limiter'
import type { RuntimeGroups } from './runtime-groups'
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
  /** who the client is (the request log's source_ip, `${CLIENT_IP}`) */
  addresses: ClientAddresses
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
