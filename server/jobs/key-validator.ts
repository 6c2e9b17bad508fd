/**
 * Tests one key with its channel's minimal request against the group's first upstream that has weight > 0.
 * Used by validate-group (async task), test-multiple (sync) and the periodic re-validation of invalid keys.
 * `keyInvalid` is true only when the answer says the key itself is bad (401/403, revoked, out of quota), so an
 * upstream outage or a wrong test model never blacklists keys.
 */
import type { Group } from '../../db/types'
import { getChannel } from '../channels'
import type { AppDeps } from '../deps'
import { readWindow } from '../proxy/read-window'
import { classifyNetworkError, classifyResponse } from '../proxy/outcome'
import { scrubSecret } from '../shared/scrub'

export interface KeyCheck {
  ok: boolean
  /** upstream status; 0 when no answer came (network error, timeout) */
  status: number
  error?: string
  /** the failure is the key's (blacklist it), not the upstream's or the request's */
  keyInvalid: boolean
}

type ValidatorDeps = Pick<AppDeps, 'settings' | 'fetch' | 'clock'>

const MAX_ERROR_BODY = 64 * 1024

export async function validateKey(group: Group, key: string, deps: ValidatorDeps): Promise<KeyCheck> {
  const upstream = group.upstreams.find((u) => u.weight > 0)
  if (!upstream) return { ok: false, status: 0, error: 'the group has no upstream with weight > 0', keyInvalid: false }
  const channel = getChannel(group.channel_type)
  const settings = deps.settings.forGroup(group.config)
  const req = channel.validationRequest(key, group.test_model || channel.defaultTestModel, group.validation_endpoint)
  const url = upstream.url.replace(/\/+$/, '') + req.path
  const init: RequestInit & { proxy?: string } = {
    method: req.method,
    headers: req.headers,
    body: req.body,
    signal: AbortSignal.timeout(settings.key_validation_timeout_seconds * 1000),
  }
  if (settings.proxy_url) init.proxy = settings.proxy_url
  let res: Response
  try {
    res = await deps.fetch(url, init)
  } catch (err) {
    return { ok: false, status: 0, error: classifyNetworkError(err).error, keyInvalid: false }
  }
  if (res.ok) {
    await res.body?.cancel()
    return { ok: true, status: res.status, keyInvalid: false }
  }
  // Only a window of the error body: a hostile upstream's may never end (fetch inflates as it is read: bounded too).
  let body = ''
  try {
    body = new TextDecoder().decode((await readWindow(res.body, MAX_ERROR_BODY)).bytes)
  } catch (err) {
    return { ok: false, status: 0, error: classifyNetworkError(err).error, keyInvalid: false }
  }
  const c = classifyResponse(res.status, res.headers, body, deps.clock.now(), null)
  // Never echo the key: some providers repeat it in their error text.
  const error = scrubSecret(c.error, key)
  return { ok: false, status: res.status, error, keyInvalid: c.key.kind === 'key_failure' }
}

/** Run `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return out
}
