/**
 * Config changes between nodes: this node's changes (groups, keys, settings, model prices) go out on the bus; other nodes'
 * changes come in and reload the group cache, settings and the pool's copy of a group's keys; a node that may have
 * missed messages reloads everything.
 */
import type { AdminDeps } from '../admin/deps'
import { log } from '../shared/logger'
import type { ConfigBus, ConfigMessage } from './bus'
import type { RedisClient } from './redis-client'
import type { ClusterLog } from './types'

/** how long an admin group write waits for its change to be published */
const PUBLISH_WAIT_MS = 1000
/** how long a request for an unknown group waits to learn whether the shared config is ahead */
const CATCH_UP_WAIT_MS = 500

export interface ConfigSync {
  bus: ConfigBus
  /**
   * Read-your-writes for a name this node does not know: if other nodes changed the config and this node has not
   * applied it yet, load the group list (and new groups' keys) from the store now. Concurrent calls share one.
   */
  catchUp(): Promise<void>
  stop(): Promise<void>
}

/** Resolves once subscribed: changes published by other nodes from then on are applied here. */
export async function startConfigSync(
  deps: AdminDeps,
  redis: RedisClient,
  opts: { prefix: string; nodeId: string; log: ClusterLog },
): Promise<ConfigSync> {
  // loaded here, not at the top: a single node (SIGHUP's reloadAllConfig included) never loads the Redis client
  const { ConfigBus } = await import('./bus')
  const bus = new ConfigBus({ client: redis, prefix: opts.prefix, nodeId: opts.nodeId, log: opts.log })
  const send = (msg: ConfigMessage) => bus.publish(msg).catch((err) => log.warn('config publish failed', { error: String(err) }))
  const unsubs = [
    // awaited by the admin write (bounded: a hung Redis must not hang it), so the version counter has moved
    // before the write answers and another node's `catchUp` finds the change
    deps.groups.onChange((ids, origin) => (origin === 'local' ? Promise.race([send({ type: 'groups', ids }), Bun.sleep(PUBLISH_WAIT_MS)]) : undefined)),
    deps.groups.onKeysChange((groupId, origin) => origin === 'local' && send({ type: 'keys', groupId })),
    deps.settings.onChange((_v, origin) => origin === 'local' && send({ type: 'settings' })),
    // awaited like a group write: another node refuses a revoked key once the admin's write has answered
    deps.access.registry.onChange((origin) =>
      origin === 'local' ? Promise.race([send({ type: 'access_keys' }), Bun.sleep(PUBLISH_WAIT_MS)]) : undefined,
    ),
    // awaited like a group write, so another node prices requests with the new list once the PUT answered
    deps.prices.onChange((origin) => (origin === 'local' ? Promise.race([send({ type: 'prices' }), Bun.sleep(PUBLISH_WAIT_MS)]) : undefined)),
  ]
  bus.onMessage((msg) => applyRemote(deps, msg))
  bus.onResync(async (reason) => {
    log.info('cluster resync: reloading all config', { reason })
    await reloadAllConfig(deps)
  })
  await bus.start()
  let catchingUp: Promise<void> | null = null
  const catchUp = async () => {
    // an unknown name during a Redis outage (or a hung Redis) is answered at once, not after Redis
    const behind = await Promise.race([bus.behind().catch(() => false), Bun.sleep(CATCH_UP_WAIT_MS).then(() => false)])
    if (behind) await applyRemote(deps, { type: 'groups', ids: [] })
  }
  return {
    bus,
    catchUp() {
      catchingUp ??= catchUp()
        .catch((err) => log.warn('config catch-up failed', { error: String(err) }))
        .finally(() => (catchingUp = null))
      return catchingUp
    },
    async stop() {
      for (const u of unsubs) u()
      await bus.stop()
    },
  }
}

/**
 * Settings, groups and every group's keys from the store, as after a restart (cluster resync, SIGHUP). Keys a
 * pool already holds keep their live state; keys added behind the node's back (`keypool keys import`) appear.
 */
export async function reloadAllConfig(deps: AdminDeps): Promise<void> {
  await deps.settings.load()
  await deps.access.registry.load()
  await deps.prices.load()
  await applyRemote(deps, { type: 'groups', ids: 'all' })
}

async function applyRemote(deps: AdminDeps, msg: ConfigMessage): Promise<void> {
  if (msg.type === 'settings') return deps.settings.load()
  if (msg.type === 'access_keys') return deps.access.registry.changed('remote')
  if (msg.type === 'prices') return deps.prices.load()
  if (msg.type === 'keys') {
    await deps.pool.loadGroup(msg.groupId, await deps.store.groupKeys(msg.groupId))
    deps.groups.keysChanged(msg.groupId, 'remote')
    return
  }
  const before = new Set(deps.groups.all().map((g) => g.id))
  await deps.groups.invalidate(msg.ids, 'remote')
  const now = deps.groups.all()
  for (const id of before) if (!now.some((g) => g.id === id)) await deps.pool.dropGroup(id)
  for (const g of now) {
    if (msg.ids === 'all' || msg.ids.includes(g.id) || !before.has(g.id))
      await deps.pool.loadGroup(g.id, await deps.store.groupKeys(g.id))
  }
}
