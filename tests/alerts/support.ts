/**
 * For the alert tests: a local webhook receiver (a Bun.serve on port 0 that records every body and answers what
 * the test scripted), a clock the test moves, and a node with short alert periods.
 */
import type { Clock } from '../../server/shared/clock'
import { createTestApp, waitFor, type TestApp, type TestAppOptions } from '../support/test-app'

export interface Received {
  path: string
  body: any
  headers: Record<string, string>
}

/** One scripted answer; `delayMs` holds it back (a receiver slower than the sender's timeout). */
export interface Scripted {
  status: number
  body?: string
  delayMs?: number
}

export interface Receiver {
  url: string
  received: Received[]
  /** the answers of the next requests, in order (then the default: 200 with `defaultBody`) */
  script(...answers: Scripted[]): void
  /** waits until at least n bodies arrived */
  waitForCount(n: number, ms?: number): Promise<void>
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

/** What each receiver answers when it accepts a message, as the real services do. */
export const ACCEPTED: Record<string, string> = {
  json: '{"ok":true}',
  slack: 'ok',
  feishu: '{"code":0,"msg":"success","data":{}}',
  dingtalk: '{"errcode":0,"errmsg":"ok"}',
  wecom: '{"errcode":0,"errmsg":"ok"}',
}

export function startReceiver(defaultBody = '{"ok":true}'): Receiver {
  const received: Received[] = []
  const queue: Scripted[] = []
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      const text = await req.text()
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {}
      received.push({ path: new URL(req.url).pathname, body, headers: Object.fromEntries(req.headers) })
      const next = queue.shift()
      if (next?.delayMs) await Bun.sleep(next.delayMs)
      return new Response(next?.body ?? defaultBody, { status: next?.status ?? 200 })
    },
  })
  const stop = async () => void server.stop(true)
  return {
    url: `http://127.0.0.1:${server.port}`,
    received,
    script: (...answers) => void queue.push(...answers),
    waitForCount: (n, ms = 5000) => waitFor(() => received.length >= n, ms, `${n} alert(s) received (got ${received.length})`),
    stop,
    [Symbol.asyncDispose]: stop,
  }
}

/** A clock the test moves forward. */
export class ManualClock implements Clock {
  constructor(private t = Date.UTC(2026, 0, 1, 12)) {}
  now(): number {
    return this.t
  }
  advance(ms: number): void {
    this.t += ms
  }
}

/** Alert periods short enough for tests: a tick every 20 ms, retries 10 ms apart. */
export const FAST_ALERTS = { tickMs: 20, delivery: { attempts: 3, timeoutMs: 2000, backoffMs: 10 } }

export async function alertApp(opts: TestAppOptions = {}): Promise<TestApp> {
  return createTestApp({ ...opts, alertTiming: { ...FAST_ALERTS, ...opts.alertTiming } })
}

/** Sets the alert settings through the admin API. */
export async function setAlertSettings(app: TestApp, values: Record<string, unknown>): Promise<void> {
  const res = await app.api('/api/settings', { method: 'PUT', body: JSON.stringify(values) })
  if (res.status !== 200) throw new Error(`PUT /api/settings: ${res.status} ${await res.text()}`)
}
