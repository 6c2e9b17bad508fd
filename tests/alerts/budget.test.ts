/**
 * The budget event: the counters report a debit (before -> after); crossing 80 % and 100 % of an access key's
 * budget raises one alert each, sent by the node to the receiver.
 */
import { expect, test } from 'bun:test'
import { budgetThresholdsCrossed, emitBudget } from '../../server/alerts/events'
import { alertApp, setAlertSettings, startReceiver } from './support'

test('thresholds crossed by a debit', () => {
  expect(budgetThresholdsCrossed(0, 79, 100)).toEqual([])
  expect(budgetThresholdsCrossed(79, 80, 100)).toEqual([80])
  expect(budgetThresholdsCrossed(80, 99, 100)).toEqual([])
  expect(budgetThresholdsCrossed(50, 130, 100)).toEqual([80, 100])
  expect(budgetThresholdsCrossed(100, 150, 100)).toEqual([])
  expect(budgetThresholdsCrossed(0, 1e9, 0)).toEqual([])
})

test('80 % and 100 % of a budget each reach the receiver once', async () => {
  await using receiver = startReceiver()
  await using app = await alertApp()
  await setAlertSettings(app, { alert_webhooks: [{ url: receiver.url, format: 'json', events: ['budget'] }] })
  const use = { access_key_id: 7, access_key_name: 'team-a', budget: 10, unit: 'usd' as const, period: 'month' }
  emitBudget(app.deps.alerts, { ...use, before: 5, after: 8.5 })
  emitBudget(app.deps.alerts, { ...use, before: 8.5, after: 9 })
  emitBudget(app.deps.alerts, { ...use, before: 9, after: 10.2 })
  await receiver.waitForCount(2)
  await app.deps.alerts.idle()
  expect(receiver.received.map((r) => [r.body.subject, r.body.message])).toEqual([
    ['access_key:7:80', 'access key team-a used 80% of its month budget ($8.50 of $10.00)'],
    ['access_key:7:100', 'access key team-a used 100% of its month budget ($10.20 of $10.00)'],
  ])
})
