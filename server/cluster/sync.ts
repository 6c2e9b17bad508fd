/**
 * Wires one node into the cluster: local config changes go out on the bus, other nodes' changes come in and
 * reload the group cache, settings and the pool's copy of a group's keys; a node that may have missed messages
 * reloads everything. Leader-only jobs start and stop with the lease. Without Redis: a local leader, no bus.
 */
import type { SharedRevocations } from '../admin/session'
import type { AdminDeps } from '../admin/deps'
import { startJobs, type JobsHandle } from '../jobs/scheduler'
import { log } from '../shared/logger'
import type { ConfigBus, ConfigMessage } from './bus'
import { ClusterRpm } from './cluster-rpm'
import { LeaderLease } from './leader'
import { LocalLeader } from './local-leader'
import { nodeId } from './node-id'
import type { RedisClient } from './redis-client'
import type { Leader } from '../jobs/leader'

export interface ClusterHandle {
  leader: Leader
  jobs: JobsHandle
  bus: ConfigBus | null
  nodeId: string
  stop(): Promise<void>
}

const clusterLog = { info: (m: string) => log.info(m), warn: (m: string) => log.warn(m) }

export async function startCluster(
  deps: AdminDeps,
  redis: RedisClient | null,
  opts: { prefix?: string; leaseTtlMs?: number } = {},
): Promise<ClusterHandle> {
  const prefix = opts.prefix ?? 'keypool:'
  const id = nodeId()
  let bus: ConfigBus | null = null
  const leader: Leader = redis
    ? new LeaderLease({ client: redis, key: `${prefix}leader`, nodeId: id, ttlMs: opts.leaseTtlMs, isSlave: deps.env.isSlave, log: clusterLog })
    : new LocalLeader({ isSlave: deps.env.isSlave })
  const unsubs: (() => void)[] = []
  let rpm: ClusterRpm | null = null
  if (redis) {
    const { ConfigBus } = await import('./bus')
    bus = new ConfigBus({ client: redis, prefix, nodeId: id, log: clusterLog })
    const b = bus
    const send = (msg: ConfigMessage) => b.publish(msg).catch((err) => log.warn('config publish failed', { error: String(err) }))
    unsubs.push(deps.groups.onChange((ids, origin) => origin === 'local' && send({ type: 'groups', ids })))
    unsubs.push(deps.groups.onKeysChange((groupId, origin) => origin === 'local' && send({ type: 'keys', groupId })))
    unsubs.push(deps.settings.onChange((_v, origin) => origin === 'local' && send({ type: 'settings' })))
    b.onMessage((msg) => applyRemote(deps, msg))
    b.onResync(async (reason) => {
      log.info('cluster resync: reloading all config', { reason })
      await reloadAllConfig(deps)
    })
    await b.start()
    rpm = new ClusterRpm(redis, prefix, id, () => deps.metrics.rpm())
    rpm.start()
  }
  const clusterRpm = rpm
  deps.cluster = {
    nodeId: id,
    isLeader: () => leader.isLeader(),
    rpm: clusterRpm ? () => clusterRpm.total() : undefined,
    sessionRevocations: redis ? sharedRevocations(redis, prefix) : undefined,
  }
  const jobs = startJobs(deps, leader)
  await leader.start()
  return {
    leader,
    jobs,
    bus,
    nodeId: id,
    async stop() {
      for (const u of unsubs) u()
      jobs.stop()
      await rpm?.stop()
      await leader.stop()
      await bus?.stop()
    },
  }
}

/** Admin logouts in Redis, each kept until the session would have expired anyway. */
function sharedRevocations(redis: RedisClient, prefix: string): SharedRevocations {
  const key = (id: string) => `${prefix}session-revoked:${id}`
  return {
    async add(id, expiresAt) {
      await redis.set(key(id), '1', { PXAT: expiresAt })
    },
    async has(id) {
      return (await redis.exists(key(id))) === 1
    },
  }
}

/**
 * Settings, groups and every group's keys from the store, as after a restart (cluster resync, SIGHUP). Keys a
 * pool already holds keep their live state; keys added behind the node's back (`keypool keys import`) appear.
 */
export async function reloadAllConfig(deps: AdminDeps): Promise<void> {
  await deps.settings.load()
  await applyRemote(deps, { type: 'groups', ids: 'all' })
}

async function applyRemote(deps: AdminDeps, msg: ConfigMessage): Promise<void> {
  if (msg.type === 'settings') return deps.settings.load()
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
