/**
 * One limit for a cluster: three nodes on PostgreSQL + Redis share one 60 RPM access key. In process with one clock
 * the test moves (the window is checked without waiting a minute), and as three real node processes hammered at
 * once. A key disabled on one node process is refused by the others through the config bus (in-process nodes share
 * one node id, so they reload by hand).
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { ManualClock } from '../pool/helpers'
import { uniqueSchema, dropSchemas } from '../db/pg-env'
import { waitFor } from '../cluster/redis-env'
import { api, AUTH, createGroup, startTestCluster } from '../cluster/support/cluster'
import { PG_URL, REDIS_URL, servicesUp } from '../cluster/support/services'
import { startFakeUpstream } from '../support/fake-upstream'
import { createTestApp, seedGroup, type TestApp } from '../support/test-app'
import { chatWith, createAccessKey } from './support'

setDefaultTimeout(60_000)
afterAll(dropSchemas)

async function fire(bases: string[], key: string, n: number): Promise<number[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => chatWith(bases[i % bases.length]!, key).then(async (r) => (await r.arrayBuffer(), r.status))))
}

describe.skipIf(!servicesUp)('access keys across a cluster', () => {
  test('three in-process nodes, one clock: a 60 RPM key admits 60 of 120 in a window, 60 more a minute later', async () => {
    await using upstream = await startFakeUpstream()
    const clock = new ManualClock(Date.now())
    const schema = uniqueSchema()
    const prefix = `keypool-test:${crypto.randomUUID()}:`
    const nodes: TestApp[] = []
    try {
      for (let i = 0; i < 3; i++)
        nodes.push(await createTestApp({ clock, pgSchema: schema, redisPrefix: prefix, env: { DATABASE_DSN: PG_URL, REDIS_DSN: REDIS_URL } }))
      await seedGroup(nodes[0]!.deps, { name: 'g1', upstreams: [{ url: upstream.url, weight: 1 }] }, ['sk-good-1'])
      for (const n of nodes.slice(1)) {
        await n.deps.groups.invalidate('all', 'remote')
        await n.deps.pool.loadGroup(1, await n.deps.store.groupKeys(1))
      }
      const k = await createAccessKey(nodes[0]!, { name: 'shared', rpm_limit: 60 })
      // nodes of one process share a node id and ignore each other's bus messages: reload as the bus would
      for (const n of nodes.slice(1)) await n.deps.access.registry.changed('remote')
      const bases = nodes.map((n) => `${n.url}/proxy/g1`)
      const first = await fire(bases, k.key, 120)
      expect(first.filter((s) => s === 200).length).toBe(60)
      expect(first.filter((s) => s === 429).length).toBe(60)
      clock.advance(60_000)
      const second = await fire(bases, k.key, 120)
      expect(second.filter((s) => s === 200).length).toBe(60)
    } finally {
      for (const n of nodes) await n.stop()
    }
  })

  test('three node processes hammered at once: a 60 RPM key admits 60 of ~120', async () => {
    await using upstream = await startFakeUpstream()
    await using cluster = await startTestCluster({ nodes: 3 })
    const [a] = cluster.nodes
    await createGroup(a!, { name: 'g1', upstream: upstream.url, keys: ['sk-good-1'] })
    const k = await api<{ id: number; key: string }>(a!, '/api/access-keys', { name: 'hammered', rpm_limit: 60, groups: ['g1'] })
    const bases = cluster.nodes.map((n) => `${n.url}/proxy/g1`)
    // a node that knows the key refuses it outside its scope (403, no counter touched); one that does not, 401
    const scopeStatuses = () => Promise.all(cluster.nodes.map((n) => chatWith(`${n.url}/proxy/elsewhere`, k.key).then((r) => r.status)))
    await waitFor('the key on every node', async () => (await scopeStatuses()).every((s) => s === 403), 15_000)
    await waitFor('the group on every node', async () => {
      const r = await Promise.all(cluster.nodes.map((n) => chatWith(`${n.url}/proxy/g1`, AUTH).then((x) => x.status)))
      return r.every((s) => s === 200)
    }, 15_000)
    const statuses = await fire(bases, k.key, 120)
    const admitted = statuses.filter((s) => s === 200).length
    expect(admitted).toBeGreaterThanOrEqual(60)
    expect(admitted).toBeLessThanOrEqual(62)
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true)
    // disabled through one node: the others refuse it once the bus delivered the change
    await api(cluster.nodes[2]!, `/api/access-keys/${k.id}`, { enabled: false }, 'PUT')
    await waitFor('disabled everywhere', async () => (await scopeStatuses()).every((s) => s === 401), 15_000)
  })
})
