/** A keypool node whose group caches answers, over the fake upstream; memory or Redis (unique prefix) backed. */
import { createClient } from 'redis'
import type { Group, NewGroup } from '../../db/types'
import type { Clock } from '../../server/shared/clock'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { createTestApp, seedGroup, TEST_AUTH_KEY, type TestApp } from '../support/test-app'

export const PROXY_KEY = TEST_AUTH_KEY
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

export type Backend = 'memory' | 'redis'

export interface CacheRig {
  app: TestApp
  upstream: FakeUpstream
  group: Group
  base: string
  prefix: string
  /** a second group on the same upstream (also caching) */
  seedGroup(name: string, fields?: Partial<NewGroup>): Promise<Group>
  [Symbol.asyncDispose](): Promise<void>
}

let rigs = 0

export async function cacheRig(backend: Backend, o: { clock?: Clock; ttl?: number; env?: Record<string, string> } = {}): Promise<CacheRig> {
  const upstream = await startFakeUpstream()
  const prefix = `test:cache:${process.pid}:${Date.now()}:${++rigs}:`
  const app = await createTestApp({
    clock: o.clock,
    env: { ...(backend === 'redis' ? { REDIS_DSN: REDIS_URL } : {}), ...o.env },
    redisPrefix: backend === 'redis' ? prefix : undefined,
  })
  await app.deps.settings.update({ request_log_write_interval_minutes: 0 })
  const seed = (name: string, fields: Partial<NewGroup> = {}) =>
    seedGroup(app.deps, { name, upstreams: [{ url: upstream.url, weight: 1 }], config: { cache_ttl_seconds: o.ttl ?? 60 }, ...fields }, ['sk-ok-cache-1'])
  const group = await seed('cached')
  return {
    app,
    upstream,
    group,
    base: `${app.url}/proxy/${group.name}`,
    prefix,
    seedGroup: seed,
    async [Symbol.asyncDispose]() {
      await app.stop()
      await upstream.stop()
      if (backend === 'redis') await deletePrefix(prefix)
    },
  }
}

/** Removes every key of one test prefix (never anything else on the shared Redis). */
export async function deletePrefix(prefix: string): Promise<void> {
  const c = createClient({ url: REDIS_URL })
  await c.connect()
  try {
    for await (const keys of c.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length) await c.del(keys)
  } finally {
    c.destroy()
  }
}

export function call(base: string, body: unknown, headers: Record<string, string> = {}, path = '/v1/chat/completions') {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PROXY_KEY}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export const CHAT = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }
