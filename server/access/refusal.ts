/**
 * Why an access key is refused, as the proxy answers it (in the channel's native error JSON): the status, the error
 * code and the headers of the contract. OpenAI SDKs read Retry-After and the x-ratelimit-* headers.
 */
import type { AdmitResult } from './counters'

export interface Refusal {
  status: 401 | 403 | 429 | 503
  message: string
  code: string
  headers?: Record<string, string>
}

export const invalidKey = (message: string): Refusal => ({ status: 401, message, code: 'invalid_api_key' })
export const denied = (message: string): Refusal => ({ status: 403, message, code: 'permission_denied' })

export const countersDown: Refusal = {
  status: 503,
  message: 'access key limits cannot be checked right now (the shared counter store is unreachable), retry shortly',
  code: 'limits_unavailable',
  headers: { 'retry-after': '5' },
}

/** OpenAI writes reset times as durations: `1s`, `6m0s`, `250ms`. */
export function duration(ms: number): string {
  if (ms <= 0) return '0s'
  if (ms < 1000) return `${Math.ceil(ms)}ms`
  const s = Math.ceil(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${s % 60}s`
  return `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`
}

export interface WindowLimits {
  rpm: number
  tpm: number
}

/** x-ratelimit-* for the limits a key has (none for a limit of 0). */
export function rateLimitHeaders(limits: WindowLimits, r: AdmitResult): Record<string, string> {
  const h: Record<string, string> = {}
  if (limits.rpm > 0) {
    h['x-ratelimit-limit-requests'] = String(limits.rpm)
    h['x-ratelimit-remaining-requests'] = String(Math.max(0, limits.rpm - r.requests))
    h['x-ratelimit-reset-requests'] = duration(r.requestsResetMs)
  }
  if (limits.tpm > 0) {
    h['x-ratelimit-limit-tokens'] = String(limits.tpm)
    h['x-ratelimit-remaining-tokens'] = String(Math.max(0, limits.tpm - r.tokens))
    h['x-ratelimit-reset-tokens'] = duration(r.tokensResetMs)
  }
  return h
}

const MESSAGES = {
  rpm: (l: WindowLimits) => `access key rate limit reached: ${l.rpm} requests per minute`,
  tpm: (l: WindowLimits) => `access key rate limit reached: ${l.tpm} tokens per minute`,
  concurrency: () => 'access key concurrency limit reached: too many requests in flight',
}

export function limitRefusal(limits: WindowLimits, r: AdmitResult & { ok: false }): Refusal {
  const headers = rateLimitHeaders(limits, r)
  if (r.retryAfterMs !== null) headers['retry-after'] = String(Math.max(1, Math.ceil(r.retryAfterMs / 1000)))
  if (r.reason === 'budget') {
    // the SDKs retry a 429 unless told not to; a spent budget does not come back within their retry delays
    headers['x-should-retry'] = 'false'
    const until = r.retryAfterMs === null ? 'it has no period to reset' : 'it resets at the start of the next period'
    return { status: 429, message: `access key budget exceeded: ${until}`, code: 'budget_exceeded', headers }
  }
  const code = r.reason === 'concurrency' ? 'concurrency_limit_exceeded' : 'rate_limit_exceeded'
  return { status: 429, message: MESSAGES[r.reason](limits), code, headers }
}
