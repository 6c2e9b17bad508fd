/**
 * A Redis that stops answering without closing its connections (SIGSTOP: a hung host, a dead network path):
 * requests must not hang on the key pool. They get keypool's 503 within the pool's Redis timeout, and the node
 * serves again once Redis answers.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { waitFor } from './redis-env'
import { chat, createGroup, startTestCluster, type TestCluster } from './support/cluster'
import { ownRedisTestsEnabled, startOwnRedis, type OwnRedis } from './support/redis-server'
import { servicesUp } from './support/services'

setDefaultTimeout(30_000)

const enabled = ownRedisTestsEnabled(servicesUp, 'the frozen Redis test')

describe.skipIf(!enabled)('Redis frozen', () => {
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

  test('requests get a 503 instead of hanging, and succeed again after Redis thaws', async () => {
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
