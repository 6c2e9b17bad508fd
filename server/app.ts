/**
 * Composes the Elysia app from its plugins over the given parts. Building is apart from listening so tests
 * build the real app and listen on port 0. Order matters: the UI's wildcard comes last so API, proxy,
 * health and metrics routes win.
 */
import { cors } from '@elysiajs/cors'
import { Elysia } from 'elysia'
import { adminPlugin, healthAndMetricsPlugin } from './admin'
import type { AppDeps } from './deps'
import { answerUnhandled } from './shared/error-handling'
import type { ProxyDeps } from './proxy/types'
import { accessKeyScope } from './proxy/access-gate'
import { Limiter } from './proxy/limiter'
import { QUICK_GROUP } from './config/quick-mode-seed'
import { quickModePlugin } from './proxy/quick-mode'
import { rootRequest, rootRoutesPlugin } from './proxy/root-route'
import { proxyPlugin, proxyRequest } from './proxy/route'
import { RuntimeGroups } from './proxy/runtime-groups'
import { TierRotation } from './proxy/route-candidates'
import { SessionAffinity } from './proxy/session-affinity'
import { uiPlugin } from './ui'

export interface AppOptions {
  /** serve the admin UI (default true) */
  ui?: boolean
}

export function createProxyDeps(deps: AppDeps): ProxyDeps {
  return {
    runtime: new RuntimeGroups(deps.groups, deps.settings, () => deps.cluster?.catchUp?.()),
    pool: deps.pool,
    logs: deps.logs,
    metrics: deps.metrics,
    clock: deps.clock,
    fetch: deps.fetch,
    limiter: new Limiter(deps.env.maxConcurrentRequests),
    prices: deps.prices,
    addresses: deps.addresses,
    alerts: deps.alerts,
    affinity: new SessionAffinity(),
    rotation: new TierRotation(),
    callerScope: (key) => accessKeyScope(deps.access, key),
    access: deps.access,
    cache: deps.cache,
  }
}

export function createApp(deps: AppDeps, opts: AppOptions = {}) {
  const proxy = createProxyDeps(deps)
  const { env } = deps
  const quickMode = env.keysFile !== undefined && deps.groups.byName(QUICK_GROUP) !== undefined
  // The proxy also runs as Bun-native routes: Elysia's context for a route carries what any route of the app
  // infers (the admin session cookie, so every proxied answer was parsed for cookies and copied into a new
  // Response). Same handler, no per-request framework work; the Elysia routes stay for app.handle().
  // With ENABLE_CORS the proxy stays on the Elysia routes so the CORS plugin answers preflights and adds headers.
  const nativeRoutes: Record<string, (req: Request, server: unknown) => Promise<Response | undefined>> = {}
  if (!env.enableCors) {
    nativeRoutes['/proxy/*'] = (req, server) => proxyRequest(proxy, req, server)
    nativeRoutes['/v1/*'] = (req, server) => rootRequest(proxy, req, server, quickMode)
    nativeRoutes['/v1beta/*'] = (req, server) => rootRequest(proxy, req, server, quickMode)
  }
  return new Elysia({ name: 'keypool', serve: { routes: nativeRoutes as never } })
    .use(
      env.enableCors
        ? cors({
            origin: env.allowedOrigins.includes('*') ? true : env.allowedOrigins,
            methods: env.allowedMethods,
            allowedHeaders: env.allowedHeaders.includes('*') ? true : env.allowedHeaders,
            credentials: env.allowCredentials,
          })
        : new Elysia({ name: 'cors-off' }),
    )
    .use(healthAndMetricsPlugin(deps, { redisPing: deps.redisPing }))
    .use(adminPlugin(deps))
    .use(proxyPlugin(proxy))
    .use(rootRoutesPlugin(proxy, quickMode))
    .use(quickMode ? quickModePlugin(proxy, { store: deps.store, pool: deps.pool, groups: deps.groups }) : new Elysia({ name: 'quick-off' }))
    .use(opts.ui !== false ? uiPlugin() : new Elysia({ name: 'ui-off' }))
    // last: the admin plugin maps its own errors; this answers what any other route throws
    .onError(answerUnhandled)
}

export type App = ReturnType<typeof createApp>
