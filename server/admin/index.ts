/**
 * The admin API: every `/api/*` route, one named plugin per resource, all behind the `{ auth: true }` macro but
 * login/logout. Errors from every admin route are mapped here, once, to `{code, message}`.
 */
import { Elysia } from 'elysia'
import type { AdminDeps } from './deps'
import { notFound, validationError } from '../shared/errors'
import { AdminAuth, PUBLIC_ROUTES, authGuard, authRoutes, type RequestIpServer } from './auth'
import { checkContentType, parseJsonBody } from './request-body'
import { adminError } from './error-map'
import { downloadKeyOf } from './download-key'
import { channelTypeRoutes } from './channel-types'
import type { AdminContext } from './context'
import { dashboardRoutes } from './dashboard'
import { groupRoutes } from './groups'
import { keyCheckRoutes } from './key-checks'
import { keyRoutes } from './keys'
import { logRoutes } from './logs'
import { modelPriceRoutes } from './model-prices'
import { buildOpenApi, type RouteInfo } from './openapi'
import { settingsRoutes } from './settings'
import { taskRoutes } from './tasks'
import { accessKeyRoutes } from './access-keys'
import { integrationRoutes } from './integration'

export { healthAndMetricsPlugin } from './health'

let seeds = 0

export function adminPlugin(deps: AdminDeps) {
  const ctx: AdminContext = { deps, auth: new AdminAuth(deps.authKey, deps.clock, () => deps.cluster?.sessionRevocations, deps.addresses), seed: ++seeds }
  // Filled once the instance exists: the OpenAPI route describes the instance it belongs to.
  let routes: RouteInfo[] = []
  const gate = async (request: Request, server: RequestIpServer, route: string) => {
    if (!PUBLIC_ROUTES.has(`${request.method} ${route}`)) await ctx.auth.authenticate(request, server, downloadKeyOf(request, route))
    checkContentType(request, route)
  }
  const admin = new Elysia({ name: 'admin', seed: ctx.seed })
    .onError(adminError)
    // Auth first, then the body's type, then its shape: an unauthenticated caller learns nothing from schema
    // messages. onParse runs for requests with a body, before Elysia validates anything; onTransform for all.
    .onParse(async ({ request, server, route }) => {
      await gate(request, server, route)
      return parseJsonBody(request)
    })
    .onTransform(async ({ body, request, server, route }) => {
      await gate(request, server, route)
      // Elysia turns any JSON (an array, a string, a number) into an object for an object schema: `[1]` became an
      // empty update answered 200 and `"abc"` became settings "0", "1", "2". Only the reorder route takes an array.
      if (body === undefined || body === null || body === '') return
      if (Array.isArray(body) ? route !== '/api/groups/reorder' : typeof body !== 'object')
        throw validationError('the request body must be a JSON object')
    })
    .use(authRoutes(ctx.auth))
    .use(groupRoutes(ctx))
    .use(keyRoutes(ctx))
    .use(keyCheckRoutes(ctx))
    .use(taskRoutes(ctx))
    .use(logRoutes(ctx))
    .use(dashboardRoutes(ctx))
    .use(modelPriceRoutes(ctx))
    .use(settingsRoutes(ctx))
    .use(channelTypeRoutes(ctx))
    .use(accessKeyRoutes(ctx))
    .use(integrationRoutes(ctx))
    .use(authGuard(ctx.auth))
    // The bare document (no envelope): OpenAPI tools read `openapi` and `paths` at the top level.
    .get('/api/openapi.json', () => buildOpenApi(routes, deps.version), {
      auth: true,
      detail: { summary: 'This document' },
    })
    .all(
      '/api/*',
      ({ request }) => {
        // a path that is not even valid percent-encoding is a bad request, not a missing route
        decodeURIComponent(new URL(request.url).pathname)
        throw notFound('no such route')
      },
      { auth: true },
    )
  routes = admin.routes as unknown as RouteInfo[]
  return admin
}
