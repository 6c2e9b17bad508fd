/** The single-node stand-in for `LeaderLease`: this process leads unless IS_SLAVE, so jobs code never branches. */
import type { Leader } from '../jobs/leader'

export class LocalLeader implements Leader {
  private leader = false
  private readonly listeners = new Set<(leader: boolean) => void>()
  private readonly isSlave: boolean

  constructor(opts: { isSlave?: boolean } = {}) {
    this.isSlave = opts.isSlave ?? false
  }

  async start(): Promise<void> {
    if (!this.isSlave) this.set(true)
  }

  async stop(): Promise<void> {
    this.set(false)
  }

  isLeader(): boolean {
    return this.leader
  }

  onChange(cb: (leader: boolean) => void): () => void {
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  private set(leader: boolean): void {
    if (leader === this.leader) return
    this.leader = leader
    for (const cb of this.listeners) cb(leader)
  }
}
