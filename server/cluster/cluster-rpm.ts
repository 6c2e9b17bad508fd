/**
 * Cluster-wide requests per minute for the dashboard. Each node keeps its RPM in memory (no work per request);
 * every second it publishes that number to Redis under its own key with a short expiry, and the dashboard adds
 * the other nodes' published numbers to its own live one. A node that died drops out when its key expires.
 */
import type { RedisClient } from './redis-client'

const PUBLISH_MS = 1000
const EXPIRE_MS = 5000

export class ClusterRpm {
  private timer: ReturnType<typeof setInterval> | null = null
  private readonly keyPrefix: string

  constructor(
    private readonly client: RedisClient,
    prefix: string,
    private readonly nodeId: string,
    private readonly localRpm: () => number,
  ) {
    this.keyPrefix = `${prefix}rpm:`
  }

  start(): void {
    const publish = () =>
      this.client.set(this.keyPrefix + this.nodeId, String(this.localRpm()), { PX: EXPIRE_MS }).catch(() => {
        // Redis briefly away: the dashboard shows the other nodes' last numbers until they expire
      })
    void publish()
    this.timer = setInterval(publish, PUBLISH_MS)
    this.timer.unref?.()
  }

  /** This node's live RPM plus what the other live nodes published; this node's alone when Redis is away. */
  async total(): Promise<number> {
    let sum = this.localRpm()
    try {
      const keys: string[] = []
      for await (const batch of this.client.scanIterator({ MATCH: `${this.keyPrefix}*`, COUNT: 100 })) keys.push(...batch)
      const others = keys.filter((k) => k !== this.keyPrefix + this.nodeId)
      if (others.length > 0) for (const v of await this.client.mGet(others)) sum += Number(v ?? 0) || 0
    } catch {
      // Redis away: this node's own count is still right for this node
    }
    return sum
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.client.del(this.keyPrefix + this.nodeId).catch(() => {})
  }
}
