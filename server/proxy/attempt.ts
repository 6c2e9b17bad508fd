/**
 * One call to one upstream with one key, up to the response headers. Timeouts: `response_header_timeout`
 * (bounded by `request_timeout`) until headers; the caller keeps `abort` for the whole-request timeout and for
 * a client that goes away.
 */
import { withPoolKey } from '../channels/credentials'
import type { PickedKey } from '../pool/types'
import { applyHeaderRules, upstreamRequestHeaders } from './headers'
import type { RuntimeGroup, RuntimeUpstream } from './runtime-groups'
import { callUpstream, type FetchLike } from './upstream-client'

export interface AttemptInput {
  fetch: FetchLike
  target: RuntimeGroup
  upstream: RuntimeUpstream
  key: PickedKey
  method: string
  clientHeaders: Headers
  /** path (after /proxy/{group}) + the client's query (its `?key=` is removed with its other credentials) */
  pathAndQuery: string
  clientUsedQueryKey: boolean
  body: Uint8Array | null
  clientIp: string
  clientSignal: AbortSignal
  /** ask for an uncompressed answer (answers keypool must read itself: filtered model lists, hidden usage chunks) */
  plainAnswer: boolean
}

export interface AttemptStarted {
  res: Response
  abort: (reason?: unknown) => void
  /** clears the whole-request timer; call when the answer is finished */
  done: () => void
}

let requestSeq = 0

export async function startAttempt(a: AttemptInput): Promise<AttemptStarted> {
  const s = a.target.settings
  const url = new URL(a.upstream.base + a.pathAndQuery)
  const headers = upstreamRequestHeaders(a.clientHeaders)
  // `identity`, not a removed header: a fetch client may add its own accept-encoding when none is set
  if (a.plainAnswer) headers.set('accept-encoding', 'identity')
  withPoolKey(a.target.channel, { headers, url, clientUsedQueryKey: a.clientUsedQueryKey }, a.key.value)
  if (a.target.group.header_rules.length > 0)
    applyHeaderRules(headers, a.target.group.header_rules, {
      CLIENT_IP: a.clientIp,
      GROUP_NAME: a.target.group.name,
      API_KEY: a.key.value,
      REQUEST_ID: `${Date.now().toString(36)}-${(++requestSeq).toString(36)}`,
    })
  const ac = new AbortController()
  const abort = (reason?: unknown) => ac.abort(reason)
  const onClientGone = () => abort(new DOMException('client closed the connection', 'AbortError'))
  a.clientSignal.addEventListener('abort', onClientGone, { once: true })
  const timeout = (ms: number) => setTimeout(() => abort(new DOMException('upstream timeout', 'TimeoutError')), ms)
  const total = timeout(s.request_timeout * 1000)
  // A second timer only when the header wait is shorter than the whole request (by default both are 600 s).
  const headerTimer = s.response_header_timeout < s.request_timeout ? timeout(s.response_header_timeout * 1000) : undefined
  const done = () => {
    clearTimeout(total)
    a.clientSignal.removeEventListener('abort', onClientGone)
  }
  try {
    const res = await callUpstream(a.fetch, {
      url: url.toString(),
      method: a.method,
      headers,
      body: a.body,
      signal: ac.signal,
      proxy: s.proxy_url || undefined,
    })
    return { res, abort, done }
  } catch (err) {
    done()
    throw err
  } finally {
    clearTimeout(headerTimer)
  }
}
