/**
 * The `alert_webhooks` setting: a JSON list of `{url, format, events}`. `events` empty or absent = every event.
 * The list is validated on write (http(s) URL, known format, known events); a stored value that no longer reads
 * gives no webhooks rather than stopping the server.
 */
import { validationError } from '../shared/errors'

export const ALERT_FORMATS = ['json', 'slack', 'feishu', 'dingtalk', 'wecom'] as const
export type AlertFormat = (typeof ALERT_FORMATS)[number]

export const ALERT_EVENTS = ['key_invalidated', 'group_exhausted', 'error_rate', 'budget', 'leader_changed'] as const
export type AlertEventName = (typeof ALERT_EVENTS)[number]

export interface AlertWebhook {
  url: string
  format: AlertFormat
  events: AlertEventName[]
}

const MAX_WEBHOOKS = 50

/** Parse and check the setting's value (a JSON text or the list itself); throws VALIDATION_ERROR naming the entry. */
export function parseAlertWebhooks(raw: unknown): AlertWebhook[] {
  let list: unknown = raw
  if (typeof raw === 'string') {
    if (raw.trim() === '') return []
    try {
      list = JSON.parse(raw)
    } catch {
      throw validationError('alert_webhooks must be a JSON list of {url, format, events}')
    }
  }
  if (!Array.isArray(list)) throw validationError('alert_webhooks must be a JSON list of {url, format, events}')
  if (list.length > MAX_WEBHOOKS) throw validationError(`alert_webhooks: at most ${MAX_WEBHOOKS} webhooks`)
  return list.map((item, i) => parseOne(item, `alert_webhooks[${i}]`))
}

/** One webhook; also checks the body of `POST /api/alerts/test`. */
export function parseOne(item: unknown, where: string): AlertWebhook {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw validationError(`${where} must be an object {url, format, events}`)
  const { url, format, events } = item as Record<string, unknown>
  if (typeof url !== 'string' || !isHttpUrl(url.trim())) throw validationError(`${where}.url must be an http(s) URL`)
  if (typeof format !== 'string' || !(ALERT_FORMATS as readonly string[]).includes(format))
    throw validationError(`${where}.format must be one of ${ALERT_FORMATS.join(', ')}`)
  if (events !== undefined && !Array.isArray(events)) throw validationError(`${where}.events must be a list of event names`)
  const names = (events ?? []) as unknown[]
  for (const e of names) {
    if (typeof e !== 'string' || !(ALERT_EVENTS as readonly string[]).includes(e))
      throw validationError(`${where}.events: unknown event ${JSON.stringify(e)} (known: ${ALERT_EVENTS.join(', ')})`)
  }
  return { url: url.trim(), format: format as AlertFormat, events: [...new Set(names as AlertEventName[])] }
}

/** The webhooks of the current setting value; an unreadable stored value gives none. */
export function alertWebhooksOf(value: string): AlertWebhook[] {
  try {
    return parseAlertWebhooks(value)
  } catch {
    return []
  }
}

export function wantsEvent(webhook: AlertWebhook, event: string): boolean {
  return webhook.events.length === 0 || (webhook.events as string[]).includes(event)
}

function isHttpUrl(v: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol)
  } catch {
    return false
  }
}
