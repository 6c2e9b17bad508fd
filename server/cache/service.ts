/**
 * The response cache the proxy asks (docs/architecture.md, "Response cache"): `lookup` before any key is picked,
 * and the slot it returns stores the answer on the way out. Only 200 answers are stored, each at most
 * `maxEntryBytes`; a stream is recorded while it is relayed and kept only when it ended whole.
 */
import type { Clock } from '../shared/clock'
import { cacheKey } from './key'
import { storableHeaders, type CachedAnswer } from './entry'
import type { CacheStore } from './types'

/** Largest body stored: bigger answers are relayed and not kept (a cache of chat answers, not of files). */
export const MAX_ENTRY_BYTES = 1 << 20

export type CacheState = 'hit' | 'miss' | 'bypass'

export interface CacheQuery {
  group: string
  ttlSeconds: number
  method: string
  path: string
  search: string
  headers: Headers
  body: Uint8Array | null
}

export type CacheLookup = { state: 'hit'; answer: CachedAnswer } | { state: 'miss' | 'bypass'; slot: CacheSlot | null }

export class ResponseCache {
  constructor(
    readonly store: CacheStore,
    private readonly clock: Clock,
    private readonly maxEntryBytes = MAX_ENTRY_BYTES,
  ) {}

  async lookup(q: CacheQuery): Promise<CacheLookup> {
    const directive = (q.headers.get('cache-control') ?? '').toLowerCase()
    const noStore = directive.includes('no-store')
    const key = cacheKey(q.group, q.method, q.path, q.search, q.body)
    const slot = noStore ? null : new CacheSlot(this, key, q.ttlSeconds * 1000)
    // no-cache: a fresh answer is fetched (and refreshes the entry); no-store: neither read nor kept
    if (noStore || directive.includes('no-cache')) return { state: 'bypass', slot }
    const answer = await this.store.get(key)
    if (answer && acceptsEncoding(q.headers, answer)) return { state: 'hit', answer }
    return { state: 'miss', slot }
  }

  /** @internal the slot's way in */
  keep(key: string, ttlMs: number, headers: Headers, body: Uint8Array, sse: boolean, model: string): void {
    if (body.byteLength > this.maxEntryBytes) return
    const entry: CachedAnswer = { headers: storableHeaders(headers), body, sse, model, expiresAt: this.clock.now() + ttlMs }
    // not awaited: storing must not delay the answer; the store swallows its own failures
    void this.store.set(key, entry, ttlMs)
  }

  get entryLimit(): number {
    return this.maxEntryBytes
  }
}

/** A compressed entry is served only to a client that accepts its encoding (else it is a miss and refetched). */
function acceptsEncoding(h: Headers, a: CachedAnswer): boolean {
  const enc = a.headers.find(([k]) => k === 'content-encoding')?.[1]
  if (!enc || enc === 'identity') return true
  const accepted = (h.get('accept-encoding') ?? '').toLowerCase()
  return accepted.includes('*') || accepted.split(',').some((p) => p.trim().split(';')[0] === enc.toLowerCase())
}

/** Where one request's answer may be stored: whole (a buffered answer) or recorded chunk by chunk (a stream). */
export class CacheSlot {
  constructor(
    private readonly cache: ResponseCache,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  storeWhole(status: number, headers: Headers, body: Uint8Array, sse: boolean, model: string): void {
    if (status === 200) this.cache.keep(this.key, this.ttlMs, headers, body, sse, model)
  }

  /** A recorder for a relayed 200 answer, or null for any other status. */
  recorder(status: number, headers: Headers, sse: boolean): StreamRecorder | null {
    return status === 200 ? new StreamRecorder(this.cache.entryLimit, (body, model) => this.cache.keep(this.key, this.ttlMs, headers, body, sse, model)) : null
  }
}

/**
 * Tees a relayed stream into a bounded buffer without touching the live relay: chunks are only referenced, and
 * joined once at the end. Past the bound the recording is dropped (and memory released) at once.
 */
export class StreamRecorder {
  private chunks: Uint8Array[] | null = []
  private size = 0

  constructor(
    private readonly limit: number,
    private readonly onComplete: (body: Uint8Array, model: string) => void,
  ) {}

  push(chunk: Uint8Array): void {
    if (!this.chunks) return
    this.size += chunk.byteLength
    if (this.size > this.limit) this.chunks = null
    // a copy: the relay may hand out a view of a buffer that is reused for the next read
    else this.chunks.push(chunk.slice())
  }

  /** The stream ended whole: keep it. */
  complete(model: string): void {
    const chunks = this.chunks
    this.chunks = null
    if (!chunks) return
    const out = new Uint8Array(this.size)
    let at = 0
    for (const c of chunks) {
      out.set(c, at)
      at += c.byteLength
    }
    this.onComplete(out, model)
  }

  /** The stream failed or was cut: nothing is kept. */
  drop(): void {
    this.chunks = null
  }
}

/** The client's answer for a hit: the stored bytes and headers, marked as a hit. */
export function hitResponse(a: CachedAnswer): Response {
  const headers = new Headers(a.headers)
  headers.set('x-keypool-cache', 'hit')
  return new Response(a.body as BodyInit, { status: 200, headers })
}
