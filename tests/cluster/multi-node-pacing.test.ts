/**
 * Two real keypool processes pacing one group's keys through Redis: the nodes share each key's window, so a provider
 * that allows 3 requests a minute per key never answers 429 however the load is spread over the nodes, and the
 * keys' capacity (4 keys x 3) is served once, not once per node. The nodes run on the real clock; the whole run
 * takes a few seconds of the minute.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import type { SpawnedNode } from '../support/spawn-node'
import { waitFor } from './redis-env'
import { chat, createGroup, startTestCluster, type TestCluster } from './support/cluster'
import { servicesUp } from './support/services'

setDefaultTimeout(30_000)

describe.skipIf(!servicesUp)('two nodes share the pace of a group through Redis', () => {
  let upstream: FakeUpstream
  let cluster: TestCluster
  let a: SpawnedNode
  let b: SpawnedNode

  beforeAll(async () => {
    upstream = await startFakeUpstream({ keyRpm: 3 })
    cluster = await startTestCluster({ nodes: 2 })
    ;[a, b] = cluster.nodes as [SpawnedNode, SpawnedNode]
  })
  afterAll(async () => {
    await cluster?.close()
    await upstream?.stop()
  })

  test('4 keys at 3 RPM behind two nodes: 12 served in the minute, no upstream 429, no key over its pace', async () => {
    const keys = ['sk-pace-c1', 'sk-pace-c2', 'sk-pace-c3', 'sk-pace-c4']
    await createGroup(a, { name: 'pace', upstream: upstream.url, keys, config: { key_rpm_limit: 3 } })
    await waitFor('B serves the group', async () => {
      const res = await chat(b, 'pace')
      await res.arrayBuffer()
      return res.status === 200
    })
    const statuses: number[] = [200]
    for (let i = 0; i < 29; i++) {
      const res = await chat(i % 2 === 0 ? a : b, 'pace')
      statuses.push(res.status)
      if (res.status === 503) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
      await res.arrayBuffer()
    }
    expect(upstream.requests.filter((r) => r.status === 429)).toEqual([])
    const byKey = new Map<string, number[]>()
    for (const r of upstream.requests) byKey.set(r.key!, [...(byKey.get(r.key!) ?? []), r.at])
    for (const [, ts] of byKey) for (let i = 3; i < ts.length; i++) expect(ts[i]! - ts[i - 3]!).toBeGreaterThanOrEqual(60_000)
    // every key served its pace once between both nodes; the rest was refused, not sent
    expect(upstream.requests).toHaveLength(12)
    expect(statuses.filter((s) => s === 200)).toHaveLength(12)
    expect(statuses.filter((s) => s === 503)).toHaveLength(18)
  })
})
