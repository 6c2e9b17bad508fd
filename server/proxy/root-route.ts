/**
 * The root routes `ANY /v1/*` and `ANY /v1beta/*`: one base URL for every model. Model calls are routed by model
 * (server/proxy/routed.ts), the model lists answered by keypool (server/proxy/root-models.ts). In quick mode the
 * `default` group keeps serving everything else under /v1 as it always did, model lists included.
 */
import { Elysia } from 'elysia'
import { QUICK_GROUP } from '../config/quick-mode-seed'
import { handleProxy } from './handler'
import { channelForPath, nativeError } from './native-error'
import { quickProxyRequest } from './quick-mode'
import { modelListOf, rootCallOf } from './root-protocol'
import { listRootModels } from './root-models'
import { handleRouted } from './routed'
import { proxyContext } from './route'
import type { ProxyDeps } from './types'
import { isWebSocketUpgrade } from './websocket-upgrade'

export function rootRequest(d: ProxyDeps, request: Request, server: unknown, quickMode: boolean): Promise<Response | undefined> {
  if (quickMode && isWebSocketUpgrade(request)) return quickProxyRequest(d, request, server)
  const { url, ip } = proxyContext(d, request, server)
  const path = url.pathname
  const p = { request, groupName: '', path, url, ip }
  const call = rootCallOf(request.method, path)
  if (call) return handleRouted(d, p, call, quickMode ? (q) => handleProxy(d, { ...q, groupName: QUICK_GROUP }) : undefined)
  if (quickMode) return quickProxyRequest(d, request, server)
  const list = modelListOf(request.method, path, request.headers)
  if (list) return Promise.resolve(listRootModels(d, p, list))
  const message = `${request.method} ${path} is not a model call keypool routes; use /proxy/{group}${path}`
  return Promise.resolve(nativeError(channelForPath(path), 404, message, 'not_found'))
}

export function rootRoutesPlugin(d: ProxyDeps, quickMode: boolean) {
  const serve = ({ request, server }: { request: Request; server: unknown }) => rootRequest(d, request, server, quickMode)
  return new Elysia({ name: 'proxy.root' }).all('/v1/*', serve, { parse: 'none' }).all('/v1beta/*', serve, { parse: 'none' })
}
