/**
 * Two real keypool processes on one PostgreSQL and one Redis: an answer cached through node A is a hit on node B
 * (the cache lives in Redis, not in either process).
 */
import { expect, setDefaultTimeout, test } from 'bun:test'
import { startFakeUpstream } from '../support/fake-upstream'
import { chat, createGroup, startTestCluster } from '../cluster/support/cluster'
import { servicesUp } from '../cluster/support/services'

// spawning nodes needs more than bun's default 5 s
setDefaultTimeout(60_000)

test.skipIf(!servicesUp)('a miss on node A is a hit on node B', async () => {
  await using upstream = await startFakeUpstream()
  await using cluster = await startTestCluster({ nodes: 2 })
  const [a, b] = cluster.nodes
  await createGroup(a!, { name: 'shared-cache', upstream: upstream.url, keys: ['sk-ok-cluster-cache-1'], config: { cache_ttl_seconds: 300 } })
  const first = await chat(a!, 'shared-cache')
  expect([first.status, first.headers.get('x-keypool-cache')]).toEqual([200, 'miss'])
  const body = await first.text()
  const onB = await chat(b!, 'shared-cache')
  expect([onB.status, onB.headers.get('x-keypool-cache')]).toEqual([200, 'hit'])
  expect(await onB.text()).toBe(body)
  expect(upstream.requests.length).toBe(1)
})
