/**
 * Step two of the proxy path: attempts over keys and upstreams until one answers or retries run out. Each attempt
 * picks a key and an upstream whose circuit is closed, calls it, and classifies what came back: a success streams
 * to the client; a retryable failure moves on to another key (while nothing reached the client); the last failure
 * is what the client gets.
 */
import { groupExhausted } from '../alerts/events'
import { translateError, type Translation } from '../translate'
import { filteredModelList, streamAnswer } from './answer'
import { startAttempt, type AttemptStarted } from './attempt'
import { report, restingRetryAfter, SUCCESS, type Picked } from './attempt-keys'
import { oneGroup, type AttemptPlan } from './attempt-plan'
import { readErrorBody, type ErrorBody } from './error-body'
import { clientResponseHeaders } from './headers'
import { nativeError } from './native-error'
import { classifyNetworkError, classifyResponse } from './outcome'
import type { Prepared } from './prepare'
import type { RequestRecord } from './request-record'
import type { RuntimeUpstream } from './runtime-groups'
import { translatedAnswer } from './translation-run'
import type { ProxyDeps } from './types'

interface Attempt extends Picked {
  upstream: RuntimeUpstream
  /** when it started (the circuit and cooling times are counted from here) */
  now: number
}

/** An attempt either ends the request with an answer or failed (and says whether another key may do better). */
type Tried = { answer: Response | Promise<Response> } | { retry: boolean }

/** `r` is the request as first prepared: its record and channel answer for the request when every attempt failed. */
export async function runAttempts(d: ProxyDeps, r: Prepared, plan: AttemptPlan = oneGroup(d, r)): Promise<Response> {
  const failures = new Failures()
  const tried = new Set<number>()
  for (let n = 1; n <= plan.maxAttempts; n++) {
    const next = await plan.next(tried)
    if (!next) break
    if (next instanceof Response) return next
    const { r: cur, picked } = next
    cur.rec.hold(picked.key)
    tried.add(picked.key.id)
    const now = d.clock.now()
    const upstream = picked.target.upstreams.pick((u) => !u.circuit.isOpen(now))
    if (!upstream) break
    upstream.circuit.dispatched(now)
    // The failed attempt before this one gets its own 'retry' log row, now that it really was retried.
    failures.logRetried(cur.rec)
    cur.rec.attempt(n, picked.key, upstream.url, picked.target)
    cur.rec.tier = Math.max(next.tier, picked.tier ?? 0)
    const t = await attemptOnce(d, cur, { ...picked, upstream, now }, failures)
    if ('answer' in t) return t.answer
    if (!t.retry) break
    plan.failed(next)
  }
  if (failures.noKeyTried()) d.alerts?.emit(groupExhausted(r.group.group.name))
  // nothing answered because no key was usable: say when a resting one (cooling, paced) serves again
  const retryAfter = failures.none() ? await restingRetryAfter(d, r.group, d.clock.now()) : null
  return failures.answer(r, retryAfter)
}

async function attemptOnce(d: ProxyDeps, r: Prepared, a: Attempt, failures: Failures): Promise<Tried> {
  const { request } = r.p
  const policy = { blacklistThreshold: r.group.settings.blacklist_threshold }
  let started: AttemptStarted
  try {
    started = await startAttempt({
      fetch: d.fetch,
      target: a.target,
      upstream: a.upstream,
      key: a.key,
      method: request.method,
      clientHeaders: request.headers,
      pathAndQuery: r.path + r.p.url.search,
      clientUsedQueryKey: r.clientUsedQueryKey,
      body: r.body,
      clientIp: r.p.ip,
      clientSignal: request.signal,
      // keypool reads these answers itself: a model list it filters, a stream whose usage chunk it hides
      plainAnswer: r.modelList || r.rec.hideUsageChunk,
    })
  } catch (err) {
    return networkFailure(d, r, a, err, failures)
  }
  const { res } = started
  r.rec.headersAt = d.clock.now()
  if (res.status < 400) {
    report(d, a.key, a.upstream, SUCCESS, policy, a.now)
    if (r.modelList && res.status === 200) return { answer: filteredModelList(r.group, res, started, r.rec, a.key.value) }
    const answer = streamAnswer(r.group, res, started, r.rec, d.clock, a.key.value, r.cache?.slot ?? null)
    return { answer: r.translation ? translatedAnswer(r.translation, answer) : answer }
  }
  let body: ErrorBody
  try {
    body = await readErrorBody(res, a.key.value)
  } catch (err) {
    started.done()
    return networkFailure(d, r, a, err, failures)
  }
  started.done()
  const c = classifyResponse(res.status, res.headers, body.text, d.clock.now(), r.group.failover)
  report(d, a.key, a.upstream, c, policy, a.now)
  const relayed = r.translation ? translatedError(r.translation, res.status, body) : body
  r.rec.releaseKey()
  failures.answered(res.status, errorHeaders(res.headers, relayed, a.key.value), relayed.bytes, r.rec.scrub(c.error))
  return { retry: c.retry }
}

/** Connect/DNS/TLS error, timeout or a body cut while read: the upstream's fault, not the key's. */
function networkFailure(d: ProxyDeps, r: Prepared, a: Attempt, err: unknown, failures: Failures): Tried {
  if (r.p.request.signal.aborted) return { answer: clientGone(r.rec) }
  const c = classifyNetworkError(err)
  report(d, a.key, a.upstream, c, { blacklistThreshold: r.group.settings.blacklist_threshold }, a.now)
  r.rec.releaseKey()
  failures.unreachable(r.rec.scrub(c.error))
  return { retry: true }
}

/** An upstream error of a translated attempt, in the caller's shape (keypool's own copy: sized and typed by it). */
function translatedError(t: Translation, status: number, body: ErrorBody): ErrorBody {
  const text = JSON.stringify(translateError(t, status, body.text))
  return { ...body, text, bytes: new TextEncoder().encode(text), original: false }
}

function clientGone(rec: RequestRecord): Response {
  rec.finish(499, false, 'client closed the connection')
  return new Response(null, { status: 499 })
}

/** The relayed error's headers: scrubbed; when keypool relays its own copy of the body, sized and encoded by it. */
function errorHeaders(upstream: Headers, body: ErrorBody, key: string): Headers {
  const h = clientResponseHeaders(upstream, key)
  if (body.original) return h
  const own = new Headers(h)
  own.delete('content-encoding')
  own.delete('content-length')
  return own
}

/** What went wrong so far: the row for a retried attempt, and the answer the client gets if none succeeds. */
class Failures {
  private upstreamAnswer: { status: number; headers: Headers; bytes: Uint8Array; error: string } | null = null
  private networkError = ''
  private pendingRow: { status: number; error: string } | null = null

  answered(status: number, headers: Headers, bytes: Uint8Array, error: string): void {
    this.upstreamAnswer = { status, headers, bytes, error }
    this.pendingRow = { status, error }
  }

  unreachable(error: string): void {
    this.networkError = error
    this.pendingRow = { status: 502, error }
  }

  /** no attempt got as far as an upstream: the group had no usable key (the 503 no_available_keys) */
  noKeyTried(): boolean {
    return !this.upstreamAnswer && !this.networkError
  }

  logRetried(rec: RequestRecord): void {
    if (this.pendingRow) rec.retried(this.pendingRow.status, this.pendingRow.error)
    this.pendingRow = null
  }

  /** no attempt reached an upstream */
  none(): boolean {
    return this.upstreamAnswer === null && !this.networkError
  }

  /** After the last attempt: the last upstream error answer, else the network failure, else no key at all. */
  answer(r: Prepared, retryAfter: number | null): Response {
    const f = this.upstreamAnswer
    if (f) {
      r.rec.finish(f.status, false, f.error)
      return new Response(f.bytes as BodyInit, { status: f.status, headers: f.headers })
    }
    if (this.networkError) {
      r.rec.finish(502, false, this.networkError)
      return nativeError(r.group.channel, 502, `upstream unreachable: ${this.networkError}`, 'upstream_error')
    }
    r.rec.finish(503, false, 'no available keys')
    const headers = retryAfter === null ? undefined : { 'retry-after': String(retryAfter) }
    return nativeError(r.group.channel, 503, 'no available keys in this group', 'no_available_keys', headers)
  }
}
