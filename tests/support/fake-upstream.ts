/**
 * A fake AI provider for the team's tests: OpenAI, Anthropic and Gemini routes with native shapes and usage,
 * keys that fail the way real keys fail (by prefix, or set at run time), and a record of every request.
 *
 *   await using upstream = await startFakeUpstream()
 *   await fetch(`${upstream.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-ok' }, body })
 *   upstream.requests[0].key // 'sk-ok'
 *
 * Request body controls: `fake_chunks` (stream pieces, default 5), `fake_chunk_delay_ms` (default 0),
 * `fake_delay_ms` (before the headers), `fake_echo: true` or a model containing `echo` (the answer is the last
 * user message), `fake_gzip: true` (gzip the answer, `content-encoding: gzip`). OpenAI chat streams carry usage
 * only with `stream_options.include_usage: true`, as OpenAI's do. `fake_cached_tokens` (OpenAI chat, Anthropic): that many
 * prompt tokens are reported as read from the provider's cache, where each provider reports them. Every answer carries
 * `x-fake-request-sha256`, the sha256 of the raw request body bytes as received.
 */
import { type Behavior, behaviorOf, type Family, type FakeError, keyError, plainError } from './fake-upstream-errors.ts'
import { answer, type Answer } from './fake-upstream-routes.ts'

export type { Behavior } from './fake-upstream-errors.ts'

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  /** Lower-cased names, as received. */
  headers: Record<string, string>
  /** From Authorization Bearer, x-api-key, x-goog-api-key or ?key= (in that order); null when none. */
  key: string | null
  bodySha256: string
  bodyLength: number
  /** HTTP status answered (0 until decided). */
  status: number
  /** The client went away before the response ended. */
  aborted: boolean
}

export interface FakeUpstream {
  /** `http://127.0.0.1:{port}` */
  url: string
  /** Every request in arrival order (not the `/__` control routes); entries update in place (status, aborted). */
  requests: RecordedRequest[]
  /** Forget recorded requests, per-key request counts and setBehavior overrides. */
  reset(): void
  /** Override the prefix rule for one key; null restores it. */
  setBehavior(key: string, behavior: Behavior | null): void
  /** Resolves once `predicate(requests)` holds (checked now and after every change). */
  waitFor(predicate: (requests: RecordedRequest[]) => boolean): Promise<void>
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

const sha256 = (bytes: Uint8Array) => new Bun.CryptoHasher('sha256').update(bytes).digest('hex')

function keyOf(req: Request, url: URL): string | null {
  const auth = req.headers.get('authorization')
  if (auth && /^bearer\s/i.test(auth)) return auth.slice(7).trim()
  return req.headers.get('x-api-key') ?? req.headers.get('x-goog-api-key') ?? url.searchParams.get('key')
}

/** Whose error shape the caller expects. `GET /v1/models` is both OpenAI's and Anthropic's: headers decide. */
function familyOf(path: string, headers: Headers): Family {
  if (path.startsWith('/v1beta/') || /\/models\/[^/]+:/.test(path)) return 'gemini'
  if (path.startsWith('/v1/messages')) return 'anthropic'
  if (path === '/v1/models' && (headers.has('anthropic-version') || headers.has('x-api-key'))) return 'anthropic'
  return 'openai'
}

/** Tracks whether a response ended or its client left first. */
class Lifecycle {
  private ended = false
  private onAbort!: () => void
  /** Resolves when the client goes away (never, if the response ends first). */
  readonly gone = new Promise<void>((resolve) => (this.onAbort = resolve))

  constructor(
    private readonly record: RecordedRequest,
    private readonly changed: () => void,
  ) {}

  end(): void {
    this.ended = true
  }

  abort(): void {
    if (this.ended || this.record.aborted) return
    this.record.aborted = true
    this.onAbort()
    this.changed()
  }
}

const encoder = new TextEncoder()

function eventStream(events: string[], delayMs: number, hang: boolean, life: Lifecycle): ReadableStream<Uint8Array<ArrayBuffer>> {
  let next = 0
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      // sk-hang: the first event went out, the rest never comes; wait for the client to leave.
      if (hang && next === 1) return life.gone
      if (next >= events.length) {
        life.end()
        controller.close()
        return
      }
      if (next > 0 && delayMs > 0) await Bun.sleep(delayMs)
      controller.enqueue(encoder.encode(events[next++]))
    },
    cancel: () => life.abort(),
  })
}

function respond(a: Answer | FakeError, sha: string, life: Lifecycle, hang: boolean): Response {
  const headers: Record<string, string> = { 'x-fake-request-sha256': sha, ...a.headers }
  if (!('kind' in a)) {
    life.end()
    return Response.json(a.body, { status: a.status, headers })
  }
  const gzip = a.gzip
  if (gzip) headers['content-encoding'] = 'gzip'
  if (a.kind === 'json' && !hang) {
    life.end()
    const bytes = encoder.encode(JSON.stringify(a.body))
    headers['content-type'] = 'application/json'
    return new Response(gzip ? Bun.gzipSync(bytes) : bytes, { headers })
  }
  const events = a.kind === 'stream' ? a.events : [': waiting\n\n']
  headers['content-type'] = a.kind === 'stream' ? a.contentType : 'text/event-stream'
  if (headers['content-type'] === 'text/event-stream') headers['cache-control'] = 'no-cache'
  const body = eventStream(events, a.chunkDelayMs, hang, life)
  return new Response(gzip ? body.pipeThrough(new CompressionStream('gzip')) : body, { headers })
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = []
  const perKeyCount = new Map<string, number>()
  const overrides = new Map<string, Behavior>()
  const watchers = new Set<() => void>()
  const changed = () => {
    for (const check of [...watchers]) check()
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url)
    if (url.pathname === '/__requests') return Response.json(requests)
    if (url.pathname === '/__behavior' && req.method === 'POST') {
      const { key, behavior } = (await req.json()) as { key: string; behavior: Behavior | null }
      setBehavior(key, behavior)
      return Response.json({ ok: true })
    }
    const raw = new Uint8Array(await req.arrayBuffer())
    const key = keyOf(req, url)
    const record: RecordedRequest = {
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(req.headers),
      key,
      bodySha256: sha256(raw),
      bodyLength: raw.length,
      status: 0,
      aborted: false,
    }
    requests.push(record)
    const life = new Lifecycle(record, changed)
    req.signal.addEventListener('abort', () => life.abort())

    const family = familyOf(url.pathname, req.headers)
    const nth = key === null ? 1 : (perKeyCount.get(key) ?? 0) + 1
    if (key !== null) perKeyCount.set(key, nth)
    const behavior = key === null ? 'ok' : (overrides.get(key) ?? behaviorOf(key))

    let result: Answer | FakeError
    let body: Record<string, unknown> = {}
    try {
      const parsed: unknown = raw.length > 0 ? JSON.parse(new TextDecoder().decode(raw)) : {}
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>
      result = keyError(family, key, behavior, nth) ?? answer(req.method, url, family, body)
    } catch {
      result = plainError(family, 400, 'The request body is not valid JSON.')
    }
    const delay = Number(body.fake_delay_ms ?? 0)
    if (delay > 0) await Promise.race([Bun.sleep(delay), life.gone])
    record.status = result.status
    changed()
    return respond(result, record.bodySha256, life, behavior === 'hang' && result.status === 200)
  }

  function setBehavior(key: string, behavior: Behavior | null): void {
    if (behavior === null) overrides.delete(key)
    else overrides.set(key, behavior)
  }

  // idleTimeout 0: a hanging stream must stay open until the client gives up, not until Bun's 10 s timer.
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', idleTimeout: 0, fetch: handle })
  const stop = () => server.stop(true)
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    reset() {
      requests.length = 0
      perKeyCount.clear()
      overrides.clear()
    },
    setBehavior,
    waitFor(predicate) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (!predicate(requests)) return
          watchers.delete(check)
          resolve()
        }
        watchers.add(check)
        check()
      })
    },
    stop,
    [Symbol.asyncDispose]: stop,
  }
}
