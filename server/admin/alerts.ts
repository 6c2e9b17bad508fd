/**
 * `POST /api/alerts/test` sends a test message to one webhook (saved or not) from this node and answers what the
 * receiver said; `GET /api/alerts/history` lists the alerts sent, newest first (kept as long as request logs).
 */
import { Elysia } from 'elysia'
import { alertWebhooksOf } from '../config/alert-webhooks'
import { authGuard } from './auth'
import type { AdminContext } from './context'
import { ok, pageOf, paged } from './envelope'
import { AlertHistoryItem, AlertHistoryQuery, AlertTestBody, AlertTestResult } from './alert-schemas'
import { Envelope, Paged } from './schemas'

export function alertRoutes({ deps, auth, seed }: AdminContext) {
  return new Elysia({ name: 'admin.alerts', prefix: '/api/alerts', seed })
    .use(authGuard(auth))
    .guard({ auth: true })
    .post('/test', async ({ body }) => ok(await deps.alerts.test(body, alertWebhooksOf(deps.settings.get().alert_webhooks))), {
      body: AlertTestBody,
      response: Envelope(AlertTestResult),
      detail: { summary: 'Send a test message to a webhook ({index} of alert_webhooks, or {url, format}); answers what the receiver said' },
    })
    .get(
      '/history',
      async ({ query }) => {
        const { page, page_size } = pageOf(query)
        const r = await deps.store.listAlerts(page, page_size)
        return ok(paged(r.items.map((a) => ({ ...a, id: a.id ?? 0 })), r.total, page, page_size))
      },
      { query: AlertHistoryQuery, response: Envelope(Paged(AlertHistoryItem)), detail: { summary: 'Alerts sent to the webhooks, newest first' } },
    )
}
