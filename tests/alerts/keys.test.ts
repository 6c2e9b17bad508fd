/**
 * Keys that die through real proxy requests: their invalidation is batched into one message a minute listing the
 * keys masked with their groups, and a group left with no usable key raises group_exhausted (the pool notices
 * before a client meets the 503).
 */
import { expect, test } from 'bun:test'
import { newGroup } from '../../db/new-group'
import { startFakeUpstream } from '../support/fake-upstream'
import { seedGroup, TEST_AUTH_KEY, waitFor } from '../support/test-app'
import { alertApp, ManualClock, setAlertSettings, startReceiver } from './support'

const KEYS = ['sk-bad-alpha-0000000001', 'sk-bad-alpha-0000000002']
const OTHER = 'sk-bad-beta-00000000003'

const chat = (url: string, group: string) =>
  fetch(`${url}/proxy/${group}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_AUTH_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  })

test('keys invalidated within a minute arrive as one message; the group then raises group_exhausted', async () => {
  await using upstream = await startFakeUpstream()
  await using receiver = startReceiver()
  const clock = new ManualClock()
  await using app = await alertApp({ clock })
  await setAlertSettings(app, { alert_webhooks: [{ url: receiver.url, format: 'json', events: [] }] })
  const up = [{ url: upstream.url, weight: 1 }]
  await seedGroup(app.deps, { name: 'alpha', upstreams: up, config: { blacklist_threshold: 1 } }, KEYS)
  await seedGroup(app.deps, { name: 'beta', upstreams: up, config: { blacklist_threshold: 1 } }, [OTHER])

  // both keys of alpha answer 401: the request tries both, each turns invalid
  expect((await chat(app.url, 'alpha')).status).toBe(401)
  expect((await chat(app.url, 'beta')).status).toBe(401)
  await waitFor(() => app.deps.alerts.pendingKeys() === 3, 5000, 'three invalidated keys waiting for the batch')

  // the pool noticed both groups have no usable key left: group_exhausted is sent at once (not batched)
  await receiver.waitForCount(2)
  expect(receiver.received.map((r) => [r.body.event, r.body.subject]).toSorted()).toEqual([
    ['group_exhausted', 'group:alpha'],
    ['group_exhausted', 'group:beta'],
  ])
  // the next request meets the 503; the same alert within the cooldown is not sent again
  expect((await chat(app.url, 'alpha')).status).toBe(503)
  await app.deps.alerts.idle()
  expect(receiver.received).toHaveLength(2)

  // a minute later (by the app's clock) the batch leaves as one message
  clock.advance(60_000)
  await receiver.waitForCount(3)
  await app.deps.alerts.idle()
  expect(receiver.received).toHaveLength(3)
  const batch = receiver.received[2]!.body
  expect(batch.event).toBe('key_invalidated')
  expect(batch.details.count).toBe(3)
  expect(batch.details.groups.toSorted()).toEqual(['alpha', 'beta'])
  expect(batch.details.keys.map((k: any) => [k.group, k.key_masked]).toSorted()).toEqual([
    ['alpha', 'sk-ba…0001'],
    ['alpha', 'sk-ba…0002'],
    ['beta', 'sk-ba…0003'],
  ])
  expect(batch.message).toContain('3 keys became invalid')
  expect(batch.message).toContain('sk-ba…0001 (alpha)')
  // never an unmasked key, anywhere in what was sent
  const everything = JSON.stringify(receiver.received)
  for (const key of [...KEYS, OTHER]) expect(everything).not.toContain(key)

  // a key restored and invalidated again within the cooldown is not announced twice
  const ids = (await app.deps.store.groupKeys((await app.deps.store.getGroupByName('beta'))!.id)).map((k) => k.id)
  await app.deps.pool.setStatus((await app.deps.store.getGroupByName('beta'))!.id, ids, 'active')
  expect((await chat(app.url, 'beta')).status).toBe(401)
  await waitFor(() => app.deps.alerts.pendingKeys() === 1, 5000, 'the key waiting again')
  clock.advance(60_000)
  await waitFor(() => app.deps.alerts.pendingKeys() === 0, 5000, 'the batch handled')
  await app.deps.alerts.idle()
  expect(receiver.received).toHaveLength(3)
})

test('a request to a group whose keys all died (before this node started) raises group_exhausted', async () => {
  await using upstream = await startFakeUpstream()
  await using receiver = startReceiver()
  await using app = await alertApp()
  await setAlertSettings(app, { alert_webhooks: [{ url: receiver.url, format: 'json', events: ['group_exhausted'] }] })
  // the keys are invalid in the store when the pool first loads the group (they died before this node started)
  const group = await app.deps.store.createGroup(newGroup('dead', { upstreams: [{ url: upstream.url, weight: 1 }] }))
  await app.deps.store.addKeys(group.id, ['sk-dead-1', 'sk-dead-2'])
  await app.deps.store.setKeyStatus((await app.deps.store.groupKeys(group.id)).map((k) => k.id), 'invalid')
  await app.deps.pool.loadGroup(group.id, await app.deps.store.groupKeys(group.id))
  await app.deps.groups.invalidate([group.id])
  await app.deps.alerts.idle()
  expect(receiver.received).toEqual([])

  const res = await chat(app.url, 'dead')
  expect(res.status).toBe(503)
  expect(((await res.json()) as any).error.code).toBe('no_available_keys')
  await receiver.waitForCount(1)
  expect(receiver.received[0]!.body).toMatchObject({ event: 'group_exhausted', subject: 'group:dead', details: { group: 'dead' } })
  expect(upstream.requests).toEqual([])
})
