/**
 * The body each receiver's incoming webhook takes, and how each says whether it accepted the message:
 * - Slack incoming webhooks: `{text}`; answers 200 `ok` (api.slack.com/messaging/webhooks).
 * - Feishu / Lark custom bots: `{msg_type:"text",content:{text}}`; answers 200 with `{code:0}` (older bots
 *   `{StatusCode:0}`), a non-zero code on a refusal (bad keyword, signature, rate limit).
 * - DingTalk custom robots: `{msgtype:"text",text:{content}}`; answers 200 `{errcode:0,errmsg:"ok"}`.
 * - WeCom (企业微信) group robots: `{msgtype:"text",text:{content}}`; answers 200 `{errcode:0,errmsg:"ok"}`.
 * - json: keypool's own `{event, subject, message, details, at, node}`; any 2xx is accepted.
 * Robots that require a keyword match "keypool": every text starts with "[keypool]".
 */
import type { AlertFormat } from '../config/alert-webhooks'
import type { Alert } from './types'

export function textOf(alert: Alert): string {
  return `[keypool] ${alert.event}: ${alert.message}\nnode ${alert.node} · ${alert.at}`
}

export function payloadFor(format: AlertFormat, alert: Alert): unknown {
  switch (format) {
    case 'json':
      return { event: alert.event, subject: alert.subject, message: alert.message, details: alert.details, at: alert.at, node: alert.node }
    case 'slack':
      return { text: textOf(alert) }
    case 'feishu':
      return { msg_type: 'text', content: { text: textOf(alert) } }
    case 'dingtalk':
    case 'wecom':
      return { msgtype: 'text', text: { content: textOf(alert) } }
  }
}

/** null = accepted; else why not. A 2xx whose JSON carries a non-zero code is a refusal. */
export function refusalOf(format: AlertFormat, status: number, body: string): string | null {
  if (status < 200 || status >= 300) return `HTTP ${status}`
  if (format !== 'feishu' && format !== 'dingtalk' && format !== 'wecom') return null
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return null // a proxy or a compatible receiver that answers plain text: 2xx is enough
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const o = parsed as Record<string, unknown>
  const code = format === 'feishu' ? (o.code ?? o.StatusCode) : o.errcode
  if (code === undefined || code === 0) return null
  const msg = format === 'feishu' ? (o.msg ?? o.StatusMessage) : o.errmsg
  return `receiver refused: code ${String(code)}${msg ? ` (${String(msg)})` : ''}`
}
