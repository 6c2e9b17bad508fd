/** The alert history is kept as long as the request logs: the leader's retention job deletes older rows. */
import { expect, test } from 'bun:test'
import type { AlertRecord } from '../../db/types'
import { alertApp } from './support'

const row = (subject: string, created_at: number): AlertRecord => ({
  created_at, event: 'group_exhausted', subject, message: 'm', format: 'json', target: 'http://x', ok: true,
  status_code: 200, attempts: 1, error: '', node: 'n',
})

test('rows older than request_log_retention_days are deleted by the retention job; 0 keeps them', async () => {
  await using app = await alertApp()
  const now = Date.now()
  await app.deps.store.insertAlerts([row('old', now - 10 * 86_400_000), row('new', now - 86_400_000)])
  await app.deps.settings.update({ request_log_retention_days: 0 })
  await app.server.built.cluster.jobs.runOnce()
  expect((await app.deps.store.listAlerts(1, 10)).total).toBe(2)
  await app.deps.settings.update({ request_log_retention_days: 7 })
  await app.server.built.cluster.jobs.runOnce()
  const left = await app.deps.store.listAlerts(1, 10)
  expect(left.items.map((r) => r.subject)).toEqual(['new'])
})
