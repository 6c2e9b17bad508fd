/**
 * Two nodes on a private redis-server that the tests kill, restart (empty, no persistence) and freeze. While Redis
 * is unreachable each node serves from its local pool (seeded from PostgreSQL) and says so in /health and
 * /metrics; once Redis answers again the nodes rejoin the shared state and agree on every key's state.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import type { SpawnedNode } from '../support/spawn-node'
import { waitFor } from './redis-env'
import { api, chat, createGroup, startTestCluster, type TestCluster } from './support/cluster'
import { ownRedisTestsEnabled, startOwnRedis, type OwnRedis } from './support/redis-server'
import { queryDb, servicesUp } from './support/services'

// bun 1.4.4 does not read bunfig's test timeout; spawning nodes (and Redis's first-connect window) needs more than 5 s
setDefaultTimeout(60_000)

interface Outcome {
  node: number
  start: number
  end: number
  status: number | 'error'
  detail: string
}

interface PoolHealth {
  status: string
  pool: string
  redis: { configured: boolean; reachable: boolean | null }
}

const poolHealth = async (node: SpawnedNode) => (await (await fetch(`${node.url}/health`)).json()) as PoolHealth
const metrics = async (node: SpawnedNode) => (await fetch(`${node.url}/metrics`)).text()
const metric = (text: string, line: string) => {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `))
  return found === undefined ? undefined : Number(found.slice(line.length + 1))
}

const enabled = ownRedisTestsEnabled(servicesUp, 'the Redis outage tests')

describe.skipIf(!enabled)('Redis down under two running nodes', () => {
  let redis: OwnRedis
  let upstream: FakeUpstream
  let cluster: TestCluster
  let nodes: [SpawnedNode, SpawnedNode]

  beforeAll(async () => {
    redis = await startOwnRedis()
    upstream = await startFakeUpstream()
    cluster = await startTestCluster({ nodes: 2, redisUrl: redis.url })
    nodes = cluster.nodes as [SpawnedNode, SpawnedNode]
  })
  afterAll(async () => {
    redis?.thaw()
    await cluster?.close()
    await redis?.kill()
    await upstream?.stop()
  })

  const bothShared = () =>
    waitFor('both nodes back on the shared pool', async () => (await Promise.all(nodes.map(poolHealth))).every((h) => h.pool === 'shared'), 15_000)

  /** Requests in `loops` parallel loops over both nodes until stopped. */
  function traffic(group: string, loops = 4) {
    const outcomes: Outcome[] = []
    let running = true
    const loop = async (n: number) => {
      for (let i = n; running; i++) {
        const node = i % 2
        const start = Date.now()
        try {
          const res = await chat(nodes[node]!, group, { signal: AbortSignal.timeout(15_000) })
          const body = await res.text()
          const detail = res.status === 200 ? '' : ((JSON.parse(body) as { error?: { code?: string } }).error?.code ?? body)
          outcomes.push({ node, start, end: Date.now(), status: res.status, detail })
        } catch (err) {
          outcomes.push({ node, start, end: Date.now(), status: 'error', detail: String(err) })
        }
      }
    }
    const all = Array.from({ length: loops }, (_, n) => loop(n))
    return {
      outcomes,
      after: (t: number) => outcomes.filter((o) => o.start >= t),
      async stop() {
        running = false
        await Promise.all(all)
      },
    }
  }

  test('Redis killed: both nodes keep serving from their local pools, say so, and rejoin when it is back', async () => {
    await createGroup(nodes[0], { name: 'out', upstream: upstream.url, keys: ['sk-good-out-1', 'sk-good-out-2', 'sk-good-out-3'] })
    await waitFor('both nodes serve the group', async () => (await Promise.all(nodes.map((n) => chat(n, 'out')))).every((r) => r.status === 200))
    expect((await Promise.all(nodes.map(poolHealth))).map((h) => h.pool)).toEqual(['shared', 'shared'])

    const load = traffic('out')
    await waitFor('steady traffic', () => load.outcomes.length >= 40)
    const killedAt = Date.now()
    await redis.kill()
    await waitFor('both nodes report the degraded pool', async () => (await Promise.all(nodes.map(poolHealth))).every((h) => h.pool === 'degraded'))
    const degradedAt = Date.now()
    const health = await Promise.all(nodes.map(poolHealth))
    // still serving: 200 for load balancers, with the reason in the body
    for (const h of health) expect(h).toMatchObject({ status: 'degraded', pool: 'degraded', redis: { configured: true, reachable: false } })
    for (const n of nodes) expect(metric(await metrics(n), 'keypool_pool_degraded')).toBe(1)
    // a name no node knows is still refused as unknown, without waiting for Redis
    const unknown = await chat(nodes[1], 'no-such-group', { signal: AbortSignal.timeout(10_000) })
    expect(unknown.status).toBe(404)
    await waitFor('traffic while Redis is down', () => load.after(degradedAt).filter((o) => o.end < Date.now()).length >= 100, 15_000)

    const restartedAt = Date.now()
    await redis.start()
    await bothShared()
    const rejoinedAt = Date.now()
    await waitFor('traffic after the rejoin', () => load.after(rejoinedAt).length >= 60, 15_000)
    await load.stop()

    const inFlightAtKill = (o: Outcome) => o.start < killedAt && o.end >= killedAt
    // Served all along: only a request in flight at the very moment of the kill may have failed.
    expect(load.outcomes.filter((o) => o.status !== 200 && !inFlightAtKill(o))).toEqual([])
    expect(load.outcomes.filter((o) => o.start >= killedAt && o.start < restartedAt && o.status === 200).length).toBeGreaterThan(100)
    expect(load.after(degradedAt).filter((o) => o.status !== 200)).toEqual([])
    for (const n of nodes) expect(metric(await metrics(n), 'keypool_pool_degraded')).toBe(0)
    for (const n of nodes) expect(await poolHealth(n)).toMatchObject({ status: 'healthy', pool: 'shared', redis: { reachable: true } })
    // back on one shared rotation: 3 consecutive requests over both nodes use 3 different keys
    const mark = upstream.requests.length
    for (let i = 0; i < 12; i++) expect((await chat(nodes[i % 2]!, 'out')).status).toBe(200)
    const used = upstream.requests.slice(mark).map((r) => r.key)
    for (let i = 0; i + 3 <= used.length; i++) expect(new Set(used.slice(i, i + 3)).size).toBe(3)
  })

  test('a frozen Redis: one timed-out pick opens the circuit, the picks after it go local at once', async () => {
    await createGroup(nodes[0], { name: 'frz', upstream: upstream.url, keys: ['sk-good-frz-1', 'sk-good-frz-2'] })
    await waitFor('both nodes serve the group', async () => (await Promise.all(nodes.map((n) => chat(n, 'frz')))).every((r) => r.status === 200))
    const node = nodes[0]
    const errorsBefore = metric(await metrics(node), 'keypool_pool_redis_errors_total') ?? 0
    redis.freeze()
    try {
      // the first pick waits for the pool's Redis timeout, then is served locally instead of refused
      const first = await chat(node, 'frz', { signal: AbortSignal.timeout(10_000) })
      expect(first.status).toBe(200)
      expect((await poolHealth(node)).pool).toBe('degraded')
      for (let i = 0; i < 20; i++) expect((await chat(node, 'frz', { signal: AbortSignal.timeout(10_000) })).status).toBe(200)
      // The circuit is open: the 20 picks after the first never asked the frozen Redis (each ask that times
      // out is counted), so none of them waited for it.
      expect(metric(await metrics(node), 'keypool_pool_redis_errors_total')).toBe(errorsBefore + 1)
    } finally {
      redis.thaw()
    }
    await bothShared()
    expect((await chat(node, 'frz')).status).toBe(200)
  })

  test('an empty Redis restart: a key cooled during the outage is cooling on both nodes after they rejoin', async () => {
    const id = await createGroup(nodes[0], { name: 'agree', upstream: upstream.url, keys: ['sk-good-agree-1', 'sk-good-agree-2', 'sk-good-agree-3'] })
    await waitFor('both nodes serve the group', async () => (await Promise.all(nodes.map((n) => chat(n, 'agree')))).every((r) => r.status === 200))
    await redis.kill()
    await waitFor('both nodes degraded', async () => (await Promise.all(nodes.map(poolHealth))).every((h) => h.pool === 'degraded'))

    // During the outage node 0 alone learns that one key is rate limited for a minute.
    upstream.setBehavior('sk-good-agree-2', '429long')
    for (let i = 0; i < 6; i++) expect((await chat(nodes[0], 'agree')).status).toBe(200)
    expect(upstream.requests.some((r) => r.key === 'sk-good-agree-2' && r.status === 429)).toBe(true)
    const cooling = (text: string) => metric(text, 'keypool_keys{group="agree",state="cooling"}')
    expect(cooling(await metrics(nodes[0]))).toBe(1)
    expect(cooling(await metrics(nodes[1]))).toBe(0)

    await redis.start() // empty: no persistence
    await bothShared()
    // both nodes read the one shared state again, and it is the one the database holds
    await waitFor('both nodes see the key cooling', async () => (await Promise.all(nodes.map(metrics))).every((m) => cooling(m) === 1))
    const rows = await queryDb<{ key_value: string; status: string; cooling_until: string | null }>(
      cluster.db.dsn,
      `SELECT status, cooling_until FROM api_keys WHERE group_id = ${id} AND status = 'cooling'`,
    )
    expect(rows.length).toBe(1)
    expect(Number(rows[0]!.cooling_until)).toBeGreaterThan(Date.now())
    // neither node hands the cooling key out
    const mark = upstream.requests.length
    for (let i = 0; i < 8; i++) expect((await chat(nodes[i % 2]!, 'agree')).status).toBe(200)
    expect(upstream.requests.slice(mark).filter((r) => r.key === 'sk-good-agree-2')).toEqual([])
    // the key list agrees on every node
    for (const n of nodes) {
      const list = await api<{ items: { status: string; cooling_until: number | null }[] }>(n, `/api/keys?group_id=${id}&status=cooling`)
      expect(list.items.length).toBe(1)
      expect(list.items[0]!.cooling_until!).toBeGreaterThan(Date.now())
    }
  })
})

if (!enabled) test.skip('Redis outage (PostgreSQL, Redis or redis-server unavailable)', () => {})
