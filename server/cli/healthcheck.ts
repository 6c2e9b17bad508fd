/**
 * `keypool healthcheck`: for Docker's HEALTHCHECK and similar probes where curl is not installed. GETs
 * /health on the local server and reports healthy only on a 2xx answer within the timeout.
 */
import type { EnvSource } from './env-source'

const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::', '[::]'])

/** The URL the local server answers on: HOST when it names one address, else loopback. */
export function healthUrl(source: EnvSource): string {
  const port = source.PORT?.trim() || '3001'
  const host = source.HOST?.trim() ?? ''
  if (WILDCARD_HOSTS.has(host)) return `http://127.0.0.1:${port}/health`
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}/health`
}

export interface HealthResult {
  healthy: boolean
  detail: string
}

export async function checkHealth(url: string, timeoutMs = 5000): Promise<HealthResult> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    const body = (await res.text()).slice(0, 500)
    return { healthy: res.ok, detail: `${res.status} ${body}` }
  } catch (err) {
    return { healthy: false, detail: err instanceof Error ? err.message : String(err) }
  }
}
