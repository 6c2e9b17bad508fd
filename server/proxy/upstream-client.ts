/**
 * The one place that calls upstreams. Kept small so the HTTP client can be swapped after measuring.
 * `decompress: false` keeps compressed answers byte-exact for the client; redirects are the client's business.
 */
export interface UpstreamCall {
  url: string
  method: string
  headers: Headers
  body: Uint8Array | null
  signal: AbortSignal
  proxy?: string
}

export type FetchLike = typeof fetch

export function callUpstream(fetchImpl: FetchLike, call: UpstreamCall): Promise<Response> {
  const init: RequestInit & { decompress?: boolean; proxy?: string } = {
    method: call.method,
    headers: call.headers,
    body: call.body as BodyInit | null,
    redirect: 'manual',
    signal: call.signal,
    decompress: false,
  }
  if (call.proxy) init.proxy = call.proxy
  return fetchImpl(call.url, init)
}
