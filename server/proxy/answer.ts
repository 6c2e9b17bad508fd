/** Turning a successful upstream answer into the client's response: streamed as is, or a filtered model list. */
import type { UsageReader } from '../channels/types'
import type { CacheSlot } from '../cache/service'
import type { Clock } from '../shared/clock'
import type { AttemptStarted } from './attempt'
import { clientResponseHeaders } from './headers'
import { relay } from './relay'
import { readWindow } from './read-window'
import { inflateCapped } from './inflate'
import { nativeError } from './native-error'
import type { RequestRecord } from './request-record'
import type { RuntimeGroup } from './runtime-groups'

export function streamAnswer(
  rg: RuntimeGroup,
  res: Response,
  started: AttemptStarted,
  rec: RequestRecord,
  clock: Clock,
  key: string,
  cache: CacheSlot | null,
): Response | Promise<Response> {
  const headers = clientResponseHeaders(res.headers, key)
  const contentType = res.headers.get('content-type') ?? ''
  const sse = contentType.includes('text/event-stream')
  rec.isStream = sse || rec.p.path.includes(':streamGenerateContent')
  if (!res.body) {
    started.done()
    rec.finish(res.status, true, '')
    return new Response(null, { status: res.status, headers })
  }
  // Compressed answers pass through byte-exact. A whole (buffered) one is inflated on the side to read its usage
  // (SDKs ask for gzip); a compressed stream's usage is not read: that would mean inflating every chunk.
  const encoding = res.headers.get('content-encoding')
  const length = Number(res.headers.get('content-length') ?? NaN)
  if (!rec.isStream && length <= BUFFER_LIMIT)
    return bufferedAnswer(res, headers, rg.channel.usageReader(false), encoding, started, rec, cache)
  const reader = encoding ? null : rg.channel.usageReader(sse)
  const hide = sse && !encoding && rec.hideUsageChunk ? rg.channel.streamUsage?.hide() : undefined
  // A cached group's 200 stream is recorded on the side as it is relayed (bounded; kept only if it ends whole).
  const recorder = cache?.recorder(res.status, headers, sse) ?? null
  // The recorder keeps what the client got: after the usage chunk keypool added was taken out again.
  const transform = hide && recorder ? recordedTransform(hide, recorder) : hide
  const recordRaw = recorder && !hide ? recorder : null
  const body = relay(res.body, {
    now: () => clock.now(),
    onChunk: reader || recordRaw ? (c) => (recordRaw?.push(c), reader?.push(c)) : undefined,
    transform,
    abortUpstream: () => started.abort(new DOMException('client closed the connection', 'AbortError')),
    onEnd: (end) => {
      started.done()
      rec.firstByteAt = end.firstByteAt
      if (reader) {
        rec.usage = reader.finish()
        if (!rec.model) rec.model = reader.model() ?? ''
      }
      if (end.completed) recorder?.complete(rec.model)
      else recorder?.drop()
      if (end.completed) rec.finish(res.status, true, '')
      else if (end.clientGone) rec.finish(499, false, 'client closed the connection')
      else rec.finish(res.status, false, `stream interrupted: ${String(end.error)}`)
    },
  })
  return new Response(body, { status: res.status, headers })
}

type ChunkTransform = { push(chunk: Uint8Array): Uint8Array; end(): Uint8Array }

function recordedTransform(t: ChunkTransform, recorder: { push(chunk: Uint8Array): void }): ChunkTransform {
  return {
    push(chunk) {
      const out = t.push(chunk)
      recorder.push(out)
      return out
    },
    end() {
      const tail = t.end()
      recorder.push(tail)
      return tail
    },
  }
}

/**
 * A complete, sized, non-streaming answer is read whole natively and sent as one buffer: measured faster than
 * relaying it through a JS stream, and the upstream sent it at once anyway. Streams and unsized bodies are relayed.
 */
const BUFFER_LIMIT = 1_048_576
/** Plain bytes inflated at most to read a compressed answer's usage; past it the usage is not read. */
export const USAGE_INFLATE_BUDGET = 4 << 20

async function bufferedAnswer(
  res: Response,
  headers: Headers,
  reader: UsageReader,
  encoding: string | null,
  started: AttemptStarted,
  rec: RequestRecord,
  cache: CacheSlot | null,
): Promise<Response> {
  let bytes: Uint8Array<ArrayBuffer>
  try {
    bytes = new Uint8Array(await res.arrayBuffer())
  } catch (err) {
    started.done()
    const gone = rec.p.request.signal.aborted
    rec.finish(gone ? 499 : 502, false, gone ? 'client closed the connection' : `upstream body failed: ${String(err)}`)
    return new Response(null, { status: gone ? 499 : 502 })
  }
  started.done()
  rec.firstByteAt = rec.headersAt
  // The upstream sent it whole: inflating it (in the thread pool, bounded) delays the answer by little.
  const { plain, complete } = await inflateCapped(bytes, encoding, USAGE_INFLATE_BUDGET)
  if (complete) {
    reader.push(plain)
    rec.usage = reader.finish()
    if (!rec.model) rec.model = reader.model() ?? ''
  }
  cache?.storeWhole(res.status, headers, bytes, false, rec.model)
  rec.finish(res.status, true, '')
  return new Response(bytes as BodyInit, { status: res.status, headers })
}

/** Compressed and plain bytes read at most of a model list keypool filters (real ones are well under 1 MiB). */
export const MODEL_LIST_LIMIT = 8 << 20

export async function filteredModelList(rg: RuntimeGroup, res: Response, started: AttemptStarted, rec: RequestRecord, key: string): Promise<Response> {
  let json: unknown
  try {
    const { bytes, whole } = await readWindow(res.body, MODEL_LIST_LIMIT)
    const { plain, complete } = await inflateCapped(bytes, res.headers.get('content-encoding'), MODEL_LIST_LIMIT)
    json = whole && complete ? JSON.parse(new TextDecoder().decode(plain)) : undefined
  } catch {
    json = undefined
  } finally {
    started.done()
  }
  if (json === undefined) {
    const gone = rec.p.request.signal.aborted
    if (gone) {
      rec.finish(499, false, 'client closed the connection')
      return new Response(null, { status: 499 })
    }
    const message = `the upstream model list was not JSON within ${MODEL_LIST_LIMIT} bytes`
    rec.finish(502, false, message)
    return nativeError(rg.channel, 502, message, 'upstream_error')
  }
  const rules = rg.bodyRules
  const sources = Object.keys(rules.redirects)
  const filtered = rg.channel.filterModelList(json, rules.strict ? () => false : () => true, sources)
  rec.finish(200, true, '')
  const headers = new Headers(clientResponseHeaders(res.headers, key))
  headers.delete('content-length')
  headers.delete('content-encoding')
  headers.set('content-type', 'application/json')
  return new Response(JSON.stringify(filtered), { status: 200, headers })
}
