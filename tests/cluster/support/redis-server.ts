/**
 * A private redis-server process on a free port, for tests that kill and restart Redis under a running cluster
 * (the shared TEST_REDIS_URL server must never be touched). No persistence: a restart comes back empty, as a
 * Redis without a volume does.
 */
import { connectRedis } from '../../../server/cluster/redis-client'
import { freePort } from '../../support/spawn-node'
import { serviceGate } from '../../support/ci-gate'
import { recordingLog, waitFor } from '../redis-env'

export interface OwnRedis {
  url: string
  port: number
  /** SIGKILL the server and wait for it to be gone */
  kill(): Promise<void>
  /** start it again on the same port; resolves once it answers PING */
  start(): Promise<void>
  /** SIGSTOP: the server keeps its connections open but answers nothing (a hung host) */
  freeze(): void
  /** SIGCONT after freeze */
  thaw(): void
  [Symbol.asyncDispose](): Promise<void>
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort()
  const url = `redis://127.0.0.1:${port}`
  let proc: Bun.Subprocess | undefined
  const start = async () => {
    proc = Bun.spawn(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'ignore',
    })
    const started = proc
    await waitFor(`redis-server on port ${port}`, async () => {
      if (started.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${started.exitCode}`)
      return pingOnce(url)
    })
  }
  const kill = async () => {
    if (!proc || proc.exitCode !== null) return
    proc.kill('SIGKILL')
    await proc.exited
  }
  await start()
  const freeze = () => proc?.kill('SIGSTOP')
  const thaw = () => proc?.kill('SIGCONT')
  return { url, port, kill, start, freeze, thaw, [Symbol.asyncDispose]: kill }
}

async function pingOnce(url: string): Promise<boolean> {
  try {
    const client = await connectRedis(url, { connectTimeoutMs: 200, log: recordingLog() })
    client.destroy()
    return true
  } catch {
    return false
  }
}

/** `redis-server` on PATH? (the test needs its own server to kill) */
export function redisServerInstalled(): boolean {
  return Bun.which('redis-server') !== null
}

/**
 * Whether a test that runs its own redis-server can run: the shared services must be up and redis-server
 * installed. In CI a missing redis-server is a failure, never a silent skip (tests/support/ci-gate.ts).
 */
export function ownRedisTestsEnabled(servicesUp: boolean, what: string): boolean {
  if (!servicesUp) return false
  return serviceGate(what, redisServerInstalled() ? null : 'redis-server is not on PATH', 'apt-get install -y redis-server')
}
