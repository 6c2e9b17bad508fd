/**
 * Redis gone under a node: a limited access key fails closed with a clear 503 (its limits cannot be checked), an
 * unlimited access key and a proxy key fail open (served from the local pool). Redis back: limits apply again.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { dropSchemas, uniqueSchema } from '../db/pg-env'
import { waitFor } from '../cluster/redis-env'
import { ownRedisTestsEnabled, startOwnRedis } from '../cluster/support/redis-server'
import { PG_URL, servicesUp } from '../cluster/support/services'
import { PROXY_KEY } from '../proxy/helpers'
import { startFakeUpstream } from '../support/fake-upstream'
import { createTestApp, seedGroup } from '../support/test-app'
import { chatWith, createAccessKey } from './support'

setDefaultTimeout(60_000)
afterAll(dropSchemas)

describe.skipIf(!ownRedisTestsEnabled(servicesUp, 'the access-key Redis outage test'))('access keys while Redis is down', () => {
  test('limited keys: 503 limits_unavailable; unlimited access keys and proxy keys: served', async () => {
    await using redis = await startOwnRedis()
    await using upstream = await startFakeUpstream()
    await using app = await createTestApp({ pgSchema: uniqueSchema(), env: { DATABASE_DSN: PG_URL, REDIS_DSN: redis.url } })
    const base = `${app.url}/proxy/g1`
    await seedGroup(app.deps, { name: 'g1', upstreams: [{ url: upstream.url, weight: 1 }] }, ['sk-good-1'])
    // under LOCAL_MIN_RPM: every admission asks Redis
    const limited = await createAccessKey(app, { name: 'limited', rpm_limit: 100 })
    // a high limit: admitted from the node's local allowance while its view of Redis is fresh
    const high = await createAccessKey(app, { name: 'high', rpm_limit: 100_000 })
    const free = await createAccessKey(app, { name: 'free' })
    expect((await chatWith(base, limited.key)).status).toBe(200)
    expect((await chatWith(base, high.key)).status).toBe(200)

    await redis.kill()
    const res = await chatWith(base, limited.key)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect([res.status, res.headers.get('retry-after'), body.error.code]).toEqual([503, '5', 'limits_unavailable'])
    expect(body.error.message).toContain('access key limits cannot be checked')
    expect((await chatWith(base, free.key)).status).toBe(200)
    expect((await chatWith(base, PROXY_KEY)).status).toBe(200)
    // the local allowance stops once the connection is known down or the view is LOCAL_FRESH_MS old
    await waitFor('the high-RPM key fails closed too', async () => (await chatWith(base, high.key)).status === 503, 2000)

    await redis.start()
    await waitFor('limits checked again', async () => (await chatWith(base, limited.key)).status === 200, 15_000)
    expect((await chatWith(base, high.key)).status).toBe(200)
  })
})
