/**
 * Leader lease in Redis: the node whose id is stored under `key` runs the leader-only jobs. Taken with SET NX PX,
 * kept by renewing every `renewMs`; a node steps down as soon as its renewal finds another owner, or when it could
 * not renew before its lease ran out (Redis unreachable: another node may already hold a fresh lease).
 */
import { LuaScript } from './script'
import type { RedisClient } from './redis-client'
import type { Leader } from '../jobs/leader'
import type { ClusterLog } from './types'

// Extend / delete the lease only while it is still ours: the check and the write must be one atomic step.
const RENEW = new LuaScript(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0",
)
const RELEASE = new LuaScript("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0")

export interface LeaderLeaseOptions {
  client: RedisClient
  key: string
  nodeId: string
  ttlMs?: number
  /** default ttlMs / 3, so two renewals can fail before the lease runs out */
  renewMs?: number
  /** IS_SLAVE nodes never lead */
  isSlave?: boolean
  log?: ClusterLog
}

export class LeaderLease implements Leader {
  private readonly client: RedisClient
  private readonly key: string
  private readonly nodeId: string
  private readonly ttlMs: number
  private readonly renewMs: number
  private readonly isSlave: boolean
  private readonly log: ClusterLog
  private readonly listeners = new Set<(leader: boolean) => void>()
  private leader = false
  private running = false
  private failing = false
  private inflight: Promise<void> | undefined
  private tickTimer: ReturnType<typeof setInterval> | undefined
  private expiryTimer: ReturnType<typeof setTimeout> | undefined

  constructor(opts: LeaderLeaseOptions) {
    this.client = opts.client
    this.key = opts.key
    this.nodeId = opts.nodeId
    this.ttlMs = opts.ttlMs ?? 10_000
    this.renewMs = opts.renewMs ?? Math.floor(this.ttlMs / 3)
    this.isSlave = opts.isSlave ?? false
    this.log = opts.log ?? console
    if (!(this.renewMs > 0 && this.renewMs < this.ttlMs)) throw new Error('LeaderLease: renewMs must be between 0 and ttlMs')
  }

  /** Tries once before returning, so a lone node leads as soon as start() resolves. */
  async start(): Promise<void> {
    if (this.isSlave || this.running) return
    this.running = true
    await this.tick()
    this.tickTimer = setInterval(() => void this.tick(), this.renewMs)
  }

  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    clearInterval(this.tickTimer)
    clearTimeout(this.expiryTimer)
    await this.inflight
    this.set(false)
    try {
      await RELEASE.run(this.client, [this.key], [this.nodeId])
    } catch (err) {
      // Nothing lost: the lease expires by itself within ttlMs.
      this.log.warn(`leader lease ${this.key}: release failed (${errorText(err)}); it expires in ${this.ttlMs} ms`)
    }
  }

  isLeader(): boolean {
    return this.leader
  }

  onChange(cb: (leader: boolean) => void): () => void {
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  private tick(): Promise<void> {
    // A command still waiting (Redis slow or reconnecting) is not doubled; the expiry timer still steps down on time.
    if (!this.running || this.inflight) return this.inflight ?? Promise.resolve()
    this.inflight = this.renewOrAcquire().finally(() => {
      this.inflight = undefined
    })
    return this.inflight
  }

  private async renewOrAcquire(): Promise<void> {
    const sentAt = Date.now()
    try {
      if (this.leader) {
        const renewed = await RENEW.run(this.client, [this.key], [this.nodeId, String(this.ttlMs)])
        if (!this.running) return
        if (renewed === 1) this.hold(sentAt)
        else this.stepDown('the lease is held by another node')
      } else {
        const taken = await this.client.set(this.key, this.nodeId, { NX: true, PX: this.ttlMs })
        if (this.running && taken === 'OK') this.hold(sentAt)
      }
      if (this.failing) this.log.info(`leader lease ${this.key}: redis answers again`)
      this.failing = false
    } catch (err) {
      if (!this.failing) this.log.warn(`leader lease ${this.key}: ${errorText(err)}; retrying every ${this.renewMs} ms`)
      this.failing = true
    }
  }

  /** The lease is ours until sentAt + ttl at the latest (Redis set the expiry after we sent the command). */
  private hold(sentAt: number): void {
    const remaining = sentAt + this.ttlMs - Date.now()
    clearTimeout(this.expiryTimer)
    if (remaining <= 0) return this.stepDown('the renewal came back after the lease ran out')
    this.expiryTimer = setTimeout(() => this.stepDown('the lease ran out before it could be renewed'), remaining)
    this.set(true)
  }

  private stepDown(why: string): void {
    clearTimeout(this.expiryTimer)
    if (this.leader) this.log.warn(`leader lease ${this.key}: stepping down, ${why}`)
    this.set(false)
  }

  private set(leader: boolean): void {
    if (leader === this.leader) return
    this.leader = leader
    for (const cb of this.listeners) {
      try {
        cb(leader)
      } catch (err) {
        this.log.warn(`leader lease ${this.key}: onChange callback failed: ${errorText(err)}`)
      }
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
