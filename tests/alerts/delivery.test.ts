/**
 * Sending: the cooldown holds per event and subject (moved by the app's clock), a receiver's 500 is retried with
 * backoff up to the bounded attempts, a 4xx or a receiver's refusal is final, a try that gets no answer times out.
 */
import { expect, test } from 'bun:test'
import { groupExhausted } from '../../server/alerts/events'
import { seedGroup, TEST_AUTH_KEY } from '../support/test-app'
import { alertApp, ManualClock, setAlertSettings, startReceiver } from './support'

const history = async (app: { api(p: string): Promise<Response> }) => ((await (await app.api('/api/alerts/history?page_size=100')).json()) as any).data.items

test('the same alert is not sent again within alert_cooldown_minutes; another subject is', async () => {
  await using receiver = startReceiver()
  const clock = new ManualClock()
  await using app = await alertApp({ clock })
  await setAlertSettings(app, { alert_webhooks: [{ url: receiver.url, format: 'json', events: [] }], alert_cooldown_minutes: 30 })
  for (const name of ['empty', 'other']) await seedGroup(app.deps, { name, upstreams: [{ url: 'http://127.0.0.1:9', weight: 1 }] })
  const call = async (group: string) => {
    const res = await fetch(`${app.url}/proxy/${group}/v1/models`, { headers: { authorization: `Bearer ${TEST_AUTH_KEY}` } })
    expect(res.status).toBe(503)
    await app.deps.alerts.idle()
  }
  const subjects = () => receiver.received.map((r) => r.body.subject)

  await call('empty')
  expect(subjects()).toEqual(['group:empty'])
  clock.advance(2 * 60_000)
  await call('empty') // reaches the leader (past the node's own one-minute throttle) and is held by the cooldown
  await call('other')
  expect(subjects()).toEqual(['group:empty', 'group:other'])
  clock.advance(27 * 60_000)
  await call('empty') // 29 minutes after the first
  expect(subjects()).toEqual(['group:empty', 'group:other'])
  clock.advance(2 * 60_000)
  await call('empty') // 31 minutes
  expect(subjects()).toEqual(['group:empty', 'group:other', 'group:empty'])
})

test('a receiver answering 500 is retried until it accepts; the history says how many tries it took', async () => {
  await using receiver = startReceiver()
  await using app = await alertApp()
  await setAlertSettings(app, { alert_webhooks: [{ url: receiver.url, format: 'slack', events: [] }] })
  receiver.script({ status: 500, body: 'busy' }, { status: 502 })
  app.deps.alerts.emit(groupExhausted('retry'))
  await receiver.waitForCount(3)
  await app.deps.alerts.idle()
  expect(receiver.received).toHaveLength(3)
  expect(new Set(receiver.received.map((r) => JSON.stringify(r.body))).size).toBe(1)
  expect(await history(app)).toMatchObject([{ subject: 'group:retry', ok: true, status_code: 200, attempts: 3, error: '' }])
})

test('attempts are bounded; a 4xx and a receiver refusal are not retried; a silent receiver times out', async () => {
  await using receiver = startReceiver()
  await using app = await alertApp({ alertTiming: { delivery: { attempts: 3, timeoutMs: 150, backoffMs: 10 } } })
  await setAlertSettings(app, { alert_webhooks: [{ url: receiver.url, format: 'dingtalk', events: [] }] })

  receiver.script({ status: 500 }, { status: 500 }, { status: 500 })
  app.deps.alerts.emit(groupExhausted('down'))
  await receiver.waitForCount(3)
  await app.deps.alerts.idle()
  expect(receiver.received).toHaveLength(3)

  receiver.script({ status: 404, body: 'no such hook' })
  app.deps.alerts.emit(groupExhausted('gone'))
  await receiver.waitForCount(4)
  await app.deps.alerts.idle()

  receiver.script({ status: 200, body: '{"errcode":310000,"errmsg":"keywords not in content"}' })
  app.deps.alerts.emit(groupExhausted('refused'))
  await receiver.waitForCount(5)
  await app.deps.alerts.idle()

  receiver.script({ status: 200, delayMs: 1000 }, { status: 200, delayMs: 1000 }, { status: 200, delayMs: 1000 })
  app.deps.alerts.emit(groupExhausted('silent'))
  await receiver.waitForCount(8)
  await app.deps.alerts.idle()
  expect(receiver.received).toHaveLength(8)

  const rows = Object.fromEntries((await history(app)).map((r: any) => [r.subject, { ok: r.ok, status: r.status_code, attempts: r.attempts, error: r.error }]))
  expect(rows).toEqual({
    'group:down': { ok: false, status: 500, attempts: 3, error: 'HTTP 500' },
    'group:gone': { ok: false, status: 404, attempts: 1, error: 'HTTP 404' },
    'group:refused': { ok: false, status: 200, attempts: 1, error: 'receiver refused: code 310000 (keywords not in content)' },
    'group:silent': { ok: false, status: null, attempts: 3, error: 'no answer within 150 ms' },
  })
})

test('with no webhook set, events are dropped where they are raised (nothing queued, nothing recorded)', async () => {
  await using app = await alertApp()
  expect(app.deps.alerts.enabled()).toBe(false)
  app.deps.alerts.emit(groupExhausted('quiet'))
  await app.deps.alerts.tick()
  await app.deps.alerts.idle()
  expect((await app.deps.store.listAlerts(1, 10)).total).toBe(0)
})
