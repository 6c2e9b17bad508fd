/**
 * Outcome classification (docs/architecture.md, "Key states and outcomes"): what an upstream answer means
 * for the key, for the upstream's circuit, and whether the request moves on to another key.
 */
import type { KeyOutcome } from '../pool/types'
import { parseRetryAfter } from './retry-after'

export interface Classified {
  /** try another key (when retries remain and nothing reached the client) */
  retry: boolean
  key: KeyOutcome
  /** counts toward the upstream's circuit breaker */
  upstreamFailure: boolean
  /** short reason for the request log ('' on success) */
  error: string
}

// Provider phrases that mean the key itself is unusable (revoked, wrong, suspended, out of credit).
const KEY_DEAD =
  /invalid_api_key|invalid api key|incorrect api key|api_key_invalid|api key not valid|api key expired|authentication_error|permission_error|insufficient_quota|exceeded your current quota|billing|credit balance is too low|account.*(suspended|deactivated|disabled)|key.*(revoked|suspended|disabled)|organization.*(disabled|deactivated)/i
// A 429 that is about quota rather than rate: the key will not heal by waiting a minute.
const QUOTA = /insufficient_quota|exceeded your current quota|quota.*exceeded|billing|credit balance/i

export function classifyNetworkError(err: unknown): Classified {
  return { retry: true, key: { kind: 'neutral' }, upstreamFailure: true, error: describeError(err) }
}

export function classifyResponse(
  status: number,
  headers: Headers,
  body: string | null,
  now: number,
  failover: ((status: number) => boolean) | null,
): Classified {
  if (status < 400) return { retry: false, key: { kind: 'success' }, upstreamFailure: false, error: '' }
  const text = body ?? ''
  const error = `${status} ${summarize(text)}`.trim()
  let c: Classified
  if (status === 429) {
    c = QUOTA.test(text)
      ? { retry: true, key: { kind: 'key_failure', reason: 'quota' }, upstreamFailure: false, error }
      : { retry: true, key: { kind: 'rate_limited', retryAfterMs: parseRetryAfter(headers, now) }, upstreamFailure: false, error }
  } else if (status === 401 || status === 403 || KEY_DEAD.test(text)) {
    c = { retry: true, key: { kind: 'key_failure', reason: String(status) }, upstreamFailure: false, error }
  } else if (status >= 500) {
    c = { retry: true, key: { kind: 'neutral' }, upstreamFailure: true, error }
  } else {
    // Other 4xx: the request itself is wrong; another key would fail the same way.
    c = { retry: false, key: { kind: 'neutral' }, upstreamFailure: false, error }
  }
  if (failover) c.retry = failover(status)
  return c
}

function summarize(body: string): string {
  try {
    const j = JSON.parse(body)
    const e = Array.isArray(j) ? j[0]?.error : j?.error
    const msg = typeof e === 'string' ? e : e?.message ?? j?.message
    if (typeof msg === 'string') return msg.slice(0, 500)
  } catch {}
  return body.slice(0, 300)
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'upstream timeout'
    const code = (err as { code?: string }).code
    return code ? `${code}: ${err.message}` : err.message
  }
  return String(err)
}
