/**
 * The port the leader-only jobs run behind: jobs/ owns it, cluster/ implements it (`LeaderLease` with Redis,
 * `LocalLeader` alone), so the jobs never import the cluster.
 */
export interface Leader {
  start(): Promise<void>
  /** Gives up leadership (and the Redis lease when it is still ours). */
  stop(): Promise<void>
  isLeader(): boolean
  /** Called on every change of leadership; returns a function that removes the callback. */
  onChange(cb: (leader: boolean) => void): () => void
}
