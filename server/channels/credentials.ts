import type { Channel, InjectTarget } from './types.ts'

/** Every place a client can put a key; all are cleared so the client's proxy key never reaches upstream. */
export const CREDENTIAL_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key'] as const
export const CREDENTIAL_QUERY_PARAM = 'key'

/**
 * The proxy key a client sent, looked up in the order docs/architecture.md ("The path of one request") gives: `?key=`,
 * `Authorization: Bearer`, `x-api-key`, `x-goog-api-key`. `fromQuery` tells gemini to answer in the same style.
 */
export function readClientKey(headers: Headers, url: URL): { key: string | null; fromQuery: boolean } {
  // searchParams builds a parser per URL: only when the query can hold a key at all (hot path)
  const query = hasKeyParam(url) ? url.searchParams.get(CREDENTIAL_QUERY_PARAM) : null
  if (query) return { key: query, fromQuery: true }
  const auth = headers.get('authorization')
  const bearer = auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : ''
  const key = bearer || headers.get('x-api-key') || headers.get('x-goog-api-key') || null
  return { key, fromQuery: false }
}

/**
 * The one place a client's credentials leave an upstream request: every header and the `?key=` a client could put
 * its proxy key in are removed, then the channel sets the pool key where it sends it.
 */
export function withPoolKey(channel: Channel, target: InjectTarget, key: string): void {
  for (const name of CREDENTIAL_HEADERS) target.headers.delete(name)
  if (hasKeyParam(target.url)) target.url.searchParams.delete(CREDENTIAL_QUERY_PARAM)
  channel.injectKey(target, key)
}

function hasKeyParam(url: URL): boolean {
  const q = url.search
  return q.length > 0 && (q.startsWith('?key=') || q.includes('&key='))
}

/** `/v1/models/` and `/v1/models?x` both name the list: compare the bare path. */
export function barePath(path: string): string {
  const q = path.indexOf('?')
  const p = q === -1 ? path : path.slice(0, q)
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p
}

/** Replaces `{model}` in a configured validation endpoint (gemini puts the model in the path). */
export function withModel(endpoint: string, model: string): string {
  return endpoint.replaceAll('{model}', encodeURIComponent(model))
}
