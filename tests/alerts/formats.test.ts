/**
 * Each of the five formats reaches its receiver in the shape that service's incoming webhook takes, raised by a
 * real proxy request on a group with no key (group_exhausted) and sent by the node (alone, it leads).
 */
import { expect, test } from 'bun:test'
import { seedGroup, TEST_AUTH_KEY } from '../support/test-app'
import { ACCEPTED, alertApp, ManualClock, setAlertSettings, startReceiver } from './support'

const FORMATS = ['json', 'slack', 'feishu', 'dingtalk', 'wecom'] as const

test('json, slack, feishu, dingtalk and wecom receivers each get their own payload', async () => {
  const receivers = Object.fromEntries(FORMATS.map((f) => [f, startReceiver(ACCEPTED[f])]))
  const clock = new ManualClock()
  await using app = await alertApp({ clock })
  try {
    await setAlertSettings(app, {
      alert_webhooks: FORMATS.map((format) => ({ url: `${receivers[format]!.url}/hook/${format}?token=secret`, format, events: ['group_exhausted'] })),
    })
    await seedGroup(app.deps, { name: 'empty', upstreams: [{ url: 'http://127.0.0.1:9', weight: 1 }] })
    const res = await fetch(`${app.url}/proxy/empty/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_AUTH_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [] }),
    })
    expect(res.status).toBe(503)
    expect(((await res.json()) as any).error.code).toBe('no_available_keys')
    for (const f of FORMATS) await receivers[f]!.waitForCount(1)

    const node = app.deps.cluster!.nodeId
    const at = new Date(clock.now()).toISOString()
    const message = 'group empty has no usable key: requests are answered 503'
    const text = `[keypool] group_exhausted: ${message}\nnode ${node} · ${at}`
    expect(Object.fromEntries(FORMATS.map((f) => [f, receivers[f]!.received.map((r) => r.body)]))).toEqual({
      json: [{ event: 'group_exhausted', subject: 'group:empty', message, details: { group: 'empty' }, at, node }],
      slack: [{ text }],
      feishu: [{ msg_type: 'text', content: { text } }],
      dingtalk: [{ msgtype: 'text', text: { content: text } }],
      wecom: [{ msgtype: 'text', text: { content: text } }],
    })
    expect(receivers.json!.received[0]!.headers['content-type']).toBe('application/json')
    expect(receivers.slack!.received[0]!.path).toBe('/hook/slack')

    // the history names each webhook without its secret path or query
    await app.deps.alerts.idle()
    const history = (await (await app.api('/api/alerts/history')).json()) as any
    expect(history.data.pagination.total_items).toBe(5)
    for (const row of history.data.items) {
      expect(row).toMatchObject({ event: 'group_exhausted', subject: 'group:empty', ok: true, status_code: 200, attempts: 1, node })
      expect(row.target).not.toContain('secret')
      expect(row.target).not.toContain(`/hook/${row.format}`)
      expect(row.target).toStartWith('http://127.0.0.1:')
    }
  } finally {
    for (const r of Object.values(receivers)) await r.stop()
  }
})

test('a webhook only gets the events it lists; an empty list means every event', async () => {
  await using only = startReceiver()
  await using all = startReceiver()
  await using app = await alertApp()
  await setAlertSettings(app, {
    alert_webhooks: [
      { url: only.url, format: 'json', events: ['error_rate'] },
      { url: all.url, format: 'json', events: [] },
    ],
  })
  await seedGroup(app.deps, { name: 'none', upstreams: [{ url: 'http://127.0.0.1:9', weight: 1 }] })
  const res = await fetch(`${app.url}/proxy/none/v1/models`, { headers: { authorization: `Bearer ${TEST_AUTH_KEY}` } })
  expect(res.status).toBe(503)
  await all.waitForCount(1)
  await app.deps.alerts.idle()
  expect(all.received.map((r) => r.body.event)).toEqual(['group_exhausted'])
  expect(only.received).toEqual([])
})
