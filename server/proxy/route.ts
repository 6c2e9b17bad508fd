/**
 * `ANY /proxy/{group}/{path}`. `proxyRequest` is the whole entry: it is mounted both as an Elysia route (parse:
 * 'none', so the body stays a stream for the handler) and, in server/app.ts, as a Bun-native route that serves real
 * HTTP traffic without Elysia's per-request context (measured: see app.ts).
 */
import { Elysia } from 'elysia'
import { clientIp } from './headers'
import { handleProxy, type ProxyDeps } from './handler'
import { canUpgrade, isWebSocketUpgrade, upgradeProxy } from './websocket-upgrade'

type BunServer = { timeout?(req: Request, seconds: number): void; requestIP?(req: Request): { address: string } | null }

export function proxyContext(request: Request, server: unknown): { url: URL; ip: string } {
  const s = server as BunServer | null
  // keypool enforces request_timeout itself; Bun's idle timer would cut a slow model before its first byte
  s?.timeout?.(request, 0)
  return { url: new URL(request.url), ip: clientIp(request.headers, s?.requestIP?.(request)?.address) }
}

/** Resolves to undefined when the request was a WebSocket upgrade that succeeded (Bun then owns the socket). */
export function proxyRequest(d: ProxyDeps, request: Request, server: unknown): Promise<Response | undefined> {
  const { url, ip } = proxyContext(request, server)
  // Read group and path from the raw pathname so the forwarded path keeps its exact encoding.
  const rest = url.pathname.slice('/proxy/'.length)
  const slash = rest.indexOf('/')
  const rawName = slash === -1 ? rest : rest.slice(0, slash)
  const groupName = rawName.includes('%') ? decodeURIComponent(rawName) : rawName
  const path = slash === -1 ? '/' : rest.slice(slash)
  const p = { request, groupName, path, url, ip }
  if (isWebSocketUpgrade(request) && canUpgrade(server)) return upgradeProxy(d, p, server)
  return handleProxy(d, p)
}

export function proxyPlugin(d: ProxyDeps) {
  return new Elysia({ name: 'proxy' }).all('/proxy/:group/*', ({ request, server }) => proxyRequest(d, request, server), {
    parse: 'none',
  })
}
