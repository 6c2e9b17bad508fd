/** What the admin API is built from: its port. The entry's `AppDeps` (server/deps.ts) satisfies it. */
import type { AccessControl } from '../access/control'
import type { Env } from '../config/env'
import type { JobDeps } from '../jobs/deps'
import type { TaskRunner } from '../jobs/tasks'
import type { Metrics } from '../logs/metrics'
import type { LogWriter } from '../logs/writer'
import type { PriceBook } from '../pricing/price-book'
import type { ClientAddresses } from '../shared/client-address'
import type { SharedRevocations } from './session'

/** The jobs' port (store, settings, groups, pool, clock, fetch) plus what only the admin API reads. */
export interface AdminDeps extends JobDeps {
  env: Env
  logs: LogWriter
  metrics: Metrics
  tasks: TaskRunner
  /** model prices (the proxy prices each request from the same in-memory table) */
  prices: PriceBook
  /** who the client of a request is (TRUSTED_PROXIES decides whether forwarded headers are believed) */
  addresses: ClientAddresses
  /** access keys: the registry the proxy reads and the counters behind their limits */
  access: AccessControl
  /** the admin key (AUTH_KEY or the generated one) */
  authKey: string
  version: string
  startedAt: number
  /** Redis reachability for /health; absent without REDIS_DSN */
  redisPing?: () => Promise<boolean>
  /** this node in the cluster (set by server/cluster/start.ts; a lone node is its own leader unless IS_SLAVE) */
  cluster?: {
    nodeId: string
    isLeader(): boolean
    /** requests in the last 60 s on every node (with Redis) */
    rpm?: () => Promise<number>
    /** admin logouts every node honours (with Redis) */
    sessionRevocations?: SharedRevocations
    /** apply config changes other nodes made that have not reached this node yet (with Redis) */
    catchUp?: () => Promise<void>
  }
}
