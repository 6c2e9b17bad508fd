/**
 * WebSocket subprotocols (RFC 6455 §4.1 `Sec-WebSocket-Protocol`). Browsers cannot set headers on a WebSocket,
 * so OpenAI's Realtime API takes the key as a subprotocol `openai-insecure-api-key.<key>`: keypool reads the
 * proxy key from there too and never forwards that entry.
 */

const OPENAI_KEY_PROTOCOL = 'openai-insecure-api-key.'

export interface ClientProtocols {
  /** the proxy key carried as a subprotocol, when any */
  key: string | null
  /** the subprotocols to offer upstream, in the client's order */
  forward: string[]
}

export function readClientProtocols(header: string | null): ClientProtocols {
  if (!header) return { key: null, forward: [] }
  let key: string | null = null
  const forward: string[] = []
  for (const raw of header.split(',')) {
    const p = raw.trim()
    if (!p) continue
    if (p.startsWith(OPENAI_KEY_PROTOCOL)) key ??= p.slice(OPENAI_KEY_PROTOCOL.length) || null
    else forward.push(p)
  }
  return { key, forward }
}
