/**
 * Tests one key with its channel's minimal request against the group's first upstream that has weight > 0,
 * sent through the proxy's upstream client (same fetch options: no redirects followed, compressed errors decoded).
 * Used by validate-group (async task), test-multiple (sync) and the periodic re-validation of invalid keys.
 * `keyInvalid` is true only when the answer says the key itself is bad (401/403, revoked, out of quota), so an
 * upstream outage or a wrong test model never blacklists keys.
 */
import type { Group } from '../../db/types'
import { getChannel } from '../channels'
import type { JobDeps } from './deps'
import { readErrorBody } from '../proxy/error-body'
import { classifyNetworkError, classifyResponse } from '../proxy/outcome'
import { callUpstream } from '../proxy/upstream-client'
import { scrubSecret } from '../shared/scrub'

export interface KeyCheck {
  ok: boolean
  /** upstream status; 0 when no answer came (network error, timeout) */
  status: number
  error?: string
  /** the failure is the key's (blacklist it), not the upstream's or the request's */
  keyInvalid: boolean
}

type ValidatorDeps = Pick<JobDeps, 'settings' | 'fetch' | 'clock'>

export async function validateKey(group: Group, key: string, deps: ValidatorDeps): Promise<KeyCheck> {
  const upstream = group.upstreams.find((u) => u.weight > 0)
  if (!upstream) return { ok: false, status: 0, error: 'the group has no upstream with weight > 0', keyInvalid: false }
  const channel = getChannel(group.channel_type)
  const settings = deps.settings.forGroup(group.config)
  const req = channel.validationRequest(key, group.test_model || channel.defaultTestModel, group.validation_endpoint)
  let res: Response
  try {
    res = await callUpstream(deps.fetch, {
      url: upstream.url.replace(/\/+$/, '') + req.path,
      method: req.method,
      headers: new Headers(req.headers),
      body: req.body === undefined ? null : new TextEncoder().encode(req.body),
      signal: AbortSignal.timeout(settings.key_validation_timeout_seconds * 1000),
      proxy: settings.proxy_url || undefined,
    })
  } catch (err) {
    return { ok: false, status: 0, error: classifyNetworkError(err).error, keyInvalid: false }
  }
  if (res.ok) {
    await res.body?.cancel()
    return { ok: true, status: res.status, keyInvalid: false }
  }
  // Only a window of the error body, inflated under a budget: a hostile upstream's may never end.
  let body = ''
  try {
    body = (await readErrorBody(res, key)).text
  } catch (err) {
    return { ok: false, status: 0, error: classifyNetworkError(err).error, keyInvalid: false }
  }
  const c = classifyResponse(res.status, res.headers, body, deps.clock.now(), null)
  // Never echo the key: some providers repeat it in their error text.
  const error = scrubSecret(c.error, key)
  return { ok: false, status: res.status, error, keyInvalid: c.key.kind === 'key_failure' }
}
