/**
 * A real keypool node for tests: the real app listening on 127.0.0.1 port 0, SQLite in memory (or a given DSN),
 * a temp data dir, a known admin key. `await using app = await createTestApp()` stops it at scope end.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newGroup } from '../../db/new-group'
import type { Group, NewGroup } from '../../db/types'
import { loadEnv } from '../../server/config/env'
import type { AppDeps } from '../../server/deps'
import type { Clock } from '../../server/shared/clock'
import type { AlertTiming } from '../../server/alerts/service'
import { startServer, type RunningServer } from '../../server/server'

export const TEST_AUTH_KEY = 'test-admin-key-0123456789'

export interface TestAppOptions {
  env?: Record<string, string>
  ui?: boolean
  clock?: Clock
  fetch?: typeof fetch
  pgSchema?: string
  redisPrefix?: string
  leaseTtlMs?: number
  /** reuse a data dir (restart tests) */
  dataDir?: string
  /** cluster node id (two nodes in one test process) */
  nodeId?: string
  /** shorter alert periods and retries (tests/alerts) */
  alertTiming?: Partial<AlertTiming>
}

export interface TestApp {
  url: string
  deps: AppDeps
  server: RunningServer
  dataDir: string
  /** fetch against the app with the admin key */
  api(path: string, init?: RequestInit): Promise<Response>
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'keypool-test-'))
  const env = loadEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_DSN: ':memory:',
    AUTH_KEY: TEST_AUTH_KEY,
    LOG_LEVEL: 'error',
    MAX_CONCURRENT_REQUESTS: '5000',
    ...opts.env,
  })
  const server = await startServer(env, {
    ui: opts.ui ?? false,
    clock: opts.clock,
    fetch: opts.fetch,
    pgSchema: opts.pgSchema,
    redisPrefix: opts.redisPrefix,
    leaseTtlMs: opts.leaseTtlMs,
    alertTiming: opts.alertTiming,
    nodeId: opts.nodeId,
  })
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await server.stop()
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
  return {
    url: server.url,
    deps: server.built.deps,
    server,
    dataDir,
    api(path, init = {}) {
      const headers = new Headers(init.headers)
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${TEST_AUTH_KEY}`)
      if (init.body && typeof init.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json')
      return fetch(server.url + path, { ...init, headers })
    },
    stop,
    [Symbol.asyncDispose]: stop,
  }
}

/** Create a group straight in the store and make the running node see it (tests of the proxy path). */
export async function seedGroup(
  deps: AppDeps,
  fields: Partial<NewGroup> & { name: string; upstreams: NewGroup['upstreams'] },
  keys: string[] = [],
): Promise<Group> {
  const group = await deps.store.createGroup(newGroup(fields.name, fields))
  if (keys.length) await deps.store.addKeys(group.id, keys)
  await deps.pool.loadGroup(group.id, await deps.store.groupKeys(group.id))
  await deps.groups.invalidate([group.id])
  return group
}

/** Key ids of a group by value (tests assert on key states). */
export async function keyStates(deps: AppDeps, groupId: number): Promise<Record<string, { status: string; failures: number }>> {
  const out: Record<string, { status: string; failures: number }> = {}
  for (const k of await deps.store.groupKeys(groupId)) out[k.key_value] = { status: k.status, failures: k.failure_count }
  return out
}

/** Poll until `check` returns true (no fixed sleeps); fails after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await check()) return
    await Bun.sleep(10)
  }
  throw new Error(`timed out waiting for ${what}`)
}
