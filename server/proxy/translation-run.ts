/**
 * A translated proxy call: the caller's request is rewritten into the group's protocol and proxied exactly like a
 * native one (same keys, retries, limits, usage and log row), then its answer, stream or error is rewritten back
 * into the caller's shape. Streams are translated event by event as they arrive.
 */
import { errorBody, translateAnswer, translateError, TranslateError, translateRequest, translateStream, type Translation } from '../translate'
import type { ProxyRequest } from './types'
import type { TranslationPlan } from './translation-plan'

export const DROPPED_HEADER = 'x-keypool-dropped-params'

const PROTOCOL_NAME = { openai: 'Chat Completions', anthropic: 'Anthropic Messages', gemini: 'Gemini generateContent', responses: 'OpenAI Responses' } as const

export async function proxyTranslated(
  plan: TranslationPlan,
  p: ProxyRequest,
  keyAllowed: boolean,
  proxy: (q: ProxyRequest) => Promise<Response>,
): Promise<Response> {
  // refused before the body is read or parsed, as a native call is
  if (!keyAllowed) return json(401, errorBody(plan.caller, 401, 'invalid or missing proxy key', 'invalid_api_key'), [])
  let text: string
  try {
    text = await p.request.text()
  } catch {
    return new Response(null, { status: 499 })
  }
  const refuse = (message: string) => json(400, errorBody(plan.caller, 400, message, 'invalid_request_error'), [])
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return refuse('the request body is not valid JSON')
  }
  let t: Translation
  try {
    t = translateRequest(plan.caller, plan.upstream, p.path + p.url.search, parsed)
  } catch (err) {
    // A TranslateError names the field; anything else is a body that is not this protocol's request at all.
    if (err instanceof TranslateError) return refuse(`cannot translate this request: ${err.message}`)
    return refuse(`cannot translate this request: the body is not a valid ${PROTOCOL_NAME[plan.caller]} request`)
  }
  const q = upstreamRequest(p, t)
  const res = await proxy(q)
  return translatedAnswer(t, res)
}

function upstreamRequest(p: ProxyRequest, t: Translation): ProxyRequest {
  const [path, query] = t.path.split('?', 2) as [string, string | undefined]
  const url = new URL(`${p.url.origin}${p.url.pathname.slice(0, p.url.pathname.length - p.path.length)}${path}`)
  if (query) url.search = query
  // the client's own `?key=` stays where the proxy reads it
  const key = p.url.searchParams.get('key')
  if (key) url.searchParams.set('key', key)
  const headers = new Headers(p.request.headers)
  headers.delete('content-length')
  headers.set('content-type', 'application/json')
  // keypool reads the answer itself: ask for it uncompressed
  headers.set('accept-encoding', 'identity')
  const request = new Request(url, { method: 'POST', headers, body: JSON.stringify(t.body), signal: p.request.signal })
  return { ...p, request, path, url, protocols: { in: t.caller, out: t.upstream } }
}

async function translatedAnswer(t: Translation, res: Response): Promise<Response> {
  if (!res.body || res.status === 499) return res
  const headers = new Headers(res.headers)
  for (const h of ['content-length', 'content-encoding', 'content-type', 'transfer-encoding']) headers.delete(h)
  if (t.dropped.length) headers.set(DROPPED_HEADER, t.dropped.join(', '))
  if (res.status >= 400) {
    const text = await res.text().catch(() => '')
    return json(res.status, translateError(t, res.status, text), t.dropped, headers)
  }
  const body = plainBody(res)
  if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    headers.set('content-type', t.caller === 'gemini' && !t.callerSse ? 'application/json' : 'text/event-stream')
    headers.set('cache-control', 'no-cache')
    return new Response(translateStream(t, body), { status: res.status, headers })
  }
  let translated: unknown
  try {
    translated = translateAnswer(t, await new Response(body).json())
  } catch {
    return json(502, errorBody(t.caller, 502, 'the upstream answer could not be read for translation', 'upstream_error'), t.dropped, headers)
  }
  return json(res.status, translated, t.dropped, headers)
}

/** An upstream that compressed anyway (it was asked not to) is inflated here. */
function plainBody(res: Response): ReadableStream<Uint8Array> {
  const enc = res.headers.get('content-encoding')
  const body = res.body!
  if (enc === 'gzip' || enc === 'deflate') return body.pipeThrough(new DecompressionStream(enc))
  return body
}

function json(status: number, body: unknown, dropped: string[], base?: Headers): Response {
  const headers = new Headers(base)
  headers.set('content-type', 'application/json')
  if (dropped.length) headers.set(DROPPED_HEADER, dropped.join(', '))
  return new Response(JSON.stringify(body), { status, headers })
}
