/**
 * Everything the app is built from. `createApp(deps)` (server/app.ts) composes the Elysia plugins over these;
 * `server/main.ts` builds real ones from the env; tests build them with real parts (sqlite :memory:, port 0).
 */
import type { OpenedStore } from '../db/open'
import type { Env } from './config/env'
import type { SettingsService } from './config/settings'
import type { GroupCache } from './config/group-cache'
import type { KeyPool } from './pool/types'
import type { LogWriter } from './logs/writer'
import type { Metrics } from './logs/metrics'
import type { TaskRunner } from './jobs/tasks'
import type { SharedRevocations } from './admin/session'

export interface Clock {
  now(): number
}
export const systemClock: Clock = { now: () => Date.now() }

export interface AppDeps {
  env: Env
  store: OpenedStore
  settings: SettingsService
  groups: GroupCache
  pool: KeyPool
  logs: LogWriter
  metrics: Metrics
  tasks: TaskRunner
  clock: Clock
  /** the admin key (AUTH_KEY or the generated one) */
  authKey: string
  version: string
  startedAt: number
  /** upstream fetch; tests may observe it */
  fetch: typeof fetch
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
