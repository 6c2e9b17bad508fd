/**
 * Worker thread that writes request logs and hourly counters into a SQLite file through its own connection.
 * bun:sqlite is synchronous: on the main thread every batch (and its COMMIT, measured at half the cost) held the
 * event loop and showed up in the proxy's p99. WAL lets this writer and the main connection work side by side.
 */
import { Database } from 'bun:sqlite'
import { prepareLogWriters, type LogRowValues, type LogWriters } from './sqlite-log-sql'
import type { HourlyStat } from './types'

declare const self: Worker

export type LogWorkerRequest =
  | { id: number; op: 'open'; path: string }
  | { id: number; op: 'logs'; json: string }
  | { id: number; op: 'stats'; rows: HourlyStat[] }
  | { id: number; op: 'close' }

export interface LogWorkerReply {
  id: number
  error?: string
}

let client: Database | null = null
let writers: LogWriters | null = null
/** why the open failed: the open and the writes queued behind it are answered with it */
let openFailed: string | null = null

self.onmessage = (event: MessageEvent<LogWorkerRequest>) => {
  const msg = event.data
  const reply: LogWorkerReply = { id: msg.id }
  try {
    if (msg.op === 'open') {
      openFailed = null
      try {
        client = new Database(msg.path, { strict: true })
      } catch (err) {
        openFailed = `log database could not be opened: ${err instanceof Error ? err.message : String(err)}`
        throw new Error(openFailed)
      }
      client.run('PRAGMA journal_mode = WAL')
      client.run('PRAGMA busy_timeout = 5000')
      client.run('PRAGMA synchronous = NORMAL')
      writers = prepareLogWriters(client)
    } else if (msg.op === 'close') {
      client?.close()
      client = null
      writers = null
    } else if (!writers) {
      throw new Error(openFailed ?? 'log worker used before open')
    } else if (msg.op === 'logs') {
      writers.insertLogs(JSON.parse(msg.json) as LogRowValues[])
    } else {
      writers.addHourlyStats(msg.rows)
    }
  } catch (err) {
    reply.error = err instanceof Error ? err.message : String(err)
  }
  self.postMessage(reply)
}
