/**
 * The proxy's request path: proxy-key check, concurrency limit, body rules, then attempts over keys and upstreams
 * until one answers or retries run out (DESIGN.md "The path of one request"). The answer streams to the client;
 * the log row is queued after its last byte.
 */
import type { KeyPool, PickedKey } from '../pool/types'
import type { Clock } from '../deps'
import type { LogWriter } from '../logs/writer'
import { log } from '../shared/logger'
import { startAttempt, type AttemptStarted } from './attempt'
import { rewriteBody, sniffModel } from './body-rules'
import { keyAllowed, readClientKey } from './client-key'
import { clientResponseHeaders } from './headers'
import { channelForPath, nativeError } from './native-error'
import { classifyNetworkError, classifyResponse, type Classified } from './outcome'
import type { Limiter } from './limiter'
import type { RuntimeGroup, RuntimeGroups, RuntimeUpstream } from './runtime-groups'
import { RequestRecord, type RequestMetricSink } from './request-record'
import { streamAnswer, filteredModelList } from './answer'
import { readErrorBody, type FetchLike } from './upstream-client'
import { scrubErrorBody } from './error-scrub'
import { translationFor } from './translation-plan'
import { proxyTranslated } from './translation-run'

export interface ProxyDeps {
  runtime: RuntimeGroups
  pool: KeyPool
  logs: LogWriter
  metrics: RequestMetricSink | null
  clock: Clock
  fetch: FetchLike
  limiter: Limiter
}

export interface ProxyRequest {
  request: Request
  groupName: string
  /** the original path after /proxy/{group}, starting with '/' */
  path: string
  url: URL
  ip: string
  /** set on a translated call: the caller's protocol and the one sent upstream */
  protocols?: { in: string; out: string }
}

export async function handleProxy(d: ProxyDeps, p: ProxyRequest): Promise<Response> {
  const rg = d.runtime.get(p.groupName)
  if (!rg) return nativeError(channelForPath(p.path), 404, `group "${p.groupName}" not found`, 'group_not_found')
  const plan = p.protocols ? null : translationFor(rg, p.request.method, p.path)
  const client = readClientKey(p.request.headers, p.url)
  const allowed = keyAllowed(client.key, d.runtime.globalProxyKeys, rg.proxyKeys)
  if (plan) return proxyTranslated(plan, p, allowed, (q) => handleProxy(d, q))
  if (!allowed)
    return nativeError(rg.channel, 401, 'invalid or missing proxy key', 'invalid_api_key')
  if (!d.limiter.tryAcquire())
    return nativeError(rg.channel, 429, 'too many concurrent requests, retry shortly', 'concurrency_limit', { 'retry-after': '1' })
  const rec = new RequestRecord(d, rg, p)
  try {
    return await proxyWithRetries(d, p, rg, client.fromQuery, rec)
  } catch (err) {
    // Key pool backend (Redis) unreachable or another fault of ours: a clear 503, never a crash.
    log.error('proxy request failed inside the gateway', { group: rg.group.name, error: String(err) })
    rec.finish(503, false, `gateway error: ${String(err)}`)
    return nativeError(rg.channel, 503, 'gateway temporarily unavailable, retry shortly', 'gateway_unavailable', { 'retry-after': '1' })
  }
}

async function proxyWithRetries(
  d: ProxyDeps,
  p: ProxyRequest,
  rg: RuntimeGroup,
  clientUsedQueryKey: boolean,
  rec: RequestRecord,
): Promise<Response> {
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
  if (rg.needsBody) {
    const rw = rewriteBody(rg.channel, rg.bodyRules, request.method, path, request.headers.get('content-type'), body)
    if (!rw.ok) {
      rec.finish(rw.status, false, rw.message)
      return nativeError(rg.channel, rw.status, rw.message, 'model_not_allowed')
    }
    body = rw.body
    path = rw.path
    rec.model = rw.model ?? ''
  } else {
    // The answer usually names the model; the request body is only sniffed when it does not (at log time).
    rec.sniff = () => sniffModel(rg.channel, path, body)
  }
  if (rg.settings.enable_request_body_logging && body) rec.requestBody = new TextDecoder().decode(body.subarray(0, 65_536))

  const query = clientUsedQueryKey ? withoutKeyParam(p.url) : p.url.search
  const modelList = rg.channel.isModelList(request.method, path) && (Object.keys(rg.bodyRules.redirects).length > 0 || rg.bodyRules.strict)
  const maxAttempts = rg.settings.max_retries + 1
  const policy = { blacklistThreshold: rg.settings.blacklist_threshold }
  const tried = new Set<number>()
  let lastFailure: { status: number; headers: Headers; bytes: Uint8Array; error: string } | null = null
  let lastNetworkError = ''
  let retryRow: { status: number; error: string } | null = null

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const picked = await pickKey(d, rg, tried)
    if (!picked) break
    const { key, target } = picked
    tried.add(key.id)
    const now = d.clock.now()
    const upstream = target.upstreams.pick((u) => !u.circuit.isOpen(now))
    if (!upstream) break
    // The failed attempt before this one gets its own 'retry' log row, now that it really was retried.
    if (retryRow) rec.retried(retryRow.status, retryRow.error)
    retryRow = null
    rec.attempt(attempt, key, upstream.url, target)
    let started: AttemptStarted
    try {
      started = await startAttempt({
        fetch: d.fetch,
        target,
        upstream,
        key,
        method: request.method,
        clientHeaders: request.headers,
        pathAndQuery: path + query,
        clientUsedQueryKey,
        body,
        clientIp: p.ip,
        clientSignal: request.signal,
        plainAnswer: modelList,
      })
    } catch (err) {
      if (request.signal.aborted) return clientGone(rec)
      lastNetworkError = networkFailure(d, rec, key, upstream, policy, now, err)
      retryRow = { status: 502, error: lastNetworkError }
      continue
    }
    const { res } = started
    rec.headersAt = d.clock.now()
    if (res.status >= 400) {
      let bytes: Uint8Array
      let text: string
      try {
        ;({ bytes, text } = await readErrorBody(res))
      } catch (err) {
        started.done()
        if (request.signal.aborted) return clientGone(rec)
        lastNetworkError = networkFailure(d, rec, key, upstream, policy, now, err)
        retryRow = { status: 502, error: lastNetworkError }
        continue
      }
      started.done()
      const c = classifyResponse(res.status, res.headers, text, d.clock.now(), rg.failover)
      report(d, key, upstream, c, policy, now)
      lastFailure = { status: res.status, ...scrubErrorBody(bytes, text, res.headers, key.value), error: rec.scrub(c.error) }
      if (c.retry && attempt < maxAttempts) {
        retryRow = { status: res.status, error: lastFailure.error }
        continue
      }
      break
    }
    report(d, key, upstream, { retry: false, key: { kind: 'success' }, upstreamFailure: false, error: '' }, policy, now)
    if (modelList && res.status === 200) return filteredModelList(rg, res, started, rec)
    return streamAnswer(rg, res, started, rec, d.clock)
  }

  if (lastFailure) {
    rec.finish(lastFailure.status, false, lastFailure.error)
    return new Response(lastFailure.bytes as BodyInit, { status: lastFailure.status, headers: clientResponseHeaders(lastFailure.headers) })
  }
  if (lastNetworkError) {
    rec.finish(502, false, lastNetworkError)
    return nativeError(rg.channel, 502, `upstream unreachable: ${lastNetworkError}`, 'upstream_error')
  }
  rec.finish(503, false, 'no available keys')
  return nativeError(rg.channel, 503, 'no available keys in this group', 'no_available_keys')
}

/** For aggregate groups a retry may move to another sub-group; a sub-group without a usable key is skipped. */
async function pickKey(
  d: ProxyDeps,
  rg: RuntimeGroup,
  tried: Set<number>,
): Promise<{ key: PickedKey; target: RuntimeGroup } | null> {
  if (!rg.subGroups) {
    const key = await d.pool.pick(rg.group.id, tried)
    return key ? { key, target: rg } : null
  }
  const exhausted = new Set<number>()
  for (let i = 0; i < rg.subGroups.size; i++) {
    const id = rg.subGroups.pick((gid) => !exhausted.has(gid))
    if (id === null || exhausted.has(id)) return null
    const target = d.runtime.getById(id)
    const key = target ? await d.pool.pick(id, tried) : null
    if (key && target) return { key, target }
    exhausted.add(id)
  }
  return null
}

function clientGone(rec: RequestRecord): Response {
  rec.finish(499, false, 'client closed the connection')
  return new Response(null, { status: 499 })
}

/** Connect/DNS/TLS error or timeout: the upstream's fault, not the key's. Returns the scrubbed reason. */
function networkFailure(
  d: ProxyDeps,
  rec: RequestRecord,
  key: PickedKey,
  upstream: RuntimeUpstream,
  policy: { blacklistThreshold: number },
  now: number,
  err: unknown,
): string {
  const c = classifyNetworkError(err)
  report(d, key, upstream, c, policy, now)
  return rec.scrub(c.error)
}

/** Not awaited: a Redis round trip for the key's state must not delay the answer. */
function report(
  d: ProxyDeps,
  key: PickedKey,
  upstream: RuntimeUpstream,
  c: Classified,
  policy: { blacklistThreshold: number },
  now: number,
): void {
  if (c.upstreamFailure) upstream.circuit.failure(now)
  else upstream.circuit.success()
  try {
    const r = d.pool.report(key, c.key, policy)
    if (r) r.catch((err) => log.warn('key state report failed', { error: String(err) }))
  } catch (err) {
    log.warn('key state report failed', { error: String(err) })
  }
}

function withoutKeyParam(url: URL): string {
  const q = new URLSearchParams(url.search)
  q.delete('key')
  const s = q.toString()
  return s ? `?${s}` : ''
}
