/**
 * Opens the upstream side of a proxied WebSocket with Bun's WebSocket client, up to the end of the handshake.
 * Bun's client does not expose a refused handshake's response: its error text carries the status
 * ("Expected 101 status code: 401"), which is enough to classify the key; the headers and body are lost, so a
 * refused 429 cools the key for the default time instead of Retry-After.
 */

export interface UpstreamSocketCall {
  /** ws:// or wss:// URL with the real key already injected where the channel puts it */
  url: string
  headers: Headers
  protocols: string[]
  proxy?: string
  /** handshake deadline */
  timeoutMs: number
  /** the client went away while the handshake was in flight */
  signal: AbortSignal
}

export type UpstreamSocketResult =
  | { ok: true; ws: WebSocket; protocol: string; extensions: string }
  /** status: the HTTP status the upstream answered instead of 101; null when no answer (network, timeout, abort) */
  | { ok: false; status: number | null; error: string }

// The DOM lib's WebSocket type hides Bun's constructor overload that takes headers, proxy and TLS options.
const BunWebSocket = WebSocket as unknown as new (url: string, options: Bun.WebSocketOptions) => WebSocket

const REFUSED = /expected 101 status code:?\s*(\d{3})/i

export function toWebSocketUrl(httpUrl: URL): string {
  if (httpUrl.protocol === 'https:') httpUrl.protocol = 'wss:'
  else if (httpUrl.protocol === 'http:') httpUrl.protocol = 'ws:'
  return httpUrl.toString()
}

export function openUpstreamSocket(call: UpstreamSocketCall): Promise<UpstreamSocketResult> {
  return new Promise((resolve) => {
    let ws: WebSocket
    try {
      const options: Bun.WebSocketOptions = { headers: call.headers, protocols: call.protocols }
      if (call.proxy) options.proxy = call.proxy
      ws = new BunWebSocket(call.url, options)
    } catch (err) {
      resolve({ ok: false, status: null, error: err instanceof Error ? err.message : String(err) })
      return
    }
    ws.binaryType = 'arraybuffer'
    let settled = false
    let errorText = ''
    const settle = (r: UpstreamSocketResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      call.signal.removeEventListener('abort', onAbort)
      ws.removeEventListener('open', onOpen)
      ws.removeEventListener('error', onError)
      ws.removeEventListener('close', onClose)
      resolve(r)
    }
    const fail = (error: string) => {
      const m = REFUSED.exec(error)
      const status = m ? Number(m[1]) : null
      // Bun quotes the URL, which may carry the key (gemini's ?key=): keep only the reason.
      const reason = error.replace(/^WebSocket connection to '[^']*' failed:\s*/i, '')
      settle({ ok: false, status, error: status ? `${status} upstream refused the WebSocket handshake` : reason })
    }
    const onOpen = () => settle({ ok: true, ws, protocol: ws.protocol, extensions: ws.extensions })
    const onError = (e: Event) => {
      errorText = (e as ErrorEvent).message || 'WebSocket connection failed'
    }
    const onClose = (e: CloseEvent) => fail(errorText || `upstream closed during the handshake (${e.code})`)
    const onAbort = () => {
      ws.close()
      settle({ ok: false, status: null, error: 'client closed the connection' })
    }
    const timer = setTimeout(() => {
      ws.close()
      settle({ ok: false, status: null, error: 'upstream timeout' })
    }, call.timeoutMs)
    ws.addEventListener('open', onOpen)
    ws.addEventListener('error', onError)
    ws.addEventListener('close', onClose)
    call.signal.addEventListener('abort', onAbort, { once: true })
  })
}
