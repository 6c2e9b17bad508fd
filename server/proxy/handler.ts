/**
 * The proxy's request path, in two steps: prepare (proxy key, group, concurrency slot, body rules, model) and the
 * attempts (pick a key and an upstream, call, classify, retry). Model routing and protocol translation slot in
 * between them. The answer streams to the client; the log row is queued after its last byte.
 */
import { log } from '../shared/logger'
import { runAttempts } from './attempts'
import { nativeError } from './native-error'
import { admitRequest, callerAllowed, prepareRequest } from './prepare'
import { readClientKey } from './client-key'
import { translationFor } from './translation-plan'
import { proxyTranslated } from './translation-run'
import type { ProxyDeps, ProxyRequest } from './types'

export async function handleProxy(d: ProxyDeps, p: ProxyRequest): Promise<Response> {
  // A foreign-protocol call to a group that translates is rewritten and comes back here as a native one.
  const rg = p.protocols ? undefined : d.runtime.get(p.groupName)
  const plan = rg ? translationFor(rg, p.request.method, p.path) : null
  if (plan) return proxyTranslated(plan, p, callerAllowed(d, readClientKey(p.request.headers, p.url).key, rg), (q) => handleProxy(d, q))
  const admitted = admitRequest(d, p)
  if (admitted instanceof Response) return admitted
  try {
    const prepared = await prepareRequest(admitted, d.cache)
    if (prepared instanceof Response) return prepared
    const res = await runAttempts(d, prepared)
    if (prepared.cache) res.headers.set('x-keypool-cache', prepared.cache.state)
    return res
  } catch (err) {
    // Key pool backend (Redis) unreachable or another fault of ours: a clear 503, never a crash.
    const { group, rec } = admitted
    log.error('proxy request failed inside the gateway', { group: group.group.name, error: String(err) })
    rec.finish(503, false, `gateway error: ${String(err)}`)
    return nativeError(group.channel, 503, 'gateway temporarily unavailable, retry shortly', 'gateway_unavailable', { 'retry-after': '1' })
  }
}
