/** One stored answer and its byte form (the Redis value; the memory store keeps the object). */

export interface CachedAnswer {
  /** the answer's headers as the client got them (no length, date or cookies) */
  headers: [string, string][]
  /** the body exactly as the client got it (still compressed when `content-encoding` says so) */
  body: Uint8Array
  /** an SSE stream, replayed as one */
  sse: boolean
  /** the model the first answer was logged with */
  model: string
  /** epoch ms after which the entry is stale (checked on read with the cache's clock) */
  expiresAt: number
}

/** Headers never stored: per-connection or per-answer, or private to one caller. */
const NOT_STORED = new Set(['content-length', 'date', 'set-cookie', 'x-keypool-cache', 'transfer-encoding', 'connection', 'keep-alive'])

export function storableHeaders(h: Headers): [string, string][] {
  const out: [string, string][] = []
  h.forEach((value, name) => {
    if (!NOT_STORED.has(name)) out.push([name, value])
  })
  return out
}

/** Bytes an entry takes, for the LRU's bound (body plus headers and bookkeeping). */
export function entrySize(key: string, e: CachedAnswer): number {
  let n = key.length + e.body.byteLength + e.model.length + 64
  for (const [k, v] of e.headers) n += k.length + v.length + 8
  return n
}

/** `[u32 meta length][meta JSON][body]` */
export function encodeEntry(e: CachedAnswer): Uint8Array {
  const meta = new TextEncoder().encode(JSON.stringify({ h: e.headers, s: e.sse, m: e.model, x: e.expiresAt }))
  const out = new Uint8Array(4 + meta.byteLength + e.body.byteLength)
  new DataView(out.buffer).setUint32(0, meta.byteLength)
  out.set(meta, 4)
  out.set(e.body, 4 + meta.byteLength)
  return out
}

/** null for bytes that are not an entry (another version's, or damaged): a miss, never an error. */
export function decodeEntry(bytes: Uint8Array): CachedAnswer | null {
  try {
    if (bytes.byteLength < 4) return null
    const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0)
    if (4 + len > bytes.byteLength) return null
    const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + len))) as { h: [string, string][]; s: boolean; m: string; x: number }
    if (!Array.isArray(meta.h) || typeof meta.x !== 'number') return null
    return { headers: meta.h, sse: meta.s === true, model: String(meta.m ?? ''), expiresAt: meta.x, body: bytes.slice(4 + len) }
  } catch {
    return null
  }
}
