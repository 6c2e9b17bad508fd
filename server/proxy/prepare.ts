/**
 * Step one of the proxy path: everything decided before any upstream is called. The caller is admitted (proxy key,
 * group, concurrency slot), then its body is read and the group's body rules applied (model redirect, overrides,
 * strict models). Every refusal is answered here in the channel's native error shape.
 */
import { hitResponse, type CacheSlot, type CacheState, type ResponseCache } from '../cache/service'
import { rewriteBody, sniffModel } from './body-rules'
import { keyAllowed, readClientKey } from './client-key'
import { channelForPath, nativeError } from './native-error'
import { RequestRecord } from './request-record'
import type { RuntimeGroup } from './runtime-groups'
import type { ProxyDeps, ProxyRequest } from './types'

/** A caller let in: its group, and the record that holds its concurrency slot until `finish`. */
export interface Admitted {
  p: ProxyRequest
  group: RuntimeGroup
  rec: RequestRecord
  /** the client sent its key as `?key=` (gemini answers in the same style) */
  clientUsedQueryKey: boolean
}

/** An admitted request ready for attempts: the bytes and path to send upstream. */
export interface Prepared extends Admitted {
  /** after body rules (a model redirect may rewrite a gemini path) */
  path: string
  body: Uint8Array | null
  /** a model list keypool filters itself (model redirect rules or strict models apply) */
  modelList: boolean
  /** set when the group caches answers: what the lookup found, and where a fresh 200 answer is stored */
  cache: { state: CacheState; slot: CacheSlot | null } | null
}

const NO_KEYS: ReadonlySet<string> = new Set()
/** Request bytes kept in the log row when request-body logging is on. */
const LOGGED_BODY_BYTES = 65_536

/** Whether the caller's key may use this group (a global proxy key may use any, and is told apart from none). */
export function callerAllowed(d: ProxyDeps, key: string | null, group: RuntimeGroup | undefined): boolean {
  return keyAllowed(key, d.runtime.globalProxyKeys, group?.proxyKeys ?? NO_KEYS)
}

/** Synchronous and without I/O: a refusal costs nothing but the check. */
export function admitRequest(d: ProxyDeps, p: ProxyRequest): Admitted | Response {
  // The key first, and its refusal the same for every group name (in the path's shape, not the group's), so a
  // caller without a valid key learns nothing about which groups exist.
  const client = readClientKey(p.request.headers, p.url)
  const group = d.runtime.get(p.groupName)
  if (!callerAllowed(d, client.key, group))
    return nativeError(channelForPath(p.path), 401, 'invalid or missing proxy key', 'invalid_api_key')
  if (!group) return nativeError(channelForPath(p.path), 404, `group "${p.groupName}" not found`, 'group_not_found')
  if (!d.limiter.tryAcquire())
    return nativeError(group.channel, 429, 'too many concurrent requests, retry shortly', 'concurrency_limit', { 'retry-after': '1' })
  return { p, group, rec: new RequestRecord(d, group, p), clientUsedQueryKey: client.fromQuery }
}

export async function prepareRequest(a: Admitted, cache: ResponseCache): Promise<Prepared | Response> {
  const { p, group, rec } = a
  const { request } = p
  let body: Uint8Array | null = null
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    try {
      body = new Uint8Array(await request.arrayBuffer())
    } catch {
      rec.finish(499, false, 'client closed the connection while sending the body')
      return new Response(null, { status: 499 })
    }
  }
  let path = p.path
  if (group.needsBody) {
    const rw = rewriteBody(group.channel, group.bodyRules, request.method, path, request.headers.get('content-type'), body)
    if (!rw.ok) {
      rec.finish(rw.status, false, rw.message)
      return nativeError(group.channel, rw.status, rw.message, rw.code ?? 'model_not_allowed')
    }
    body = rw.body
    path = rw.path
    rec.model = rw.model ?? ''
  } else {
    // The answer usually names the model; the request body is only sniffed when it does not (at log time).
    const sent = body
    rec.sniff = () => sniffModel(group.channel, path, sent)
  }
  if (group.settings.enable_request_body_logging && body) rec.requestBody = new TextDecoder().decode(body.subarray(0, LOGGED_BODY_BYTES))
  const rules = group.bodyRules
  const modelList = group.channel.isModelList(request.method, path) && (Object.keys(rules.redirects).length > 0 || rules.strict)
  // One settings check when the cache is off: no hashing, no lookup.
  const ttl = group.settings.cache_ttl_seconds
  if (ttl <= 0) return { ...a, path, body, modelList, cache: null }
  const found = await cache.lookup({ group: group.group.name, ttlSeconds: ttl, method: request.method, path, search: p.url.search, headers: request.headers, body })
  if (found.state === 'hit') {
    // A hit uses no key and costs nothing; its log row says so.
    rec.isStream = found.answer.sse
    if (found.answer.model) rec.model = found.answer.model
    rec.cacheHit = true
    rec.finish(200, true, '')
    return hitResponse(found.answer)
  }
  return { ...a, path, body, modelList, cache: found }
}
