/**
 * `ANY /proxy/{group}/{path}`. `proxyRequest` is the whole entry: it is mounted both as an Elysia route (parse:
 * 'none', so the body stays a stream for the handler) and, in server/app.ts, as a Bun-native route that serves real
 * HTTP traffic without Elysia's per-request context (measured: see app.ts).
 */
import { Elysia } from 'elysia'
import { handleProxy } from './handler'
import { channelForPath, nativeError } from './native-error'
import type { ProxyDeps } from './types'
import { canUpgrade, isWebSocketUpgrade, upgradeProxy } from './websocket-upgrade'

type BunServer = { timeout?(req: Request, seconds: number): void; requestIP?(req: Request): { address: string } | null }

export function proxyContext(d: Pick<ProxyDeps, 'addresses'>, request: Request, server: unknown): { url: URL; ip: string } {
  const s = server as BunServer | null
  // keypool enforces request_timeout itself; Bun's idle timer would cut a slow model before its first byte
  s?.timeout?.(request, 0)
  return { url: new URL(request.url), ip: d.addresses.of(request, s) }
}

/** Resolves to undefined when the request was a WebSocket upgrade that succeeded (Bun then owns the socket). */
export function proxyRequest(d: ProxyDeps, request: Request, server: unknown): Promise<Response | undefined> {
  const { url, ip } = proxyContext(d, request, server)
  // Read group and path from the raw pathname so the forwarded path keeps its exact encoding.
  const rest = url.pathname.slice('/proxy/'.length)
  const slash = rest.indexOf('/')
  const rawName = slash === -1 ? rest : rest.slice(0, slash)
  const path = slash === -1 ? '/' : rest.slice(slash)
  const groupName = rawName.includes('%') ? decodeOrNull(rawName) : rawName
  if (groupName === null)
    return Promise.resolve(nativeError(channelForPath(path), 400, 'malformed percent-encoding in the group name', 'invalid_request'))
  const p = { request, groupName, path, url, ip }
  const serve = () => (isWebSocketUpgrade(request) && canUpgrade(server) ? upgradeProxy(d, p, server) : handleProxy(d, p))
  // a group another node of the cluster created a moment ago is served, not refused as unknown
  if (!d.runtime.get(groupName)) return d.runtime.catchUp().then(serve)
  return serve()
}

function decodeOrNull(s: string): string | null {
  try {
    return decodeURIComponent(s)
  } catch {
    return null
  }
}

export function proxyPlugin(d: ProxyDeps) {
  return new Elysia({ name: 'proxy' }).all('/proxy/:group/*', ({ request, server }) => proxyRequest(d, request, server), {
    parse: 'none',
  })
}
