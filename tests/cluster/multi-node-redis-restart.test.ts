/**
 * Redis frozen, and Redis killed and restarted (empty, no persistence) under a steady request loop through a real node: while it
 * is down every request gets keypool's own 503 at once (none hangs, the process does not crash); once it is back
 * the node reloads the pool by itself and serves every request again. Only requests in flight at the moment of
 * the kill may end otherwise.
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

  test('503s while Redis is down, then the node recovers by itself and keeps serving', async () => {
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
    // Down long enough for the clients to go through several reconnect attempts.
    await waitFor('503s for a second while Redis is down', () => after(killedAt + 1000).some((o) => o.status === 503))
    const restartedAt = Date.now()
    await redis.start()
    await waitFor('serving again', () => after(restartedAt).some((o) => o.status === 200), 10_000)
    // by the time the first success after the restart ended, the node was serving again
    const recoveredAt = after(restartedAt).find((o) => o.status === 200)!.end + 1
    await waitFor('traffic after recovery', () => after(recoveredAt).length >= 100, 10_000)
    running = false
    await Promise.all(loops)

    const inFlightAtKill = (o: Outcome) => o.start < killedAt && o.end >= killedAt
    const before = outcomes.filter((o) => o.end < killedAt)
    const outage = outcomes.filter((o) => o.start >= killedAt && o.start < recoveredAt)
    expect(before.length).toBeGreaterThan(0)
    expect(before.filter((o) => o.status !== 200)).toEqual([])
    // During the outage: keypool's own clear answer (or success, for the last ones as Redis came back), never an
    // error or a hang. Not "no keys" either: once Redis answers, the pool reloads the state Redis lost first.
    expect(outage.filter((o) => !(o.status === 200 || (o.status === 503 && o.detail === 'gateway_unavailable')))).toEqual([])
    expect(outage.filter((o) => o.status === 503).length).toBeGreaterThan(0)
    expect(outcomes.filter((o) => o.status === 'error' && !inFlightAtKill(o))).toEqual([])
    expect(after(recoveredAt).filter((o) => o.status !== 200)).toEqual([])

    expect(cluster.nodes[0]!.proc.exitCode).toBeNull()
    expect(await health(node)).toMatchObject({ status: 'healthy', redis: { configured: true, reachable: true } })
  })

  // A Redis that stops answering without closing its connections (SIGSTOP: a hung host, a dead network path):
  // requests get keypool's 503 within the pool's Redis timeout instead of hanging, and are served once it answers.
  test('a frozen Redis: 503 instead of a hang, served again after it thaws', async () => {
    const node = cluster.nodes[0]!
    await createGroup(node, { name: 'fz', upstream: upstream.url, keys: ['sk-good-fz-1', 'sk-good-fz-2'] })
    await waitFor('the group is served', async () => (await chat(node, 'fz')).status === 200)
    redis.freeze()
    try {
      const res = await chat(node, 'fz', { signal: AbortSignal.timeout(10_000) })
      expect(res.status).toBe(503)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('gateway_unavailable')
    } finally {
      redis.thaw()
    }
    await waitFor('the node serves again', async () => (await chat(node, 'fz')).status === 200)
  })
})

if (!enabled) test.skip('Redis restart (PostgreSQL, Redis or redis-server unavailable)', () => {})
