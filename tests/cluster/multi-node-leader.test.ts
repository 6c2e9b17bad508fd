/**
 * Leader election across real processes: with LEADER_LEASE_SECONDS=1 exactly one node leads (GET /health
 * `leader`), a SIGKILLed leader is replaced within the lease (plus one renewal period), and an IS_SLAVE node
 * never leads, even when it is the last node left.
 */
import { describe, expect, test } from 'bun:test'
import { connectRedis } from '../../server/cluster/redis-client'
import type { SpawnedNode } from '../support/spawn-node'
import { recordingLog, REDIS_URL, waitFor } from './redis-env'
import { health, startTestCluster } from './support/cluster'
import { servicesUp } from './support/services'

const LEASE_MS = 1000
/** renewals run every lease/3: a free lease is taken at most one period after it expires */
const TAKEOVER_MS = LEASE_MS + LEASE_MS / 3

async function leaders(nodes: SpawnedNode[]): Promise<string[]> {
  const all = await Promise.all(nodes.map((n) => health(n).catch((e) => { console.log('DEAD', n.url, n.proc.pid, n.proc.exitCode, n.output()); throw e })))
  return all.filter((h) => h.leader).map((h) => h.node_id)
}

describe.skipIf(!servicesUp)('leader election', () => {
  test('one leader; a killed leader is replaced within the lease; an IS_SLAVE node never leads', async () => {
    await using cluster = await startTestCluster({ nodes: 2, env: { LEADER_LEASE_SECONDS: '1' } })
    const slave = await cluster.spawn({ IS_SLAVE: 'true' })
    const redis = await connectRedis(REDIS_URL, { log: recordingLog() })
    try {
      const leaseHolder = () => redis.get(`${cluster.prefix}leader`)
      let live = [...cluster.nodes]
      await waitFor('exactly one leader', async () => (await leaders(live)).length === 1)
      const [first] = await leaders(live)
      expect(await leaseHolder()).toBe(first!)
      const ids = await Promise.all(live.map(async (n) => (await health(n)).node_id))
      expect(new Set(ids).size).toBe(3)
      expect(ids.indexOf(first!)).not.toBe(cluster.nodes.indexOf(slave))

      const killed = live[ids.indexOf(first!)]!
      console.log('KILL', killed.url, killed.proc.pid, cluster.nodes.map(n=>n.url+' '+n.proc.pid))
      expect(await killed.stop('SIGKILL')).not.toBe(0)
      live = live.filter((n) => n !== killed)
      await waitFor('another node takes over', async () => (await leaders(live)).length === 1, TAKEOVER_MS + 500)
      const [second] = await leaders(live)
      expect(second).not.toBe(first)
      expect(second).not.toBe((await health(slave)).node_id)
      expect(await leaseHolder()).toBe(second!)

      // Only the slave is left: the lease runs out and stays free.
      const other = live.find((n) => n !== slave)!
      await other.stop('SIGKILL')
      await waitFor('the lease expires', async () => (await leaseHolder()) === null, TAKEOVER_MS + 500)
      // Several renewal periods: a node that would take the lease has had every chance to.
      const until = Date.now() + TAKEOVER_MS
      while (Date.now() < until) {
        expect((await health(slave)).leader).toBe(false)
        expect(await leaseHolder()).toBeNull()
        await Bun.sleep(50)
      }
    } catch (e) {
      console.log('SLAVE OUTPUT', slave.proc.exitCode, slave.output())
      throw e
    } finally {
      redis.destroy()
    }
  })
})

if (!servicesUp) test.skip('leader election (PostgreSQL or Redis unreachable)', () => {})
