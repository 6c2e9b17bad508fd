/**
 * Request logs and hourly counters are queued here and written in batches off the request path, every
 * `request_log_write_interval_minutes` (0 = on the next tick). A crash loses at most one interval of rows;
 * a failing store keeps the rows (bounded) and tries again on the next flush.
 */
import { addHourlyStat } from '../../db/hourly-stats'
import type { HourlyStat, RequestLog, Store } from '../../db/types'
import { log } from '../shared/logger'

const MAX_QUEUED = 200_000
// Written early once this many rows wait: keeps memory flat and each (synchronous SQLite) flush short under load.
const BATCH_ROWS = 1000
// A long backlog (after an outage) is written in slices with a yield between them, never in one long write.
const SLICE_ROWS = 1000
const HOUR = 3_600_000
const MODEL_CHARS = 100

/** A request still running: at the final flush it writes its own row as interrupted (its finish unregisters it). */
export interface OpenRequest {
  interrupt(): void
}

export class LogWriter {
  private queue: RequestLog[] = []
  private hourly = new Map<string, HourlyStat>()
  private timer: ReturnType<typeof setTimeout> | null = null
  private flushing: Promise<void> | null = null
  private dropped = 0
  private closed = false
  private open = new Set<OpenRequest>()

  constructor(
    private readonly store: Store,
    private intervalMs: () => number,
  ) {}

  push(row: RequestLog): void {
    if (this.closed) return
    if (this.queue.length >= MAX_QUEUED) {
      this.queue.shift()
      this.dropped++
    }
    this.queue.push(row)
    // hourly stats count requests: a retried attempt is part of its request, not one more
    if (row.group_id !== null && row.request_type === 'final') this.count(row)
    if (this.queue.length >= BATCH_ROWS && !this.flushing) {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
      this.flush().catch(() => {})
    } else this.schedule()
  }

  /** Registers a request that will push its row when it ends (or when the writer closes first). */
  track(r: OpenRequest): void {
    if (!this.closed) this.open.add(r)
  }

  untrack(r: OpenRequest): void {
    this.open.delete(r)
  }

  /**
   * Every request still open writes its row now, as interrupted (a shutdown whose grace ran out); returns how
   * many. close() does it too, so no request that started is ever missing from the logs.
   */
  interruptOpen(): number {
    const open = [...this.open]
    for (const r of open) r.interrupt()
    this.open.clear()
    return open.length
  }

  queueDepth(): number {
    return this.queue.length
  }

  /** Write everything queued now (shutdown, tests, interval changes). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing
    if (this.queue.length === 0 && this.hourly.size === 0) return
    this.flushing = this.writeBatch().finally(() => {
      this.flushing = null
    })
    await this.flushing
  }

  /** Called when the interval setting changes so a shorter interval applies at once. */
  reschedule(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.queue.length > 0) this.schedule()
  }

  async close(): Promise<void> {
    this.interruptOpen()
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.flush()
    this.closed = true
  }

  private count(row: RequestLog) {
    addHourlyStat(this.hourly, {
      hour: Math.floor(row.timestamp / HOUR) * HOUR,
      group_id: row.group_id!,
      access_key_id: row.access_key_id ?? 0,
      // model names come from clients: bounded, so one odd name cannot make one huge stats row per request
      model: row.model.slice(0, MODEL_CHARS),
      success_count: row.is_success ? 1 : 0,
      failure_count: row.is_success ? 0 : 1,
      prompt_tokens: row.prompt_tokens,
      completion_tokens: row.completion_tokens,
      cost_micros: row.cost_micros,
      cache_hits: row.cache_hit ? 1 : 0,
    })
  }

  private schedule() {
    if (this.timer || this.closed) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.flush().catch(() => {})
    }, this.intervalMs())
  }

  private async writeBatch(): Promise<void> {
    const rows = this.queue
    const stats = [...this.hourly.values()]
    this.queue = []
    this.hourly = new Map()
    let rowsWritten = false
    let written = 0
    try {
      // Rows of a slice that failed are put back with the rest.
      for (let i = 0; i < rows.length; i += SLICE_ROWS) {
        await this.store.insertLogs(rows.slice(i, i + SLICE_ROWS))
        written = i + SLICE_ROWS
        if (written < rows.length) await new Promise((r) => setImmediate(r))
      }
      rowsWritten = true
      if (stats.length) await this.store.addHourlyStats(stats)
      if (this.dropped) {
        log.warn('request log queue overflowed; oldest rows dropped', { dropped: this.dropped })
        this.dropped = 0
      }
    } catch (err) {
      log.error('request log flush failed; will retry', { error: String(err), rows: rowsWritten ? 0 : rows.length - written })
      // Put back what was not written, in front; keep the bound.
      if (!rowsWritten) this.queue = rows.slice(written).concat(this.queue).slice(-MAX_QUEUED)
      for (const s of stats) addHourlyStat(this.hourly, s)
      this.schedule()
    }
  }
}
