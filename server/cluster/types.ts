/** Shapes shared by the cluster pieces. (`Leader`, the port they implement, is owned by server/jobs/leader.ts.) */

/** Where the cluster pieces report connection trouble. `console` fits; the app may pass its own logger. */
export interface ClusterLog {
  info(msg: string): void
  warn(msg: string): void
}
