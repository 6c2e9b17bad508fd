/**
 * A WebSocket upgrade on the proxy (OpenAI Realtime, Responses WebSocket mode, Gemini Live): the same proxy-key
 * check as HTTP, then the upstream handshake with a pool key, rotating to the next key when the upstream refuses
 * it (401/403/429/5xx reported to the pool as the HTTP path does). Only once the upstream said 101 is the client
 * upgraded, so a refusal reaches the client as an HTTP error in the channel's native shape.
 */
import type { PickedKey } from '../pool/types'
import { admitAccessKey, identifyCaller, isAccessKey, refusalResponse } from './access-gate'
import { readClientKey } from './client-key'
import { withPoolKey } from '../channels/credentials'
import { pickKey, report } from './attempt-keys'
import { applyHeaderRules, upstreamRequestHeaders } from './headers'
import { channelForPath, nativeError } from './native-error'
import { classifyNetworkError, classifyResponse, type Classified } from './outcome'
import { RequestRecord } from './request-record'
import type { RuntimeGroup, RuntimeUpstream } from './runtime-groups'
import type { ProxyDeps, ProxyRequest } from './types'
import { readClientProtocols } from './websocket-protocols'
import { WebSocketSession, type SocketHandlers } from './websocket-session'
import { openUpstreamSocket, toWebSocketUrl } from './websocket-upstream'

/** The part of Bun's server an upgrade needs. */
export interface UpgradeServer {
  upgrade(req: Request, options: { data: SocketHandlers; headers?: HeadersInit }): boolean
}

/** One header lookup on the hot path: every other request goes on to the HTTP proxy untouched. */
export function isWebSocketUpgrade(request: Request): boolean {
  const u = request.headers.get('upgrade')
  return u !== null && u.toLowerCase() === 'websocket'
}

export function canUpgrade(server: unknown): server is UpgradeServer {
  return typeof (server as UpgradeServer | null)?.upgrade === 'function'
}

// The handshake's own headers are the WebSocket client's to write; the rest of the client's headers pass on.
const HANDSHAKE_HEADERS = ['sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol', 'sec-websocket-accept']

let sessionSeq = 0

/** Answers an HTTP error, or undefined once the client's connection was upgraded. */
export async function upgradeProxy(d: ProxyDeps, p: ProxyRequest, server: UpgradeServer): Promise<Response | undefined> {
  // As on HTTP: the key first, refused alike for every group name, so no caller without one learns which exist.
  const client = readClientKey(p.request.headers, p.url)
  const protocols = readClientProtocols(p.request.headers.get('sec-websocket-protocol'))
  const key = client.key ?? protocols.key
  const rg = d.runtime.get(p.groupName)
  const caller = identifyCaller(d, key, rg, p)
  if (caller !== 'proxy' && !isAccessKey(caller))
    return refusalResponse(caller.status === 401 || !rg ? channelForPath(p.path) : rg.channel, caller)
  if (!rg) return nativeError(channelForPath(p.path), 404, `group "${p.groupName}" not found`, 'group_not_found')
  if (!d.limiter.tryAcquire())
    return nativeError(rg.channel, 429, 'too many concurrent requests, retry shortly', 'concurrency_limit', { 'retry-after': '1' })
  // The session holds its concurrency slot until it ends, as a stream holds it until its last byte.
  const rec = new RequestRecord(d, rg, p)
  rec.isStream = true
  rec.model = p.url.searchParams.get('model') ?? ''
  if (isAccessKey(caller)) {
    const refused = await admitAccessKey({ key: caller, control: d.access! }, rg, rec, () => rec.model || null)
    if (refused) return refused
  }
  try {
    return await connect(d, p, rg, rec, server, protocols.forward, client.fromQuery)
  } catch (err) {
    rec.finish(503, false, `gateway error: ${String(err)}`)
    return nativeError(rg.channel, 503, 'gateway temporarily unavailable, retry shortly', 'gateway_unavailable', { 'retry-after': '1' })
  }
}

async function connect(
  d: ProxyDeps,
  p: ProxyRequest,
  rg: RuntimeGroup,
  rec: RequestRecord,
  server: UpgradeServer,
  protocols: string[],
  clientUsedQueryKey: boolean,
): Promise<Response | undefined> {
  const query = p.url.search
  const maxAttempts = rg.settings.max_retries + 1
  const policy = { blacklistThreshold: rg.settings.blacklist_threshold }
  const tried = new Set<number>()
  let last: { status: number; error: string } | null = null
  let retryRow: { status: number; error: string } | null = null

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const picked = await pickKey(d, rg, tried)
    if (!picked) break
    const { key, target } = picked
    tried.add(key.id)
    const now = d.clock.now()
    const upstream = target.upstreams.pick((u) => !u.circuit.isOpen(now))
    if (!upstream) break
    upstream.circuit.dispatched(now)
    if (retryRow) rec.retried(retryRow.status, retryRow.error)
    retryRow = null
    rec.attempt(attempt, key, upstream.url, target)
    const { url, headers } = upstreamHandshake(target, upstream, key, p, query, clientUsedQueryKey)
    const opened = await openUpstreamSocket({
      url,
      headers,
      protocols,
      proxy: target.settings.proxy_url || undefined,
      timeoutMs: target.settings.connect_timeout * 1000,
      signal: p.request.signal,
    })
    if (opened.ok) {
      report(d, key, upstream, { retry: false, key: { kind: 'success' }, upstreamFailure: false, error: '' }, policy, now)
      rec.headersAt = d.clock.now()
      const session = new WebSocketSession({
        upstream: opened.ws,
        rec,
        clock: d.clock,
        onUpstreamClose(code, reason) {
          // After the 101 the key can no longer be swapped, but a reason like "API key expired" still counts
          // against it, as the same words in an HTTP error body would.
          if (code === 1000 || !reason) return
          const c = classifyResponse(400, new Headers(), reason, d.clock.now(), null)
          if (c.key.kind === 'key_failure') report(d, key, upstream, c, policy, d.clock.now())
        },
      })
      const answer = opened.protocol ? { 'sec-websocket-protocol': opened.protocol } : undefined
      if (server.upgrade(p.request, { data: session, headers: answer })) return undefined
      // Bun refused the client's handshake (malformed Sec-WebSocket-Key/Version): the client's fault.
      opened.ws.close(1000)
      rec.finish(400, false, 'malformed WebSocket handshake')
      return nativeError(rg.channel, 400, 'malformed WebSocket handshake', 'invalid_request')
    }
    if (p.request.signal.aborted) {
      rec.finish(499, false, 'client closed the connection')
      return new Response(null, { status: 499 })
    }
    const c: Classified =
      opened.status === null
        ? classifyNetworkError(new Error(opened.error))
        : classifyResponse(opened.status, new Headers(), '', d.clock.now(), target.failover)
    report(d, key, upstream, c, policy, now)
    last = { status: opened.status ?? 502, error: rec.scrub(opened.status === null ? c.error : opened.error) }
    if (c.retry && attempt < maxAttempts) {
      retryRow = last
      continue
    }
    break
  }

  if (last) {
    rec.finish(last.status, false, last.error)
    const message = last.status === 502 ? `upstream unreachable: ${last.error}` : last.error
    return nativeError(rg.channel, last.status, message, last.status === 502 ? 'upstream_error' : undefined)
  }
  rec.finish(503, false, 'no available keys')
  return nativeError(rg.channel, 503, 'no available keys in this group', 'no_available_keys')
}

/** The upstream's ws(s) URL and handshake headers: the client's, without its credentials, with the pool key. */
function upstreamHandshake(
  target: RuntimeGroup,
  upstream: RuntimeUpstream,
  key: PickedKey,
  p: ProxyRequest,
  query: string,
  clientUsedQueryKey: boolean,
): { url: string; headers: Headers } {
  const url = new URL(upstream.base + p.path + query)
  const headers = upstreamRequestHeaders(p.request.headers)
  for (const name of HANDSHAKE_HEADERS) headers.delete(name)
  withPoolKey(target.channel, { headers, url, clientUsedQueryKey }, key.value)
  if (target.group.header_rules.length > 0)
    applyHeaderRules(headers, target.group.header_rules, {
      CLIENT_IP: p.ip,
      GROUP_NAME: target.group.name,
      API_KEY: key.value,
      REQUEST_ID: `ws-${Date.now().toString(36)}-${(++sessionSeq).toString(36)}`,
    })
  return { url: toWebSocketUrl(url), headers }
}
