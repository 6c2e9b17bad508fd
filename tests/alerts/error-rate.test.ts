/**
 * error_rate from the request log rows, on the app's clock: a group over alert_error_rate_percent with at least
 * alert_min_requests final requests in the last alert_window_minutes raises it; fewer requests, a healthy group
 * or failures older than the window do not.
 */
import { expect, test } from 'bun:test'
import { startFakeUpstream } from '../support/fake-upstream'
import { seedGroup, TEST_AUTH_KEY, waitFor } from '../support/test-app'
import { alertApp, ManualClock, setAlertSettings, startReceiver } from './support'

test('a group failing more than the threshold over the window raises error_rate once', async () => {
  await using upstream = await startFakeUpstream()
  await using receiver = startReceiver()
  const clock = new ManualClock()
  await using app = await alertApp({ clock })
  await setAlertSettings(app, {
    alert_webhooks: [{ url: receiver.url, format: 'json', events: ['error_rate'] }],
    alert_error_rate_percent: 50,
    alert_window_minutes: 5,
    alert_min_requests: 5,
    request_log_write_interval_minutes: 0,
  })
  const up = [{ url: upstream.url, weight: 1 }]
  await seedGroup(app.deps, { name: 'old', upstreams: up }, ['sk-500-old'])
  // bad: two of its three keys answer 500 and nothing is retried, so two requests in three fail
  await seedGroup(app.deps, { name: 'bad', upstreams: up, config: { max_retries: 0 } }, ['sk-500-bad-1', 'sk-500-bad-2', 'sk-ok-bad'])
  await seedGroup(app.deps, { name: 'few', upstreams: up }, ['sk-500-few'])
  await seedGroup(app.deps, { name: 'good', upstreams: up }, ['sk-ok-good'])
  const calls = async (group: string, n: number) => {
    for (let i = 0; i < n; i++) {
      await fetch(`${app.url}/proxy/${group}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_AUTH_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      })
    }
  }
  const logged = async (n: number) => {
    await app.deps.logs.flush()
    const counts = await app.deps.store.requestCountsSince(0)
    return counts.reduce((sum, c) => sum + c.total, 0) >= n
  }

  await app.deps.alerts.tick() // the first check has run (at start, with no rows)
  await calls('old', 8)
  await waitFor(() => logged(8), 5000, 'old rows written')
  clock.advance(6 * 60_000) // the old failures leave the window
  // the check due after that advance runs now, before the next requests: none may run while their rows arrive
  await app.deps.alerts.tick()
  await app.deps.alerts.idle()

  await calls('bad', 9)
  await calls('few', 4)
  await calls('good', 10)
  await waitFor(() => logged(31), 5000, 'all rows written')
  const bad = (await app.deps.store.requestCountsSince(clock.now() - 60_000)).find((c) => c.group_name === 'bad')!
  expect(bad).toEqual({ group_name: 'bad', total: 9, failures: 6 })
  clock.advance(60_000)
  await receiver.waitForCount(1)
  clock.advance(60_000) // another check: the cooldown keeps it to one message
  await app.deps.alerts.tick()
  await app.deps.alerts.idle()
  expect(receiver.received.map((r) => r.body.subject)).toEqual(['group:bad'])
  expect(receiver.received[0]!.body.details).toEqual({
    group: 'bad',
    total: 9,
    failures: 6,
    percent: (6 * 100) / 9,
    threshold_percent: 50,
    window_minutes: 5,
  })
})
