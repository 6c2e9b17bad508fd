/**
 * Redis connections for the cluster: reconnect forever once up (backoff capped at 2 s), fail commands at once
 * while disconnected, log a lost connection once and its recovery once, never let an 'error' event crash the process, and fail the first connect with a message
 * naming REDIS_DSN so a wrong URL stops start-up instead of hanging it.
 */
import { createClient, ErrorReply } from 'redis'
import type { ClusterLog } from './types'

export type RedisClient = ReturnType<typeof createClient>

export interface ConnectOptions {
  /** shown in logs and set as CLIENT SETNAME (no spaces: Redis refuses them) */
  name?: string
  /** how long the first connect may take before it is given up; default 5000 ms */
  connectTimeoutMs?: number
  log?: ClusterLog
}

const MAX_BACKOFF_MS = 2000

/** 50 ms doubling up to 2 s, with a little jitter so nodes that lost Redis together do not retry in step. */
export function reconnectDelayMs(retries: number): number {
  return Math.min(50 * 2 ** Math.min(retries, 10), MAX_BACKOFF_MS) + Math.floor(Math.random() * 50)
}

/** `redis://user:***@host:6379/0`: the password never reaches a log or an error; the rest is left as written. */
export function maskRedisUrl(url: string): string {
  // greedy up to the last '@' of the authority, as URL parsers read `user:p@ss@host`
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^/]*@/i, '$1:***@')
}

export async function connectRedis(url: string, opts: ConnectOptions = {}): Promise<RedisClient> {
  const where = maskRedisUrl(url)
  const timeoutMs = opts.connectTimeoutMs ?? 5000
  const state = newConnectState(timeoutMs)
  let client: RedisClient
  try {
    client = createClient({
      url,
      name: opts.name,
      // While reconnecting, commands fail at once instead of queueing: a request must get a clear 503 during a
      // Redis outage, not hang until Redis is back (the duplicate for the config bus inherits this).
      disableOfflineQueue: true,
      socket: { connectTimeout: timeoutMs, reconnectStrategy: reconnectStrategy(state) },
    })
  } catch (err) {
    throw dsnError(where, err)
  }
  return openClient(client, where, state, opts)
}

/**
 * A second connection with the same settings, e.g. for SUBSCRIBE (a subscribed connection cannot run other
 * commands). It gets its own reconnect state and logging; the caller owns it and must `destroy()` it.
 */
export async function duplicateRedis(client: RedisClient, opts: ConnectOptions = {}): Promise<RedisClient> {
  const timeoutMs = opts.connectTimeoutMs ?? 5000
  const state = newConnectState(timeoutMs)
  const dup = client.duplicate({
    name: opts.name,
    socket: { ...client.options?.socket, connectTimeout: timeoutMs, reconnectStrategy: reconnectStrategy(state) },
  }) as RedisClient
  return openClient(dup, describe(client), state, opts)
}

interface ConnectState {
  everReady: boolean
  deadline: number
  lastError?: unknown
}

function newConnectState(timeoutMs: number): ConnectState {
  return { everReady: false, deadline: Date.now() + timeoutMs }
}

/**
 * Before the first success, give up at the deadline or at once when the server answered with an error (wrong
 * password, bad database): retrying cannot fix those. After it, retry forever: Redis restarts must not kill nodes.
 */
function reconnectStrategy(state: ConnectState) {
  return (retries: number, cause: Error): number | Error => {
    if (!state.everReady && (cause instanceof ErrorReply || Date.now() + reconnectDelayMs(retries) >= state.deadline)) {
      return cause
    }
    return reconnectDelayMs(retries)
  }
}

async function openClient(client: RedisClient, where: string, state: ConnectState, opts: ConnectOptions): Promise<RedisClient> {
  const log = opts.log ?? console
  const label = opts.name ? `redis (${opts.name})` : 'redis'
  let down = false
  // Without an 'error' listener node-redis errors would be thrown as uncaught: every retry emits one.
  client.on('error', (err: unknown) => {
    state.lastError = err
    if (state.everReady && !down) {
      down = true
      log.warn(`${label}: connection to ${where} lost (${reason(err)}); reconnecting`)
    }
  })
  client.on('ready', () => {
    if (down) log.info(`${label}: connection to ${where} recovered`)
    down = false
    state.everReady = true
  })

  // Backstop for a connect that neither succeeds nor fails (a black-holed host): the strategy gives up at the
  // deadline, this fires a second later only if something still hangs.
  let timer: ReturnType<typeof setTimeout> | undefined
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), state.deadline - Date.now() + 1000)
  })
  try {
    await Promise.race([client.connect(), hung])
    return client
  } catch (err) {
    client.destroy()
    throw dsnError(where, state.lastError ?? err)
  } finally {
    clearTimeout(timer)
  }
}

function dsnError(where: string, err: unknown): Error {
  return new Error(`REDIS_DSN: cannot connect to ${where}: ${reason(err)}`)
}

function reason(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return err.message || (typeof code === 'string' ? code : err.name)
  }
  return String(err)
}

function describe(client: RedisClient): string {
  const socket = client.options?.socket as { host?: string; port?: number; path?: string } | undefined
  if (socket?.path) return `unix://${socket.path}`
  return `redis://${socket?.host ?? '127.0.0.1'}:${socket?.port ?? 6379}`
}
