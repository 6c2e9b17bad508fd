/**
 * `GET /api/openapi.json`: an OpenAPI 3.0 document generated from the routes' own TypeBox schemas (they are JSON
 * Schema already), so the description cannot drift from what the server validates.
 */
import { PUBLIC_ROUTES } from './auth'

type Json = Record<string, unknown>

export interface RouteInfo {
  method: string
  path: string
  hooks: {
    body?: unknown
    query?: unknown
    params?: unknown
    response?: unknown
    /** `requestBody.content` here adds media types beside the JSON body (an upload form) */
    detail?: { summary?: string; description?: string; requestBody?: unknown }
  }
}

/**
 * Elysia widens numeric, integer and boolean fields to also accept their string form (`anyOf: [string with
 * format, number]`); the document shows the real type.
 */
export function cleanSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(cleanSchema)
  if (typeof s !== 'object' || s === null) return s
  const o = s as Json
  if (Array.isArray(o.anyOf)) {
    const real = (o.anyOf as Json[]).filter((b) => !(b.type === 'string' && typeof b.format === 'string'))
    if (real.length === 1 && real.length < o.anyOf.length) {
      const { anyOf: _a, ...rest } = o
      return cleanSchema({ ...rest, ...real[0] })
    }
  }
  const out: Json = {}
  for (const [k, v] of Object.entries(o)) {
    if (k === 'default' && typeof o.enum === 'object') continue // UnionEnum puts its first value as a default
    out[k] = cleanSchema(v)
  }
  return out
}

const ERROR_RESPONSE = {
  description: 'Error: {code, message}',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
}

function parametersOf(kind: 'query' | 'path', schema: unknown): Json[] {
  const s = cleanSchema(schema) as Json | undefined
  if (!s || typeof s.properties !== 'object') return []
  const required = new Set((s.required as string[] | undefined) ?? [])
  return Object.entries(s.properties as Json).map(([name, schema]) => ({
    name,
    in: kind,
    required: kind === 'path' || required.has(name),
    schema,
  }))
}

export function buildOpenApi(routes: RouteInfo[], version: string): Json {
  const paths: Record<string, Json> = {}
  for (const r of routes) {
    if (r.path.endsWith('*') || r.method === 'ALL') continue
    const path = r.path.replace(/:(\w+)/g, '{$1}')
    const op: Json = {
      summary: r.hooks.detail?.summary ?? '',
      tags: [r.path.split('/')[2] ?? 'other'],
      parameters: [...parametersOf('path', r.hooks.params), ...parametersOf('query', r.hooks.query)],
      responses: {
        200: r.hooks.response
          ? { description: 'Success', content: { 'application/json': { schema: cleanSchema(r.hooks.response) } } }
          : { description: 'Success' },
        400: ERROR_RESPONSE,
        401: ERROR_RESPONSE,
      },
    }
    if (r.hooks.body) {
      const extra = (r.hooks.detail?.requestBody as { content?: Json } | undefined)?.content ?? {}
      op.requestBody = { required: true, content: { 'application/json': { schema: cleanSchema(r.hooks.body) }, ...extra } }
      ;(op.responses as Json)[415] = ERROR_RESPONSE // a body not declared application/json
    }
    // Elysia removes a macro's key from the route's hooks once applied, so `hooks.auth` cannot tell: the list can.
    if (PUBLIC_ROUTES.has(`${r.method} ${r.path}`)) op.security = []
    ;(paths[path] ??= {})[r.method.toLowerCase()] = op
  }
  return {
    openapi: '3.0.3',
    info: { title: 'keypool admin API', version },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'AUTH_KEY' },
        session: { type: 'apiKey', in: 'cookie', name: 'keypool_session' },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  }
}
