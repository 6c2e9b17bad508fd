/**
 * A keypool cluster for tests: N real node processes (`bun server/main.ts`) sharing one fresh PostgreSQL database
 * and one Redis key prefix, plus helpers to talk to them the way clients and admins do (admin API, proxy).
 * `await using cluster = await startTestCluster(...)` kills the nodes, deletes the Redis keys and drops the database.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectRedis } from '../../../server/cluster/redis-client'
import { spawnNode, type SpawnedNode } from '../../support/spawn-node'
import { uniquePrefix, recordingLog } from '../redis-env'
import { createTestDatabase, REDIS_URL, type TestDatabase } from './services'

export const AUTH = 'cluster-admin-key-0123456789'

export interface ClusterOptions {
  nodes: number
  /** env for every node (on top of the cluster's own) */
  env?: Record<string, string>
  /** Redis of the cluster; default TEST_REDIS_URL */
  redisUrl?: string
}

export interface TestCluster {
  nodes: SpawnedNode[]
  db: TestDatabase
  prefix: string
  /** env every node of this cluster gets */
  env: Record<string, string>
  /** starts one more node (extra env on top of the cluster's) */
  spawn(extra?: Record<string, string>): Promise<SpawnedNode>
  close(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

export async function startTestCluster(opts: ClusterOptions): Promise<TestCluster> {
  const db = await createTestDatabase()
  const prefix = uniquePrefix()
  const redisUrl = opts.redisUrl ?? REDIS_URL
  const dirs: string[] = []
  const nodes: SpawnedNode[] = []
  const env = {
    DATABASE_DSN: db.dsn,
    REDIS_DSN: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    AUTH_KEY: AUTH,
    LOG_LEVEL: 'error',
    ...opts.env,
  }
  const spawn = async (extra: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'keypool-node-'))
    dirs.push(dir)
    const node = await spawnNode({ ...env, DATA_DIR: dir, ...extra })
    nodes.push(node)
    return node
  }
  const close = async () => {
    await Promise.all(nodes.map((n) => n[Symbol.asyncDispose]()))
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
    await deleteRedisKeys(redisUrl, prefix).catch(() => {})
    await db.drop()
  }
  try {
    // the first node creates the schema; the others start together
    await spawn()
    await Promise.all(Array.from({ length: opts.nodes - 1 }, () => spawn()))
  } catch (err) {
    await close()
    throw err
  }
  return { nodes, db, prefix, env, spawn, close, [Symbol.asyncDispose]: close }
}

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const client = await connectRedis(url, { connectTimeoutMs: 2000, log: recordingLog() })
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) await client.del(keys)
    }
  } finally {
    client.destroy()
  }
}

/** An admin API call; returns `data` of the `{code: 0}` envelope, throws with the answer otherwise. */
export async function api<T = unknown>(node: { url: string }, path: string, body?: unknown, method?: string): Promise<T> {
  const verb = method ?? (body === undefined ? 'GET' : 'POST')
  const res = await fetch(`${node.url}${path}`, {
    method: verb,
    headers: { authorization: `Bearer ${AUTH}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  const parsed = JSON.parse(text) as { code: unknown; data: T }
  if (res.status !== 200 || parsed.code !== 0) throw new Error(`${verb} ${path}: ${res.status} ${text}`)
  return parsed.data
}

export interface GroupSpec {
  name: string
  upstream: string
  keys: string[]
  config?: Record<string, unknown>
}

/** Creates an OpenAI group with its keys through the admin API of `node`; returns its id. */
export async function createGroup(node: { url: string }, spec: GroupSpec): Promise<number> {
  const group = await api<{ id: number }>(node, '/api/groups', {
    name: spec.name,
    channel_type: 'openai',
    upstreams: [{ url: spec.upstream, weight: 1 }],
    test_model: 'gpt-4o-mini',
    config: spec.config ?? {},
  })
  if (spec.keys.length > 0) await api(node, '/api/keys/add-multiple', { group_id: group.id, keys_text: spec.keys.join('\n') })
  return group.id
}

/** One chat completion through the node's proxy; `proxyKey` defaults to AUTH. */
export function chat(node: { url: string }, group: string, init: { proxyKey?: string; userAgent?: string; signal?: AbortSignal } = {}) {
  return fetch(`${node.url}/proxy/${group}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${init.proxyKey ?? AUTH}`,
      'content-type': 'application/json',
      'user-agent': init.userAgent ?? 'cluster-test',
    },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    signal: init.signal,
  })
}

export interface Health {
  status: string
  /** local | shared | degraded */
  pool: string
  leader: boolean
  node_id: string
  redis: { configured: boolean; reachable: boolean | null }
}

export async function health(node: { url: string }): Promise<Health> {
  return (await fetch(`${node.url}/health`)).json() as Promise<Health>
}
