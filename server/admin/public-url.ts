/**
 * The base URL shown in front of `/proxy/{group}`. An operator's `app_url` wins; while it is unset (empty or still the
 * GPT-Load default) the admin request itself says where the node is reached, so the UI never shows a wrong port/host.
 */
import { SETTING_BY_KEY } from '../config/settings-schema'

const DEFAULT_APP_URL = String(SETTING_BY_KEY.get('app_url')!.default)
// host[:port], an IPv6 literal in brackets, nothing that could carry a path, credentials or markup
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i

/** First value of a header a chain of proxies may have appended to (`a, b`). */
function firstValue(headers: Headers, name: string): string | undefined {
  const v = headers.get(name)?.split(',')[0]?.trim()
  return v || undefined
}

/** Origin the client used: X-Forwarded-Proto / X-Forwarded-Host from a reverse proxy, else the request's own URL. */
export function requestOrigin(request: Request): string {
  const own = new URL(request.url)
  const proto = firstValue(request.headers, 'x-forwarded-proto')?.toLowerCase()
  const host = firstValue(request.headers, 'x-forwarded-host')
  const scheme = proto === 'http' || proto === 'https' ? proto : own.protocol.slice(0, -1)
  return `${scheme}://${host && HOST.test(host) ? host : own.host}`
}

export function publicBaseUrl(appUrl: string, request: Request): string {
  const set = appUrl.trim()
  const base = set === '' || set === DEFAULT_APP_URL ? requestOrigin(request) : set
  return base.replace(/\/+$/, '')
}
