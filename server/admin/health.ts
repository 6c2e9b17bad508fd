/**
 * `GET /health` (storage and Redis reachability, the key pool's mode; 503 when storage is down) and `GET /metrics` (Prometheus text).
 * Both are unauthenticated, as load balancers and scrapers expect.
 */
import { Elysia } from 'elysia'
import type { AdminDeps } from './deps'
import type { HealthStatus } from './schemas'

export interface HealthOptions {
  /** PING Redis; omitted when REDIS_DSN is unset */
  redisPing?: () => Promise<boolean>
}

const withTimeout = <T>(p: Promise<T>, ms: number, fallback: T) =>
  Promise.race([p.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), ms).unref?.())])

let healthSeed = 0

export function healthAndMetricsPlugin(deps: AdminDeps, opts: HealthOptions = {}) {
  // Keys by state per group for /metrics, read from the pool (live) at scrape time.
  deps.metrics.setKeyCountsSource(async () =>
    Promise.all(
      deps.groups.all().filter((g) => g.group_type === 'standard').map(async (g) => ({ group: g.name, counts: await deps.pool.stats(g.id) })),
    ),
  )
  deps.metrics.setQueueDepthSource(() => deps.logs.queueDepth())
  deps.metrics.setPoolStatusSource(() => deps.pool.status())

  return new Elysia({ name: 'keypool.health-metrics', seed: ++healthSeed })
    .get('/health', async ({ set }) => {
      const storage = await withTimeout(deps.store.ping(), 2000, false)
      const configured = Boolean(deps.env.redisDsn)
      const redis = configured && opts.redisPing ? await withTimeout(opts.redisPing(), 2000, false) : null
      const pool = deps.pool.status().mode
      // Without Redis a node still serves (from its own pool): 'degraded' keeps it in a load balancer's rotation.
      if (!storage) set.status = 503
      const body: HealthStatus = {
        status: !storage ? 'unhealthy' : redis === false || pool === 'degraded' ? 'degraded' : 'healthy',
        pool,
        version: deps.version,
        uptime: Math.floor((deps.clock.now() - deps.startedAt) / 1000),
        storage: { dialect: deps.store.dialect, reachable: storage },
        redis: { configured, reachable: redis },
        leader: deps.cluster?.isLeader() ?? false,
        node_id: deps.cluster?.nodeId ?? '',
      }
      return body
    })
    .get('/metrics', async ({ set }) => {
      set.headers['content-type'] = 'text/plain; version=0.0.4; charset=utf-8'
      return deps.metrics.render()
    })
}
