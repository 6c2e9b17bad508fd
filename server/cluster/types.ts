/** Shapes shared by the cluster pieces, so jobs code works the same with or without Redis. */

/** Who runs the leader-only jobs (key validation, log retention). `LeaderLease` in a cluster, `LocalLeader` alone. */
export interface Leader {
  start(): Promise<void>
  /** Gives up leadership (and the Redis lease when it is still ours). */
  stop(): Promise<void>
  isLeader(): boolean
  /** Called on every change of leadership; returns a function that removes the callback. */
  onChange(cb: (leader: boolean) => void): () => void
}

/** Where the cluster pieces report connection trouble. `console` fits; the app may pass its own logger. */
export interface ClusterLog {
  info(msg: string): void
  warn(msg: string): void
}
