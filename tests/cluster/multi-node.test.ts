/**
 * Two real keypool processes sharing PostgreSQL and Redis, as behind a load balancer: what one node learns or is
 * told (a dead key, a new group, settings, keys) holds on the other at once; one round-robin over both; each node
 * writes its own request logs.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import type { SpawnedNode } from '../support/spawn-node'
import { waitFor } from './redis-env'
import { AUTH, api, chat, createGroup, startTestCluster, type TestCluster } from './support/cluster'
import { queryDb, servicesUp } from './support/services'

// bun 1.4.4 does not read bunfig's test timeout; spawning nodes (and Redis's first-connect window) needs more than 5 s
setDefaultTimeout(30_000)

describe.skipIf(!servicesUp)('two nodes, one PostgreSQL, one Redis', () => {
  let upstream: FakeUpstream
  let cluster: TestCluster
  let a: SpawnedNode
  let b: SpawnedNode

  beforeAll(async () => {
    upstream = await startFakeUpstream()
    cluster = await startTestCluster({ nodes: 2 })
    ;[a, b] = cluster.nodes as [SpawnedNode, SpawnedNode]
  })
  afterAll(async () => {
    await cluster?.close()
    await upstream?.stop()
  })

  /** Waits until `node` serves `group` (the bus delivered it), within the second the contract allows. */
  const servedBy = (node: SpawnedNode, group: string, proxyKey?: string) =>
    waitFor(`${node.url} serves ${group}`, async () => (await chat(node, group, { proxyKey })).status === 200, 1000)

  const keysSince = (mark: number) => upstream.requests.slice(mark).map((r) => r.key)

  test('a key blacklisted through node A is skipped by node B at once', async () => {
    await createGroup(a, { name: 'bl', upstream: upstream.url, keys: ['sk-bad-bl', 'sk-good-bl-1', 'sk-good-bl-2'], config: { blacklist_threshold: 1 } })
    await servedBy(b, 'bl')
    // Through A until its upstream answered 401 to the bad key once: with threshold 1 that makes it invalid.
    for (let i = 0; i < 6 && !upstream.requests.some((r) => r.key === 'sk-bad-bl'); i++) {
      expect((await chat(a, 'bl')).status).toBe(200) // retried on a good key
    }
    expect(upstream.requests.some((r) => r.key === 'sk-bad-bl' && r.status === 401)).toBe(true)
    // A reports the outcome right after answering; once it is in Redis, B's pool view (/metrics) shows it.
    await waitFor('B sees the key invalid', async () => (await (await fetch(`${b.url}/metrics`)).text()).includes('keypool_keys{group="bl",state="invalid"} 1'))
    const mark = upstream.requests.length
    for (let i = 0; i < 12; i++) expect((await chat(b, 'bl')).status).toBe(200)
    expect(keysSince(mark).filter((k) => k === 'sk-bad-bl')).toEqual([])
    expect(keysSince(mark).length).toBe(12) // no retries either: B never tried the dead key
  })

  test('a group, its settings and its keys changed through A apply on B', async () => {
    const second = await startFakeUpstream()
    try {
      const id = await createGroup(a, { name: 'sync', upstream: upstream.url, keys: ['sk-good-sync-1'] })
      await servedBy(b, 'sync')

      // a global setting: a new proxy key accepted by B
      expect((await chat(b, 'sync', { proxyKey: 'sk-proxy-added' })).status).toBe(401)
      await api(a, '/api/settings', { proxy_keys: `${AUTH},sk-proxy-added` }, 'PUT')
      await servedBy(b, 'sync', 'sk-proxy-added')

      // a group change: its upstream moves
      await api(a, `/api/groups/${id}`, { upstreams: [{ url: second.url, weight: 1 }] }, 'PUT')
      await waitFor('B proxies to the new upstream', async () => {
        await chat(b, 'sync')
        return second.requests.length > 0
      }, 1000)

      // keys added on A: B uses them
      await api(a, '/api/keys/add-multiple', { group_id: id, keys_text: 'sk-good-sync-2' })
      await waitFor('B uses the key added on A', async () => {
        await chat(b, 'sync')
        return second.requests.some((r) => r.key === 'sk-good-sync-2')
      }, 1000)
    } finally {
      await second.stop()
    }
  })

  test('read-your-writes: keys added through A are served by B at once', async () => {
    // Several empty groups B already knows, so each round is a fresh race between B's next pick and the bus
    // message telling B about the new key.
    const ids: number[] = []
    for (let i = 0; i < 5; i++) ids.push(await createGroup(a, { name: `ryw${i}`, upstream: upstream.url, keys: [] }))
    for (let i = 0; i < 5; i++) {
      await waitFor(`B knows ryw${i}`, async () => (await chat(b, `ryw${i}`)).status === 503, 1000)
    }
    for (let i = 0; i < 5; i++) {
      await api(a, '/api/keys/add-multiple', { group_id: ids[i], keys_text: `sk-good-ryw-${i}` })
      const res = await chat(b, `ryw${i}`)
      expect({ group: `ryw${i}`, status: res.status }).toEqual({ group: `ryw${i}`, status: 200 })
    }
  })

  test('read-your-writes: a group created through A is known to B at once', async () => {
    for (let i = 0; i < 5; i++) {
      await api(a, '/api/groups', { name: `rywg${i}`, channel_type: 'openai', upstreams: [{ url: upstream.url, weight: 1 }] })
      // B knows the group (no keys yet: 503 no_available_keys), it does not answer 404 group_not_found
      const res = await chat(b, `rywg${i}`)
      const code = ((await res.json()) as { error: { code: string } }).error.code
      expect({ group: `rywg${i}`, status: res.status, code }).toEqual({ group: `rywg${i}`, status: 503, code: 'no_available_keys' })
    }
  })

  test('round-robin is one rotation over both nodes', async () => {
    const keys = ['sk-good-rr-1', 'sk-good-rr-2', 'sk-good-rr-3', 'sk-good-rr-4']
    await createGroup(a, { name: 'rr', upstream: upstream.url, keys })
    await servedBy(b, 'rr')
    const mark = upstream.requests.length
    for (let i = 0; i < 40; i++) expect((await chat(i % 2 === 0 ? a : b, 'rr')).status).toBe(200)
    const used = keysSince(mark)
    const counts = Object.fromEntries(keys.map((k) => [k, used.filter((u) => u === k).length]))
    expect(counts).toEqual(Object.fromEntries(keys.map((k) => [k, 10])))
    // one shared cursor: any 4 consecutive requests, whichever node served them, used 4 different keys
    for (let i = 0; i + 4 <= used.length; i++) expect(new Set(used.slice(i, i + 4)).size).toBe(4)
  })

  test('each node writes its own request logs to PostgreSQL', async () => {
    await createGroup(a, { name: 'logs', upstream: upstream.url, keys: ['sk-good-logs'] })
    await servedBy(b, 'logs')
    // 0 = write at once; set on A, it reaches B through the bus
    await api(a, '/api/settings', { request_log_write_interval_minutes: 0 }, 'PUT')
    for (let i = 0; i < 3; i++) {
      expect((await chat(a, 'logs', { userAgent: 'logs-via-a' })).status).toBe(200)
      expect((await chat(b, 'logs', { userAgent: 'logs-via-b' })).status).toBe(200)
    }
    const rows = () =>
      queryDb<{ user_agent: string; n: number }>(
        cluster.db.dsn,
        "SELECT user_agent, count(*)::int AS n FROM request_logs WHERE user_agent LIKE 'logs-via-%' GROUP BY user_agent ORDER BY user_agent",
      )
    await waitFor('log rows of both nodes', async () => (await rows()).reduce((n, r) => n + r.n, 0) >= 6, 5000)
    expect(await rows()).toEqual([{ user_agent: 'logs-via-a', n: 3 }, { user_agent: 'logs-via-b', n: 3 }])
  })

  test('the dashboard RPM counts the requests of every node', async () => {
    await createGroup(a, { name: 'rpm', upstream: upstream.url, keys: ['sk-good-rpm'] })
    await servedBy(b, 'rpm')
    const rpmOn = async (n: { url: string }) => (await api<{ rpm: { value: number } }>(n, '/api/dashboard/stats')).rpm.value
    const before = (await rpmOn(a)) + 0
    for (let i = 0; i < 5; i++) expect((await chat(a, 'rpm')).status).toBe(200)
    for (let i = 0; i < 7; i++) expect((await chat(b, 'rpm')).status).toBe(200)
    // each node publishes its count every second; A sees its own at once and B's after that
    await waitFor('A counts both nodes', async () => (await rpmOn(a)) >= before + 12, 5000)
    await waitFor('B counts both nodes', async () => (await rpmOn(b)) >= before + 12, 5000)
  })

  test('an admin session logged out on A is refused by B', async () => {
    const login = await fetch(`${a.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth_key: AUTH }),
    })
    expect(login.status).toBe(200)
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const check = (n: { url: string }) => fetch(`${n.url}/api/auth/check`, { headers: { cookie } }).then((r) => r.status)
    expect([await check(a), await check(b)]).toEqual([200, 200]) // one cookie, every node
    expect((await fetch(`${a.url}/api/auth/logout`, { method: 'POST', headers: { cookie } })).status).toBe(200)
    expect([await check(a), await check(b)]).toEqual([401, 401])
  })

  test('a model price list put on A prices on B at once (the config bus reloads it)', async () => {
    const priceOn = async (node: SpawnedNode, model: string) =>
      (await api<{ price: { input_per_mtok: number } | null }>(node, `/api/model-prices/match?model=${model}`)).price?.input_per_mtok ?? null
    expect(await priceOn(b, 'gpt-4o-mini')).toBe(0.15)
    await api(a, '/api/model-prices', { prices: [{ model: 'gpt-4o-mini*', input_per_mtok: 0.5, output_per_mtok: 1 }] }, 'PUT')
    await waitFor('B prices with the new list', async () => (await priceOn(b, 'gpt-4o-mini')) === 0.5, 1000)
    expect(await priceOn(b, 'gpt-4o')).toBeNull()
    await api(a, '/api/model-prices/reset', {})
    await waitFor('B prices with the shipped list again', async () => (await priceOn(b, 'gpt-4o')) === 2.5, 1000)
  })
})

if (!servicesUp) test.skip('multi-node cluster (PostgreSQL or Redis unreachable)', () => {})
