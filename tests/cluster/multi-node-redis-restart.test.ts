/**
 * Redis frozen, and Redis killed and restarted (empty, no persistence) under a steady request loop through a real
 * node: while it is down the node serves from its local pool (none hangs, the process does not crash); once it is
 * back the node rejoins the shared pool by itself and keeps serving. Only requests in flight at the moment of the
 * kill may end otherwise. Two nodes: multi-node-redis-outage.test.ts.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { waitFor } from './redis-env'
import { chat, createGroup, health, startTestCluster, type TestCluster } from './support/cluster'
import { ownRedisTestsEnabled, startOwnRedis, type OwnRedis } from './support/redis-server'
import { servicesUp } from './support/services'

// bun 1.4.4 does not read bunfig's test timeout; spawning nodes (and Redis's first-connect window) needs more than 5 s
setDefaultTimeout(30_000)

const LOOPS = 4

interface Outcome {
  start: number
  end: number
  status: number | 'error'
  /** keypool's error code (`error.code` of the OpenAI-shaped body), or the fetch error */
  detail: string
}

const enabled = ownRedisTestsEnabled(servicesUp, 'the Redis restart and freeze tests')

describe.skipIf(!enabled)('Redis restarted or frozen under a running node', () => {
  let redis: OwnRedis
  let upstream: FakeUpstream
  let cluster: TestCluster

  beforeAll(async () => {
    redis = await startOwnRedis()
    upstream = await startFakeUpstream()
    cluster = await startTestCluster({ nodes: 1, redisUrl: redis.url })
  })
  afterAll(async () => {
    redis?.thaw()
    await cluster?.close()
    await redis?.kill()
    await upstream?.stop()
  })

  test('served from the local pool while Redis is down, then back on the shared pool by itself', async () => {
    const node = cluster.nodes[0]!
    await createGroup(node, { name: 'rs', upstream: upstream.url, keys: ['sk-good-rs-1', 'sk-good-rs-2', 'sk-good-rs-3'] })
    await waitFor('the group is served', async () => (await chat(node, 'rs')).status === 200)

    const outcomes: Outcome[] = []
    let running = true
    const loop = async () => {
      while (running) {
        const start = Date.now()
        try {
          // a hang shows up as an abort; the outage itself is far shorter than this
          const res = await chat(node, 'rs', { signal: AbortSignal.timeout(15_000) })
          const body = await res.text()
          const detail = res.status === 200 ? '' : ((JSON.parse(body) as { error?: { code?: string } }).error?.code ?? body)
          outcomes.push({ start, end: Date.now(), status: res.status, detail })
        } catch (err) {
          outcomes.push({ start, end: Date.now(), status: 'error', detail: String(err) })
        }
      }
    }
    const loops = Array.from({ length: LOOPS }, loop)
    const after = (t: number) => outcomes.filter((o) => o.start >= t)

    await waitFor('steady traffic', () => outcomes.length >= 40)
    const killedAt = Date.now()
    await redis.kill()
    await waitFor('the pool reports degraded', async () => (await health(node)).pool === 'degraded')
    const degradedAt = Date.now()
    await waitFor('traffic while Redis is down', () => after(degradedAt).length >= 100, 10_000)
    await redis.start()
    await waitFor('back on the shared pool', async () => (await health(node)).pool === 'shared', 10_000)
    const rejoinedAt = Date.now()
    await waitFor('traffic after the rejoin', () => after(rejoinedAt).length >= 100, 10_000)
    running = false
    await Promise.all(loops)

    const inFlightAtKill = (o: Outcome) => o.start < killedAt && o.end >= killedAt
    expect(outcomes.filter((o) => o.status !== 200 && !inFlightAtKill(o))).toEqual([])
    expect(cluster.nodes[0]!.proc.exitCode).toBeNull()
    expect(await health(node)).toMatchObject({ status: 'healthy', pool: 'shared', redis: { configured: true, reachable: true } })
  })

  // A Redis that stops answering without closing its connections (SIGSTOP: a hung host, a dead network path):
  // the pick gives up after the pool's Redis timeout and the request is served locally instead of hanging.
  test('a frozen Redis: served locally instead of a hang, shared again after it thaws', async () => {
    const node = cluster.nodes[0]!
    await createGroup(node, { name: 'fz', upstream: upstream.url, keys: ['sk-good-fz-1', 'sk-good-fz-2'] })
    await waitFor('the group is served', async () => (await chat(node, 'fz')).status === 200)
    redis.freeze()
    try {
      const res = await chat(node, 'fz', { signal: AbortSignal.timeout(10_000) })
      expect(res.status).toBe(200)
      expect((await health(node)).pool).toBe('degraded')
    } finally {
      redis.thaw()
    }
    await waitFor('back on the shared pool', async () => (await health(node)).pool === 'shared', 10_000)
    expect((await chat(node, 'fz')).status).toBe(200)
  })
})

if (!enabled) test.skip('Redis restart (PostgreSQL, Redis or redis-server unavailable)', () => {})
