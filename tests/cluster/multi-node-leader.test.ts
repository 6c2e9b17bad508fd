/**
 * Leader election across real processes: with LEADER_LEASE_SECONDS=1 exactly one node leads (GET /health
 * `leader`, `node_id`), a SIGKILLed leader is replaced within the lease (plus one renewal period), and an
 * IS_SLAVE node never leads, even when it is the last node left. The tests run in order on one cluster.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { connectRedis, type RedisClient } from '../../server/cluster/redis-client'
import type { SpawnedNode } from '../support/spawn-node'
import { recordingLog, REDIS_URL, waitFor } from './redis-env'
import { health, startTestCluster, type TestCluster } from './support/cluster'
import { servicesUp } from './support/services'

// bun 1.4.4 does not read bunfig's test timeout; spawning nodes (and Redis's first-connect window) needs more than 5 s
setDefaultTimeout(30_000)

const LEASE_MS = 1000
/** renewals run every lease/3: a free lease is taken at most one period after it expires */
const TAKEOVER_MS = LEASE_MS + LEASE_MS / 3

async function leaders(nodes: SpawnedNode[]): Promise<string[]> {
  const all = await Promise.all(nodes.map((n) => health(n)))
  return all.filter((h) => h.leader).map((h) => h.node_id)
}

describe.skipIf(!servicesUp)('leader election', () => {
  let cluster: TestCluster
  let slave: SpawnedNode
  let redis: RedisClient
  /** nodes not killed yet */
  let live: SpawnedNode[] = []
  const leaseHolder = () => redis.get(`${cluster.prefix}leader`)

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL, { log: recordingLog() })
    cluster = await startTestCluster({ nodes: 2, env: { LEADER_LEASE_SECONDS: '1' } })
    slave = await cluster.spawn({ IS_SLAVE: 'true' })
    live = [...cluster.nodes]
  })
  afterAll(async () => {
    await cluster?.close()
    redis?.destroy()
  })

  test('exactly one node leads, and it holds the lease in Redis', async () => {
    await waitFor('exactly one leader', async () => (await leaders(live)).length === 1)
    const [leader] = await leaders(live)
    expect(await leaseHolder()).toBe(leader!)
    const ids = await Promise.all(live.map(async (n) => (await health(n)).node_id))
    expect(new Set(ids).size).toBe(3)
    expect(leader).not.toBe((await health(slave)).node_id)
  })

  test('a SIGKILLed leader is replaced by the other full node within the lease', async () => {
    const [first] = await leaders(live)
    const killed = live[(await Promise.all(live.map(health))).findIndex((h) => h.node_id === first)]!
    expect(await killed.stop('SIGKILL')).not.toBe(0)
    live = live.filter((n) => n !== killed)
    await waitFor('another node takes over', async () => (await leaders(live)).length === 1, TAKEOVER_MS + 500)
    const [second] = await leaders(live)
    expect(second).not.toBe(first)
    expect(second).not.toBe((await health(slave)).node_id)
    expect(await leaseHolder()).toBe(second!)
  })

  test('an IS_SLAVE node left alone never takes the lease', async () => {
    const other = live.find((n) => n !== slave)!
    await other.stop('SIGKILL')
    live = [slave]
    await waitFor('the lease expires', async () => (await leaseHolder()) === null, TAKEOVER_MS + 500)
    // Several renewal periods: a node that would take the lease has had every chance to.
    const until = Date.now() + TAKEOVER_MS
    while (Date.now() < until) {
      expect((await health(slave)).leader).toBe(false)
      expect(await leaseHolder()).toBeNull()
      await Bun.sleep(50)
    }
  })
})

if (!servicesUp) test.skip('leader election (PostgreSQL or Redis unreachable)', () => {})
