/**
 * Builds every long-lived part from the static env: storage, settings, groups, key pool, log writer, metrics,
 * tasks, and (when REDIS_DSN is set) the cluster bus and leader lease. `server/main.ts` and the tests use it.
 */
import { ClientAddresses } from './shared/client-address'
import { openStore, type OpenedStore } from '../db/open'
import { resolveAuthKey } from './config/auth-key'
import { envWarnings, type Env } from './config/env'
import { GroupCache } from './config/group-cache'
import { setupQuickMode } from './config/quick-mode-seed'
import { SettingsService } from './config/settings'
import type { AppDeps } from './deps'
import { systemClock, type Clock } from './shared/clock'
import { TaskRunner } from './jobs/tasks'
import { Metrics } from './logs/metrics'
import { LogWriter } from './logs/writer'
import { PriceBook } from './pricing/price-book'
import { createKeyPool } from './pool/create'
import { createResponseCache } from './cache/create'
import { cacheRedisClient } from './cluster/cache-redis'
import { configureLogger, log } from './shared/logger'
import type { RedisClient } from './cluster/redis-client'
import { startCluster, type ClusterHandle } from './cluster/start'
import { VERSION } from './cli/version'
import { AlertService, type AlertTiming } from './alerts/service'
import { watchInvalidations } from './alerts/key-watch'
import { AccessControl } from './access/control'
import { MemoryAccessCounters } from './access/memory-counters'
import { RedisAccessCounters } from './access/redis-counters'
import { AccessKeyRegistry } from './access/registry'
import { loadAccessKeyHasher } from './access/secret'
import { seedBudgets } from './access/period-usage'

export interface Built {
  deps: AppDeps
  store: OpenedStore
  redis: RedisClient | null
  cluster: ClusterHandle
  /** flush logs and key states, stop timers, close connections */
  close(): Promise<void>
}

export interface BuildOptions {
  clock?: Clock
  fetch?: typeof fetch
  /** PostgreSQL schema for test isolation */
  pgSchema?: string
  /** Redis key prefix (default REDIS_KEY_PREFIX), for test isolation */
  redisPrefix?: string
  /** lease ttl in ms (tests use a short one) */
  leaseTtlMs?: number
  /** this node's cluster id (default: the process's); two nodes in one test process need two */
  nodeId?: string
  /** alert periods and retry policy (tests shorten them) */
  alertTiming?: Partial<AlertTiming>
}

export async function buildDeps(env: Env, opts: BuildOptions = {}): Promise<Built> {
  configureLogger({ level: env.logLevel, format: env.logFormat, file: env.logEnableFile ? env.logFilePath : undefined })
  const clock = opts.clock ?? systemClock
  for (const warning of envWarnings(env)) log.warn(warning)
  const authKey = resolveAuthKey(env.authKey, env.dataDir)
  const store = await openStore({
    dsn: env.databaseDsn,
    dataDir: env.dataDir,
    encryptionKey: env.encryptionKey,
    pgSchema: opts.pgSchema,
  })
  let redis: RedisClient | null = null
  try {
    // the Redis client is loaded only for a cluster node (memory of a single node)
    redis = env.redisDsn ? await (await import('./cluster/redis-client')).connectRedis(env.redisDsn, { name: 'keypool' }) : null
  } catch (err) {
    await store.close()
    throw err
  }
  const settings = new SettingsService(store, store.cipher)
  await settings.load(authKey)
  const quick = await setupQuickMode(env, store)
  const groups = new GroupCache(store)
  await groups.load()
  const fetchFn = opts.fetch ?? fetch
  const alerts = new AlertService({ store, settings, clock, fetch: fetchFn }, opts.alertTiming)
  const pool = createKeyPool({
    redis: redis ?? undefined,
    prefix: opts.redisPrefix ?? env.redisKeyPrefix,
    persist: watchInvalidations((updates) => store.applyKeyUpdates(updates), {
      store,
      groupName: (id) => groups.byId(id)?.name,
      // called only after the pool exists (on its first state write)
      usableKeys: async (id) => {
        const c = await pool.stats(id)
        return c.active + c.cooling
      },
      alerts,
    }),
    reload: (groupId) => store.groupKeys(groupId),
    clock,
  })
  for (const g of groups.all()) await pool.loadGroup(g.id, await store.groupKeys(g.id))
  if (quick && env.startIndex > 0) {
    // START_INDEX: begin the rotation at that key, as GPT-Load's first generation did.
    for (let i = 0; i < env.startIndex; i++) await pool.pick(quick.id)
  }
  const prices = new PriceBook(store)
  if (await prices.seedDefaults()) log.info('model prices seeded with the shipped list (check them: README, "Cost")')
  await prices.load()
  const logs = new LogWriter(store, () => settings.get().request_log_write_interval_minutes * 60_000)
  settings.onChange(() => logs.reschedule())
  const metrics = new Metrics(clock)
  metrics.setQueueDepthSource(() => logs.queueDepth())
  metrics.setKeyCountsSource(async () =>
    Promise.all(groups.all().map(async (g) => ({ group: g.name, counts: await pool.stats(g.id) }))),
  )
  const tasks = new TaskRunner(clock)
  const accessKeys = new AccessKeyRegistry(store, await loadAccessKeyHasher(store, store.cipher), clock)
  await accessKeys.load()
  const counters = redis ? new RedisAccessCounters(redis, opts.redisPrefix ?? env.redisKeyPrefix) : new MemoryAccessCounters()
  const access = new AccessControl(accessKeys, counters, clock)
  await seedBudgets(store, counters, accessKeys.all(), clock.now()).catch((err) =>
    log.warn('access keys: seeding budgets from the stats failed', { error: String(err) }),
  )
  const deps: AppDeps = {
    env,
    store,
    settings,
    groups,
    pool,
    logs,
    metrics,
    tasks,
    alerts,
    prices,
    clock,
    addresses: new ClientAddresses(env.trustedProxies),
    access,
    authKey,
    version: VERSION,
    startedAt: clock.now(),
    fetch: fetchFn,
    cache: createResponseCache({
      maxBytes: env.cacheMaxMb * 1_048_576,
      clock,
      redis: redis ? cacheRedisClient(redis) : undefined,
      prefix: opts.redisPrefix ?? env.redisKeyPrefix,
    }),
    redisPing: redis
      ? () => Promise.race([redis!.ping().then((r) => r === 'PONG', () => false), Bun.sleep(1000).then(() => false)])
      : undefined,
  }
  const cluster = await startCluster(deps, redis, { prefix: opts.redisPrefix ?? env.redisKeyPrefix, leaseTtlMs: opts.leaseTtlMs ?? env.leaderLeaseMs, nodeId: opts.nodeId })
  log.info('storage ready', { dialect: store.dialect, pool: pool.kind, groups: groups.all().length })
  return {
    deps,
    store,
    redis,
    cluster,
    async close() {
      await cluster.stop()
      await tasks.idle().catch(() => {})
      await logs.close()
      await accessKeys.close()
      await pool.close()
      await store.close()
      if (redis) await redis.quit().catch(() => redis?.destroy())
    },
  }
}
