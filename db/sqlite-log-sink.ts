/**
 * Sends request-log batches to the log worker (db/sqlite-log-worker.ts) and resolves when they are committed,
 * so `LogWriter.flush()` keeps its meaning. Rows travel as one JSON string of value arrays: measured, structured
 * cloning the rows was ~5% of the main thread under load; a string is copied in one piece.
 */
import type { HourlyStat, RequestLog } from './types'
import { logRowValues } from './store-helpers'
import type { LogWorkerReply, LogWorkerRequest } from './sqlite-log-worker'

type Pending = { resolve: () => void; reject: (err: Error) => void }
type Outgoing = LogWorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never

/**
 * In a compiled binary the worker is an extra entrypoint (scripts/build.ts) stored at its path relative to the
 * project root, and relative specifiers resolve against that root; from source it sits beside this file.
 */
function workerSpecifier(): string {
  const compiled = import.meta.url.includes('$bunfs') || import.meta.url.includes('~BUN')
  return compiled ? './db/sqlite-log-worker.ts' : new URL('./sqlite-log-worker.ts', import.meta.url).href
}

export class SqliteLogSink {
  private readonly worker: Worker
  private readonly pending = new Map<number, Pending>()
  private seq = 0
  private closed = false
  private openError: Error | null = null

  constructor(path: string) {
    // smol: a small heap for a thread that only turns JSON into SQLite rows
    this.worker = new Worker(workerSpecifier(), { smol: true })
    this.worker.onmessage = (e: MessageEvent<LogWorkerReply>) => {
      const p = this.pending.get(e.data.id)
      if (!p) return
      this.pending.delete(e.data.id)
      if (e.data.error) p.reject(new Error(e.data.error))
      else p.resolve()
    }
    this.worker.onerror = (e) => {
      const err = new Error(`log worker failed: ${e.message}`)
      for (const p of this.pending.values()) p.reject(err)
      this.pending.clear()
    }
    // A failed open (the directory went away, no permission) is kept and answers every later write: it must not
    // be an unhandled rejection of its own, which a test runner or the process reports as a crash.
    this.send({ op: 'open', path }).catch((err: Error) => {
      this.openError = err
    })
  }

  insertLogs(rows: RequestLog[]): Promise<void> {
    return this.send({ op: 'logs', json: JSON.stringify(rows.map(logRowValues)) })
  }

  addHourlyStats(rows: HourlyStat[]): Promise<void> {
    return this.send({ op: 'stats', rows })
  }

  async close(): Promise<void> {
    if (this.closed) return
    await this.send({ op: 'close' }).catch(() => {})
    this.closed = true
    this.worker.terminate()
  }

  private send(msg: Outgoing): Promise<void> {
    if (this.closed) return Promise.reject(new Error('log sink closed'))
    if (this.openError) return Promise.reject(this.openError)
    const id = ++this.seq
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ ...msg, id })
    })
  }
}
