/** Turning a successful upstream answer into the client's response: streamed as is, or a filtered model list. */
import type { Clock } from '../deps'
import type { AttemptStarted } from './attempt'
import { clientResponseHeaders } from './headers'
import { relay } from './relay'
import type { RequestRecord } from './request-record'
import type { RuntimeGroup } from './runtime-groups'

export function streamAnswer(rg: RuntimeGroup, res: Response, started: AttemptStarted, rec: RequestRecord, clock: Clock): Response {
  const headers = clientResponseHeaders(res.headers)
  const contentType = res.headers.get('content-type') ?? ''
  const sse = contentType.includes('text/event-stream')
  rec.isStream = sse || rec.p.path.includes(':streamGenerateContent')
  if (!res.body) {
    started.done()
    rec.finish(res.status, true, '')
    return new Response(null, { status: res.status, headers })
  }
  // Compressed answers pass through byte-exact; their usage is not read (it would mean inflating every stream).
  const reader = res.headers.get('content-encoding') ? null : rg.channel.usageReader(sse)
  const body = relay(res.body, {
    now: () => clock.now(),
    onChunk: reader ? (c) => reader.push(c) : undefined,
    abortUpstream: () => started.abort(new DOMException('client closed the connection', 'AbortError')),
    onEnd: (end) => {
      started.done()
      rec.firstByteAt = end.firstByteAt
      if (reader) {
        rec.usage = reader.finish()
        if (!rec.model) rec.model = reader.model() ?? ''
      }
      if (end.completed) rec.finish(res.status, true, '')
      else if (end.clientGone) rec.finish(499, false, 'client closed the connection')
      else rec.finish(res.status, false, `stream interrupted: ${String(end.error)}`)
    },
  })
  return new Response(body, { status: res.status, headers })
}

export async function filteredModelList(rg: RuntimeGroup, res: Response, started: AttemptStarted, rec: RequestRecord): Promise<Response> {
  try {
    const json: unknown = await res.json()
    const rules = rg.bodyRules
    const sources = Object.keys(rules.redirects)
    const filtered = rg.channel.filterModelList(json, rules.strict ? () => false : () => true, sources)
    rec.finish(200, true, '')
    const headers = clientResponseHeaders(res.headers)
    headers.delete('content-length')
    headers.delete('content-encoding')
    headers.set('content-type', 'application/json')
    return new Response(JSON.stringify(filtered), { status: 200, headers })
  } finally {
    started.done()
  }
}
