/**
 * Sends one alert to one webhook: bounded attempts, a timeout per try, exponential backoff between tries.
 * Retried: network errors, timeouts, 5xx and 429. A 4xx or a receiver's refusal (a non-zero code in a 2xx) is
 * final: sending the same body again would be refused again.
 */
import type { AlertWebhook } from '../config/alert-webhooks'
import { payloadFor, refusalOf } from './formats'
import { webhookTarget } from './target'
import type { Alert, DeliveryResult } from './types'

export interface DeliveryPolicy {
  attempts: number
  timeoutMs: number
  /** wait before the 2nd try; doubled before each next one */
  backoffMs: number
}

export const DEFAULT_DELIVERY: DeliveryPolicy = { attempts: 4, timeoutMs: 10_000, backoffMs: 1000 }

const RESPONSE_CHARS = 1000

export async function deliver(
  fetchFn: typeof fetch,
  webhook: AlertWebhook,
  alert: Alert,
  policy: DeliveryPolicy = DEFAULT_DELIVERY,
): Promise<DeliveryResult> {
  const body = JSON.stringify(payloadFor(webhook.format, alert))
  let last: DeliveryResult = { ok: false, status_code: null, response: '', error: 'not sent', attempts: 0 }
  for (let n = 1; n <= Math.max(1, policy.attempts); n++) {
    if (n > 1) await Bun.sleep(policy.backoffMs * 2 ** (n - 2))
    const { result, retry } = await tryOnce(fetchFn, webhook, body, policy.timeoutMs)
    last = { ...result, attempts: n }
    if (result.ok || !retry) break
  }
  return last
}

async function tryOnce(
  fetchFn: typeof fetch,
  webhook: AlertWebhook,
  body: string,
  timeoutMs: number,
): Promise<{ result: Omit<DeliveryResult, 'attempts'>; retry: boolean }> {
  try {
    const res = await fetchFn(webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'keypool-alerts' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
    const text = (await res.text()).slice(0, RESPONSE_CHARS)
    const refusal = refusalOf(webhook.format, res.status, text)
    const retry = res.status >= 500 || res.status === 429
    return { result: { ok: refusal === null, status_code: res.status, response: text, error: refusal ?? '' }, retry }
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
    // a fetch error may quote the URL, and the URL holds the receiver's token
    const reason = (err instanceof Error ? err.message : String(err)).replaceAll(webhook.url, webhookTarget(webhook.url))
    const error = timedOut ? `no answer within ${timeoutMs} ms` : `unreachable: ${reason}`
    return { result: { ok: false, status_code: null, response: '', error }, retry: true }
  }
}
