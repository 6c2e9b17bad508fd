/**
 * Process log: level filter, text or JSON lines, optional file. Every line the server prints goes through here, and
 * each is scrubbed of credentials (callers still mask the keys they know; this catches what they cannot know, such
 * as a `?key=` in a URL inside an error text).
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { scrubCredentials } from './scrub'

export type Level = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface LoggerOptions {
  level: Level
  format: 'text' | 'json'
  file?: string
}

let opts: LoggerOptions = { level: (process.env.LOG_LEVEL as Level) ?? 'info', format: 'text' }

export function configureLogger(next: LoggerOptions): void {
  opts = next
  if (next.file) mkdirSync(dirname(next.file), { recursive: true })
}

function write(level: Level, msg: string, fields?: Record<string, unknown>) {
  if (ORDER[level] < ORDER[opts.level]) return
  const time = new Date().toISOString()
  const line = scrubCredentials(
    opts.format === 'json'
      ? JSON.stringify({ time, level, msg, ...fields })
      : `${time} ${level.toUpperCase().padEnd(5)} ${msg}${fields ? ' ' + Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ') : ''}`,
  )
  if (level === 'error' || level === 'warn') console.error(line)
  else console.log(line)
  if (opts.file) {
    try {
      appendFileSync(opts.file, line + '\n')
    } catch {
      // a full disk must not take the gateway down
    }
  }
}

export const log = {
  debug: (msg: string, f?: Record<string, unknown>) => write('debug', msg, f),
  info: (msg: string, f?: Record<string, unknown>) => write('info', msg, f),
  warn: (msg: string, f?: Record<string, unknown>) => write('warn', msg, f),
  error: (msg: string, f?: Record<string, unknown>) => write('error', msg, f),
}

/**
 * Errors nobody caught would be printed raw by the runtime (with source lines, and texts such as an upstream URL):
 * they go to the log instead, as one scrubbed line each. The process keeps serving: one bad request is not an outage.
 */
export function logUncaughtErrors(): void {
  const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err))
  process.on('uncaughtException', (err) => log.error('uncaught exception', { error: describe(err) }))
  process.on('unhandledRejection', (err) => log.error('unhandled promise rejection', { error: describe(err) }))
}
