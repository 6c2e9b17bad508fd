/** Models of the alerts routes (`/api/alerts/*`). */
import { t, type Static } from 'elysia'
import { ALERT_FORMATS } from '../config/alert-webhooks'
import { literalUnion } from '../shared/literal-union'
import { PageQuery } from './schemas'

/** `{index}` tests the webhook at that place of `alert_webhooks`; `{url, format}` tests one not saved yet. */
export const AlertTestBody = t.Object({
  index: t.Optional(t.Integer({ minimum: 0 })),
  url: t.Optional(t.String()),
  format: t.Optional(literalUnion(ALERT_FORMATS)),
})

export const AlertTestResult = t.Object({
  ok: t.Boolean(),
  status_code: t.Union([t.Integer(), t.Null()]),
  /** what the receiver answered (first 1000 characters) */
  response: t.String(),
  error: t.String(),
  attempts: t.Integer(),
  target: t.String(),
})

export const AlertHistoryQuery = t.Object({ ...PageQuery })

export const AlertHistoryItem = t.Object({
  id: t.Integer(),
  created_at: t.Integer(),
  event: t.String(),
  subject: t.String(),
  message: t.String(),
  format: t.String(),
  target: t.String(),
  ok: t.Boolean(),
  status_code: t.Union([t.Integer(), t.Null()]),
  attempts: t.Integer(),
  error: t.String(),
  node: t.String(),
})

export type AlertHistoryItem = Static<typeof AlertHistoryItem>
