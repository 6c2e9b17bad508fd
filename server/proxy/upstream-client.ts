/**
 * The one place that calls upstreams. Kept small so the HTTP client can be swapped after measuring.
 * `decompress: false` keeps compressed answers byte-exact for the client; redirects are the client's business.
 */
import { brotliDecompressSync } from 'node:zlib'

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

/** The plain bytes of a whole answer body sent with `content-encoding` gzip, deflate or br; null when unknown or corrupt. */
export function decodeBody(bytes: Uint8Array<ArrayBuffer>, encoding: string | null): Uint8Array | null {
  const enc = encoding?.toLowerCase().trim()
  if (!enc || enc === 'identity') return bytes
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return Bun.gunzipSync(bytes)
    if (enc === 'deflate') return Bun.inflateSync(bytes)
    if (enc === 'br') return new Uint8Array(brotliDecompressSync(bytes))
  } catch {
    // a corrupt body is passed through as the upstream sent it; only keypool's own reading gives up
  }
  return null
}

/** Read an error answer (small by nature) as text for classification, decoding gzip/deflate/br when present. */
export async function readErrorBody(res: Response, limit = 1_048_576): Promise<{ bytes: Uint8Array; text: string }> {
  const bytes = new Uint8Array(await res.arrayBuffer())
  const plain = decodeBody(bytes, res.headers.get('content-encoding')) ?? new Uint8Array()
  return { bytes, text: new TextDecoder().decode(plain.subarray(0, limit)) }
}
