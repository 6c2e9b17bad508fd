/**
 * The admin side: alert_webhooks validated on PUT /api/settings (http(s) URL, known format and events), the test
 * button (`POST /api/alerts/test` with an index or a webhook) answering what the receiver said, and the history.
 */
import { expect, test } from 'bun:test'
import { expectError } from '../admin/support'
import { alertApp, setAlertSettings, startReceiver } from './support'

const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) })

test('alert_webhooks is validated and stored as canonical JSON', async () => {
  await using app = await alertApp()
  const put = (v: unknown) => app.api('/api/settings', { method: 'PUT', body: JSON.stringify({ alert_webhooks: v }) })
  await expectError(put('not json'), 400, 'VALIDATION_ERROR', 'alert_webhooks must be a JSON list')
  await expectError(put([{ url: 'ftp://x', format: 'json' }]), 400, 'VALIDATION_ERROR', 'alert_webhooks[0].url must be an http(s) URL')
  await expectError(put([{ url: 'https://x.test', format: 'teams' }]), 400, 'VALIDATION_ERROR', 'alert_webhooks[0].format must be one of json, slack, feishu, dingtalk, wecom')
  await expectError(put([{ url: 'https://x.test', format: 'json', events: ['key_died'] }]), 400, 'VALIDATION_ERROR', 'unknown event "key_died"')
  await expectError(app.api('/api/settings', { method: 'PUT', body: JSON.stringify({ alert_cooldown_minutes: -1 }) }), 400, 'VALIDATION_ERROR', 'alert_cooldown_minutes must be at least 0')
  expect(app.deps.settings.get().alert_webhooks).toBe('[]')

  // the list itself or its JSON text
  await setAlertSettings(app, { alert_webhooks: JSON.stringify([{ url: ' https://hooks.slack.test/T/B/x ', format: 'slack', events: ['budget', 'budget'] }]) })
  expect(JSON.parse(app.deps.settings.get().alert_webhooks)).toEqual([{ url: 'https://hooks.slack.test/T/B/x', format: 'slack', events: ['budget'] }])
  const cats = ((await (await app.api('/api/settings')).json()) as any).data
  const alerts = cats.find((c: any) => c.category_name === 'Alerts').settings.map((s: any) => [s.key, s.default_value])
  expect(alerts).toEqual([
    ['alert_webhooks', '[]'],
    ['alert_error_rate_percent', 50],
    ['alert_window_minutes', 5],
    ['alert_min_requests', 20],
    ['alert_cooldown_minutes', 30],
  ])
})

test('the test button sends a test message and answers what the receiver said; the history lists it', async () => {
  await using receiver = startReceiver('{"errcode":0,"errmsg":"ok"}')
  await using app = await alertApp()
  await setAlertSettings(app, { alert_webhooks: [{ url: `${receiver.url}/robot/send?access_token=tok123`, format: 'dingtalk', events: ['budget'] }] })

  const res = await app.api('/api/alerts/test', post({ index: 0 }))
  expect(res.status).toBe(200)
  const answer = ((await res.json()) as any).data
  expect(answer).toEqual({ ok: true, status_code: 200, response: '{"errcode":0,"errmsg":"ok"}', error: '', attempts: 1, target: expect.any(String) })
  expect(answer.target).not.toContain('tok123')
  expect(receiver.received).toHaveLength(1)
  expect(receiver.received[0]!.body).toEqual({ msgtype: 'text', text: { content: expect.stringContaining('[keypool] test: test message') } })

  // a webhook not saved yet, whose receiver refuses: the answer says so (HTTP 200 from keypool, ok false)
  receiver.script({ status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' })
  const refused = ((await (await app.api('/api/alerts/test', post({ url: receiver.url, format: 'wecom' }))).json()) as any).data
  expect(refused).toMatchObject({ ok: false, status_code: 200, error: 'receiver refused: code 93000 (invalid webhook url)', attempts: 1 })

  // nothing listens there: one try, the reason
  const closed = startReceiver()
  const closedUrl = closed.url
  await closed.stop()
  const down = ((await (await app.api('/api/alerts/test', post({ url: `${closedUrl}/x`, format: 'json' }))).json()) as any).data
  expect(down).toMatchObject({ ok: false, status_code: null, attempts: 1 })
  expect(down.error).toStartWith('unreachable:')

  await expectError(app.api('/api/alerts/test', post({ index: 3 })), 400, 'VALIDATION_ERROR', 'index must name one of the 1 webhooks')
  await expectError(app.api('/api/alerts/test', post({ url: 'mailto:a@b', format: 'json' })), 400, 'VALIDATION_ERROR', 'webhook.url must be an http(s) URL')
  await expectError(app.api('/api/alerts/test', post({})), 400, 'VALIDATION_ERROR', 'webhook.url')
  expect((await fetch(`${app.url}/api/alerts/test`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401)

  const history = ((await (await app.api('/api/alerts/history?page=1&page_size=2')).json()) as any).data
  expect(history.pagination).toEqual({ page: 1, page_size: 2, total_items: 3, total_pages: 2 })
  expect(history.items.map((r: any) => [r.event, r.format, r.ok])).toEqual([
    ['test', 'json', false],
    ['test', 'wecom', false],
  ])
  expect(JSON.stringify(history)).not.toContain('tok123')
  await expectError(app.api('/api/alerts/history?page_size=5000'), 400, 'VALIDATION_ERROR', 'page_size')
})

test('the OpenAPI document lists the alert routes', async () => {
  await using app = await alertApp()
  const doc = (await (await app.api('/api/openapi.json')).json()) as any
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/alerts/test', '/api/alerts/history']))
})

test('with ENCRYPTION_KEY the webhook URLs (they carry tokens) are encrypted at rest', async () => {
  await using app = await alertApp({ env: { ENCRYPTION_KEY: 'alert-test-encryption-key-0123456789' } })
  await setAlertSettings(app, { alert_webhooks: [{ url: 'https://oapi.dingtalk.test/robot/send?access_token=tok-at-rest', format: 'dingtalk' }] })
  const stored = (await app.deps.store.getSettings()).alert_webhooks!
  expect(stored).not.toContain('tok-at-rest')
  await app.deps.settings.load()
  expect(app.deps.settings.get().alert_webhooks).toContain('tok-at-rest')
})
