/**
 * Who runs the leader-only jobs: a Redis lease in a cluster (one node at a time), this node alone without Redis
 * (unless IS_SLAVE). The jobs start and stop with the leadership.
 */
import type { AdminDeps } from '../admin/deps'
import { startJobs, type JobsHandle } from '../jobs/scheduler'
import { LeaderLease } from './leader'
import { LocalLeader } from './local-leader'
import type { RedisClient } from './redis-client'
import type { Leader } from '../jobs/leader'
import type { ClusterLog } from './types'

export interface LeaderJobs {
  leader: Leader
  jobs: JobsHandle
  stop(): Promise<void>
}

export interface LeaderJobsOptions {
  prefix: string
  nodeId: string
  leaseTtlMs?: number
  log: ClusterLog
}

/** A leader that can start: call `start()` once the rest of the node is wired (the jobs may run at once). */
export function leaderFor(deps: AdminDeps, redis: RedisClient | null, opts: LeaderJobsOptions): Leader {
  return redis
    ? new LeaderLease({ client: redis, key: `${opts.prefix}leader`, nodeId: opts.nodeId, ttlMs: opts.leaseTtlMs, isSlave: deps.env.isSlave, log: opts.log })
    : new LocalLeader({ isSlave: deps.env.isSlave })
}

/** Starts the jobs under `leader`, then the leader itself. */
export async function startLeaderJobs(deps: AdminDeps, leader: Leader): Promise<LeaderJobs> {
  const jobs = startJobs(deps, leader)
  await leader.start()
  return {
    leader,
    jobs,
    async stop() {
      jobs.stop()
      await leader.stop()
    },
  }
}
