/**
 * Where a client puts its proxy key: `?key=` (Gemini style; removed before forwarding), `Authorization: Bearer`,
 * `x-api-key` (Anthropic), `x-goog-api-key` (Gemini). The value is only compared, never forwarded.
 */
export interface ClientKey {
  key: string | null
  fromQuery: boolean
}

export function readClientKey(headers: Headers, url: URL): ClientKey {
  const q = url.searchParams.get('key')
  if (q) return { key: q, fromQuery: true }
  const auth = headers.get('authorization')
  if (auth) {
    const m = /^\s*Bearer\s+(.+?)\s*$/i.exec(auth)
    if (m) return { key: m[1]!, fromQuery: false }
  }
  const k = headers.get('x-api-key') ?? headers.get('x-goog-api-key')
  return { key: k?.trim() || null, fromQuery: false }
}

/** Set lookups hash the whole key first, so response time does not reveal how much of a guess matched. */
export function keyAllowed(key: string | null, global: Set<string>, group: Set<string>): boolean {
  return key !== null && (global.has(key) || group.has(key))
}
