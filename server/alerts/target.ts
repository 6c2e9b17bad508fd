/**
 * How a webhook is named in the history and in logs. Webhook URLs carry the receiver's secret (Slack's path,
 * DingTalk's and WeCom's `access_token`/`key`, Feishu's hook id), so only the host and a masked path are shown.
 */
import { maskKey } from '../shared/mask'

export function webhookTarget(url: string): string {
  try {
    const u = new URL(url)
    const path = u.pathname.length > 1 ? `/${maskKey(u.pathname.slice(1))}` : ''
    return `${u.protocol}//${u.host}${path}${u.search ? '?…' : ''}`
  } catch {
    return '(bad url)'
  }
}
