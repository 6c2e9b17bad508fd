/**
 * Two nodes on one PostgreSQL and one Redis (in this process, so they share a clock the test moves): events raised
 * on either node leave the cluster once, from the leader. The other node queues its events in Redis; the leader
 * batches the keys both nodes saw die, reads both nodes' log rows for the error rate, and a new leader announces
 * itself.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream'
import { TEST_AUTH_KEY, waitFor, type TestApp } from '../support/test-app'
import { REDIS_URL, uniquePrefix } from '../cluster/redis-env'
import { createTestDatabase, servicesUp, type TestDatabase } from '../cluster/support/services'
import { alertApp, ManualClock, setAlertSettings, startReceiver, type Receiver } from './support'

setDefaultTimeout(30_000)

describe.skipIf(!servicesUp)('alerts on two nodes', () => {
  let db: TestDatabase
  let upstream: FakeUpstream
  let receiver: Receiver
  let a: TestApp
  let b: TestApp
  const clock = new ManualClock()
  const prefix = uniquePrefix()

  const node = (nodeId: string) =>
    alertApp({ clock, nodeId, redisPrefix: prefix, leaseTtlMs: 1000, env: { DATABASE_DSN: db.dsn, REDIS_DSN: REDIS_URL } })
  const chat = (app: TestApp, group: string) =>
    fetch(`${app.url}/proxy/${group}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_AUTH_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    })
  const events = (name: string) => receiver.received.filter((r) => r.body.event === name).map((r) => r.body)
  const group = async (name: string, keys: string[], config: Record<string, unknown> = {}) => {
    const res = await a.api('/api/groups', {
      method: 'POST',
      body: JSON.stringify({ name, channel_type: 'openai', upstreams: [{ url: upstream.url, weight: 1 }], config }),
    })
    const id = ((await res.json()) as any).data.id as number
    if (keys.length) await a.api('/api/keys/add-multiple', { method: 'POST', body: JSON.stringify({ group_id: id, keys_text: keys.join('\n') }) })
    await waitFor(async () => (await b.deps.store.groupKeys(id)).length === keys.length && b.deps.groups.byName(name) !== undefined, 5000, `B knows ${name}`)
  }

  beforeAll(async () => {
    db = await createTestDatabase()
    upstream = await startFakeUpstream()
    receiver = startReceiver()
    a = await node('node-a')
    await waitFor(() => a.deps.cluster!.isLeader(), 5000, 'A leads')
    b = await node('node-b')
    await setAlertSettings(a, {
      alert_webhooks: [{ url: receiver.url, format: 'json', events: [] }],
      alert_min_requests: 6,
      alert_error_rate_percent: 50,
      request_log_write_interval_minutes: 0,
    })
    await waitFor(() => b.deps.settings.get().alert_min_requests === 6, 5000, 'B has the settings')
  })
  afterAll(async () => {
    await b?.stop()
    await a?.stop()
    await receiver?.stop()
    await upstream?.stop()
    await db?.drop()
  })

  test('group_exhausted seen on both nodes is sent once, by the leader, naming the node that saw it first', async () => {
    await group('empty', [])
    expect((await chat(b, 'empty')).status).toBe(503)
    await receiver.waitForCount(1)
    expect((await chat(a, 'empty')).status).toBe(503)
    await a.deps.alerts.idle()
    expect(events('group_exhausted')).toEqual([expect.objectContaining({ subject: 'group:empty', node: b.deps.cluster!.nodeId })])
    expect(b.deps.cluster!.isLeader()).toBe(false)
  })

  test('keys that died on either node arrive in one key_invalidated message', async () => {
    await group('dying', ['sk-bad-d-000000000001', 'sk-bad-d-000000000002', 'sk-bad-d-000000000003', 'sk-bad-d-000000000004'], {
      blacklist_threshold: 1,
      max_retries: 0,
    })
    for (const app of [a, b, a, b]) expect((await chat(app, 'dying')).status).toBe(401)
    await waitFor(() => a.deps.alerts.pendingKeys() === 4, 5000, 'the leader holds the four keys')
    expect(b.deps.alerts.pendingKeys()).toBe(0)
    clock.advance(60_000)
    await waitFor(() => events('key_invalidated').length === 1, 5000, 'the batch')
    await a.deps.alerts.idle()
    const [batch] = events('key_invalidated')
    expect(batch.details.count).toBe(4)
    expect(batch.details.keys.map((k: any) => k.key_masked).toSorted()).toEqual(['sk-ba…0001', 'sk-ba…0002', 'sk-ba…0003', 'sk-ba…0004'])
    expect(JSON.stringify(receiver.received)).not.toContain('sk-bad-d-0000')
  })

  test("error_rate counts both nodes' requests and is sent once", async () => {
    await group('flaky', ['sk-500-f-1', 'sk-500-f-2'], { max_retries: 0 })
    // 3 failures on each node: under alert_min_requests alone, over it together
    for (const app of [a, b, a, b, a, b]) expect((await chat(app, 'flaky')).status).toBe(500)
    await waitFor(async () => (await a.deps.store.requestCountsSince(0)).some((c) => c.group_name === 'flaky' && c.total === 6), 5000, 'both nodes logged')
    clock.advance(60_000)
    await waitFor(() => events('error_rate').length === 1, 5000, 'error_rate')
    clock.advance(60_000)
    await a.deps.alerts.tick()
    await b.deps.alerts.tick()
    await a.deps.alerts.idle()
    expect(events('error_rate')).toEqual([expect.objectContaining({ subject: 'group:flaky', details: expect.objectContaining({ total: 6, failures: 6 }) })])
  })

  test('when the leader stops, the new leader announces itself once', async () => {
    await a.stop()
    await waitFor(() => b.deps.cluster!.isLeader(), 5000, 'B leads')
    await waitFor(() => events('leader_changed').length === 1, 5000, 'leader_changed')
    await b.deps.alerts.idle()
    expect(events('leader_changed')).toEqual([expect.objectContaining({ subject: `node:${b.deps.cluster!.nodeId}`, node: b.deps.cluster!.nodeId })])
    // each event exactly once in all
    expect(receiver.received.map((r) => `${r.body.event} ${r.body.subject}`).toSorted()).toEqual([
      'error_rate group:flaky',
      'group_exhausted group:dying',
      'group_exhausted group:empty',
      `key_invalidated keys:dying`,
      `leader_changed node:${b.deps.cluster!.nodeId}`,
    ])
  })
})
