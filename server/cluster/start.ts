/**
 * Wires one node into the cluster from three parts: config sync over the bus (config-sync.ts), shared admin
 * logouts (session-revocations.ts) and the leader-only jobs (leader-jobs.ts), plus the cluster-wide RPM.
 * Without Redis: a local leader, no bus.
 */
import type { AdminDeps } from '../admin/deps'
import type { JobsHandle } from '../jobs/scheduler'
import { log } from '../shared/logger'
import type { ConfigBus } from './bus'
import { ClusterRpm } from './cluster-rpm'
import { startConfigSync, type ConfigSync } from './config-sync'
import { leaderFor, startLeaderJobs } from './leader-jobs'
import { nodeId } from './node-id'
import type { RedisClient } from './redis-client'
import { sharedRevocations } from './session-revocations'
import { redisAlertQueue } from './alert-queue'
import { leaderChanged } from '../alerts/events'
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
  opts: { prefix?: string; leaseTtlMs?: number; nodeId?: string } = {},
): Promise<ClusterHandle> {
  const prefix = opts.prefix ?? 'keypool:'
  // a test running two nodes in one process gives each its own id; a process has one otherwise
  const id = opts.nodeId ?? nodeId()
  const leader = leaderFor(deps, redis, { prefix, nodeId: id, leaseTtlMs: opts.leaseTtlMs, log: clusterLog })
  let sync: ConfigSync | null = null
  let rpm: ClusterRpm | null = null
  if (redis) {
    sync = await startConfigSync(deps, redis, { prefix, nodeId: id, log: clusterLog })
    rpm = new ClusterRpm(redis, prefix, id, () => deps.metrics.rpm())
    rpm.start()
  }
  const clusterRpm = rpm
  deps.cluster = {
    nodeId: id,
    isLeader: () => leader.isLeader(),
    rpm: clusterRpm ? () => clusterRpm.total() : undefined,
    sessionRevocations: redis ? sharedRevocations(redis, prefix) : undefined,
    catchUp: sync ? () => sync!.catchUp() : undefined,
  }
  // alerts leave the cluster from the leader only; the others queue theirs for it in Redis
  deps.alerts.connect({ isLeader: () => leader.isLeader(), queue: redis ? redisAlertQueue(redis, prefix) : null, node: id })
  const offLeader = redis ? leader.onChange((leads) => leads && deps.alerts.emit(leaderChanged(id))) : () => {}
  deps.alerts.start()
  const leaderJobs = await startLeaderJobs(deps, leader)
  return {
    leader,
    jobs: leaderJobs.jobs,
    bus: sync?.bus ?? null,
    nodeId: id,
    async stop() {
      offLeader()
      await leaderJobs.stop()
      await deps.alerts.stop()
      await rpm?.stop()
      await sync?.stop()
    },
  }
}
