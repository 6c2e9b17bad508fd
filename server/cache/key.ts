/**
 * The response cache's key: an exact match on group, method, path with query (the client's `?key=` removed) and
 * the body. A JSON body is canonicalised (object keys sorted, whitespace dropped) so key order and formatting do
 * not matter; any other body is hashed as its bytes. sha256, because entries are shared by every caller of a group.
 */
export function cacheKey(group: string, method: string, path: string, search: string, body: Uint8Array | null): string {
  const h = new Bun.CryptoHasher('sha256')
  // NUL separators: no field can contain one after URL parsing, so two fields never run into each other
  h.update(`${group}\0${method}\0${path}\0${withoutClientKey(search)}\0`)
  if (body && body.byteLength > 0) {
    const canonical = canonicalJson(body)
    if (canonical === null) h.update('b\0').update(body)
    else h.update('j\0').update(canonical)
  }
  return h.digest('hex')
}

/** The query without `key` (the client's proxy key must not split or leak into the cache key). */
function withoutClientKey(search: string): string {
  if (!search.includes('key=')) return search
  const q = new URLSearchParams(search)
  q.delete('key')
  const s = q.toString()
  return s ? `?${s}` : ''
}

/** The JSON text with sorted keys, or null when the bytes are not JSON. */
export function canonicalJson(body: Uint8Array): string | null {
  const first = body.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09)
  // only objects and arrays: a bare number or string body is rare and hashing its bytes is exact anyway
  if (first !== 0x7b && first !== 0x5b) return null
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder().decode(body))
  } catch {
    return null
  }
  return JSON.stringify(sorted(value))
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted)
  if (v === null || typeof v !== 'object') return v
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v).sort()) out[k] = sorted((v as Record<string, unknown>)[k])
  return out
}
