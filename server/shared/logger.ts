/** Process log: level filter, text or JSON lines, optional file. Never pass secrets here unmasked. */
import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

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
  const line =
    opts.format === 'json'
      ? JSON.stringify({ time, level, msg, ...fields })
      : `${time} ${level.toUpperCase().padEnd(5)} ${msg}${fields ? ' ' + Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ') : ''}`
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
