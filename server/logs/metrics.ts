/**
 * In-process counters for `GET /metrics` (Prometheus text format 0.0.4) and the dashboard's live RPM.
 * `recordRequest` is on the proxy's path after each request: it only bumps numbers in maps and arrays.
 * Gauges that live elsewhere (log queue depth, keys by state) are read through callbacks at scrape time.
 */
import type { Clock } from '../shared/clock'

export interface RequestRecord {
  group: string
  status: number
  durationMs: number
  ttfbMs: number | null
  retries: number
  upstream: string
}

/** The key pool's mode ('degraded' = Redis unreachable, serving from this node's own pool) and Redis failures. */
export interface PoolHealth {
  mode: string
  redisErrors: number
}

/** One group's keys by state, read at scrape time. */
export interface GroupKeyCounts {
  group: string
  counts: { active: number; cooling: number; invalid: number; disabled: number }
}

// Seconds; spans a fast cached answer up to a long generation.
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]
const RPM_WINDOW = 60

class Histogram {
  readonly counts = new Array<number>(LATENCY_BUCKETS.length).fill(0)
  sum = 0
  total = 0
  observe(seconds: number): void {
    this.sum += seconds
    this.total++
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (seconds <= LATENCY_BUCKETS[i]!) this.counts[i]!++
  }
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
const labels = (l: Record<string, string | number>) =>
  `{${Object.entries(l).map(([k, v]) => `${k}="${escapeLabel(String(v))}"`).join(',')}}`

export class Metrics {
  private requests = new Map<string, { group: string; status: number; n: number }>()
  private retries = new Map<string, number>()
  private latency = new Map<string, Histogram>()
  private ttfb = new Map<string, Histogram>()
  // Ring of per-second buckets: stamp = the epoch second a slot counts, so stale slots are ignored, never cleared.
  private rpmStamps = new Array<number>(RPM_WINDOW).fill(-1)
  private rpmCounts = new Array<number>(RPM_WINDOW).fill(0)
  private queueDepth: () => number = () => 0
  private keyCounts: () => Promise<GroupKeyCounts[]> = async () => []
  private poolStatus: () => PoolHealth = () => ({ mode: 'local', redisErrors: 0 })

  constructor(private readonly clock: Clock = { now: () => Date.now() }) {}

  recordRequest(r: RequestRecord): void {
    const reqKey = `${r.group}\u0000${r.status}`
    const entry = this.requests.get(reqKey)
    if (entry) entry.n++
    else this.requests.set(reqKey, { group: r.group, status: r.status, n: 1 })
    if (r.retries > 0) this.retries.set(r.group, (this.retries.get(r.group) ?? 0) + r.retries)
    this.histogram(this.latency, r.group).observe(r.durationMs / 1000)
    if (r.ttfbMs !== null) this.histogram(this.ttfb, r.group).observe(r.ttfbMs / 1000)
    const sec = Math.floor(this.clock.now() / 1000)
    const slot = sec % RPM_WINDOW
    if (this.rpmStamps[slot] !== sec) {
      this.rpmStamps[slot] = sec
      this.rpmCounts[slot] = 0
    }
    this.rpmCounts[slot]!++
  }

  /** Requests finished in the last 60 seconds on this node. */
  rpm(): number {
    const now = Math.floor(this.clock.now() / 1000)
    let n = 0
    for (let i = 0; i < RPM_WINDOW; i++) if (now - this.rpmStamps[i]! < RPM_WINDOW) n += this.rpmCounts[i]!
    return n
  }

  /** Where the log writer's queue depth is read (the writer is built after the metrics). */
  setQueueDepthSource(read: () => number): void {
    this.queueDepth = read
  }

  setKeyCountsSource(read: () => Promise<GroupKeyCounts[]>): void {
    this.keyCounts = read
  }

  setPoolStatusSource(read: () => PoolHealth): void {
    this.poolStatus = read
  }

  /** The Prometheus exposition text. */
  async render(): Promise<string> {
    const out: string[] = []
    out.push('# HELP keypool_requests_total Proxied requests by group and final status.')
    out.push('# TYPE keypool_requests_total counter')
    for (const { group, status, n } of this.requests.values()) out.push(`keypool_requests_total${labels({ group, status })} ${n}`)
    out.push('# HELP keypool_retries_total Retries on another key or upstream.')
    out.push('# TYPE keypool_retries_total counter')
    for (const [group, n] of this.retries) out.push(`keypool_retries_total${labels({ group })} ${n}`)
    this.renderHistograms(out, 'keypool_upstream_duration_seconds', 'Whole request duration.', this.latency)
    this.renderHistograms(out, 'keypool_upstream_ttfb_seconds', 'Time to the first upstream byte.', this.ttfb)
    out.push('# HELP keypool_keys Keys by state per group.')
    out.push('# TYPE keypool_keys gauge')
    for (const { group, counts } of await this.keyCounts())
      for (const [state, n] of Object.entries(counts)) out.push(`keypool_keys${labels({ group, state })} ${n}`)
    out.push('# HELP keypool_log_queue_depth Request log rows waiting to be written.')
    out.push('# TYPE keypool_log_queue_depth gauge')
    out.push(`keypool_log_queue_depth ${this.queueDepth()}`)
    out.push('# HELP keypool_requests_per_minute Requests finished in the last 60 seconds on this node.')
    out.push('# TYPE keypool_requests_per_minute gauge')
    out.push(`keypool_requests_per_minute ${this.rpm()}`)
    const pool = this.poolStatus()
    out.push('# HELP keypool_pool_degraded 1 while Redis is unreachable and this node serves from its own key pool.')
    out.push('# TYPE keypool_pool_degraded gauge')
    out.push(`keypool_pool_degraded ${pool.mode === 'degraded' ? 1 : 0}`)
    out.push('# HELP keypool_pool_redis_errors_total Key pool calls to Redis that failed or timed out.')
    out.push('# TYPE keypool_pool_redis_errors_total counter')
    out.push(`keypool_pool_redis_errors_total ${pool.redisErrors}`)
    return out.join('\n') + '\n'
  }

  private histogram(map: Map<string, Histogram>, group: string): Histogram {
    let h = map.get(group)
    if (!h) map.set(group, (h = new Histogram()))
    return h
  }

  private renderHistograms(out: string[], name: string, help: string, map: Map<string, Histogram>): void {
    out.push(`# HELP ${name} ${help}`)
    out.push(`# TYPE ${name} histogram`)
    for (const [group, h] of map) {
      // Buckets are cumulative already: observe() counts a value in every bucket it fits.
      LATENCY_BUCKETS.forEach((le, i) => out.push(`${name}_bucket${labels({ group, le })} ${h.counts[i]}`))
      out.push(`${name}_bucket${labels({ group, le: '+Inf' })} ${h.total}`)
      out.push(`${name}_sum${labels({ group })} ${h.sum}`)
      out.push(`${name}_count${labels({ group })} ${h.total}`)
    }
  }
}
