/**
 * Step one of the proxy path: everything decided before any upstream is called. The caller is admitted (proxy key,
 * group, concurrency slot), then its body is read and the group's body rules applied (model redirect, overrides,
 * strict models). Every refusal is answered here in the channel's native error shape.
 */
import type { Translation } from '../translate'
import { hitResponse, type CacheSlot, type CacheState, type ResponseCache } from '../cache/service'
import { rewriteBody, sniffModel } from './body-rules'
import { admitAccessKey, identifyCaller, isAccessKey, refusalResponse, requestModel } from './access-gate'
import type { AccessCaller } from './access-gate'
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
  /** the caller's access key and the control that admits it (null for a proxy key) */
  access: AccessCaller | null
}

/** An admitted request ready for attempts: the bytes and path to send upstream. */
export interface Prepared extends Admitted {
  /** after body rules (a model redirect may rewrite a gemini path) */
  path: string
  body: Uint8Array | null
  /** a model list keypool filters itself (model redirect rules or strict models apply) */
  modelList: boolean
  /** a routed call translated into this group's protocol: its answers are translated back for the caller */
  translation?: Translation
  /** set when the group caches answers: what the lookup found, and where a fresh 200 answer is stored */
  cache: { state: CacheState; slot: CacheSlot | null } | null
}

const NO_KEYS: ReadonlySet<string> = new Set()
/** Request bytes kept in the log row when request-body logging is on. */
const LOGGED_BODY_BYTES = 65_536

/**
 * Whether the caller's key may use this group (a global proxy key may use any, and is told apart from none), or is
 * an access key (its scopes and limits are checked when the translated call comes back through admitRequest).
 */
export function callerAllowed(d: ProxyDeps, key: string | null, group: RuntimeGroup | undefined): boolean {
  return keyAllowed(key, d.runtime.globalProxyKeys, group?.proxyKeys ?? NO_KEYS) || d.access?.find(key) !== undefined
}

/** Synchronous and without I/O: a refusal costs nothing but the check. */
export function admitRequest(d: ProxyDeps, p: ProxyRequest): Admitted | Response {
  // The key first, and its refusal the same for every group name (in the path's shape, not the group's), so a
  // caller without a valid key learns nothing about which groups exist.
  const client = readClientKey(p.request.headers, p.url)
  const group = d.runtime.get(p.groupName)
  const caller = identifyCaller(d, client.key, group, p)
  if (caller !== 'proxy' && !isAccessKey(caller))
    return refusalResponse(caller.status === 401 || !group ? channelForPath(p.path) : group.channel, caller)
  if (!group) return nativeError(channelForPath(p.path), 404, `group "${p.groupName}" not found`, 'group_not_found')
  if (!d.limiter.tryAcquire())
    return nativeError(group.channel, 429, 'too many concurrent requests, retry shortly', 'concurrency_limit', { 'retry-after': '1' })
  const access = caller === 'proxy' ? null : { key: caller, control: d.access! }
  return { p, group, rec: new RequestRecord(d, group, p), clientUsedQueryKey: client.fromQuery, access }
}

export async function prepareRequest(a: Admitted, cache: ResponseCache): Promise<Prepared | Response> {
  const { p, group, rec } = a
  // an access key without model globs is admitted before its body is read: a refused flood uploads nothing
  const admitEarly = a.access !== null && a.access.key.models === null
  if (admitEarly) {
    let refused = admitAccessKey(a.access!, group, rec, () => null)
    if (refused instanceof Promise) refused = await refused
    if (refused) return refused
  }
  const body = await readBody(p.request)
  if (body === CLIENT_GONE) {
    rec.finish(499, false, 'client closed the connection while sending the body')
    return new Response(null, { status: 499 })
  }
  if (a.access && !admitEarly) {
    const sent = body
    let refused = admitAccessKey(a.access, group, rec, () => requestModel(group, p.path, sent))
    if (refused instanceof Promise) refused = await refused
    if (refused) return refused
  }
  const prepared = applyBodyRules(a, body)
  return prepared instanceof Response ? prepared : lookUpCache(prepared, cache)
}

export const CLIENT_GONE = Symbol('client gone')

/** The whole request body (null for GET and HEAD), or CLIENT_GONE when the client left while sending it. */
export async function readBody(request: Request): Promise<Uint8Array | null | typeof CLIENT_GONE> {
  if (request.method === 'GET' || request.method === 'HEAD') return null
  try {
    return new Uint8Array(await request.arrayBuffer())
  } catch {
    return CLIENT_GONE
  }
}

/** The group's body rules on bytes already read (a routed request applies each candidate group's own). */
export function applyBodyRules(a: Admitted, original: Uint8Array | null): Prepared | Response {
  const { p, group, rec } = a
  const { request } = p
  let body = original
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
  const streamUsage = group.channel.streamUsage
  if (streamUsage && (rec.needsUsage || group.settings.openai_stream_usage)) {
    const asked = streamUsage.ask(path, body)
    if (asked) {
      body = asked
      rec.hideUsageChunk = true
    }
  }
  if (group.settings.enable_request_body_logging && body) rec.requestBody = new TextDecoder().decode(body.subarray(0, LOGGED_BODY_BYTES))
  const rules = group.bodyRules
  const modelList = group.channel.isModelList(request.method, path) && (Object.keys(rules.redirects).length > 0 || rules.strict)
  return { ...a, path, body, modelList, cache: null }
}

/**
 * The response cache of a group that turned it on: a hit answers here; a miss carries where to store the answer.
 * A routed call looks up each candidate group's cache as it comes to it (server/proxy/routed.ts).
 */
export async function lookUpCache(r: Prepared, cache: ResponseCache): Promise<Prepared | Response> {
  // One settings check when the cache is off: no hashing, no lookup.
  const ttl = r.group.settings.cache_ttl_seconds
  if (ttl <= 0) return r
  const { request } = r.p
  const found = await cache.lookup({ group: r.group.group.name, ttlSeconds: ttl, method: request.method, path: r.path, search: r.p.url.search, headers: request.headers, body: r.body })
  if (found.state === 'hit') {
    // A hit uses no key and costs nothing; its log row says so (and names the group whose cache answered).
    r.rec.servedBy(r.group)
    r.rec.isStream = found.answer.sse
    if (found.answer.model) r.rec.model = found.answer.model
    r.rec.cacheHit = true
    r.rec.finish(200, true, '')
    return hitResponse(found.answer)
  }
  return { ...r, cache: found }
}
