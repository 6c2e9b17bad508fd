/**
 * A model call on the root routes (`/v1/*`, `/v1beta/*`): the caller's scope, the model it names, the candidate
 * groups (server/proxy/route-candidates.ts; a group of another protocol gets the call translated), then the usual attempt loop walking the candidates: a retryable failure
 * or a group without a usable key moves to the next candidate, then the next tier; `max_retries` (the first
 * candidate's) counts every attempt; a client error ends the request. A native candidate whose group caches
 * answers is looked up in its cache when the call comes to it.
 */
import type { CacheState } from '../cache/service'
import type { Channel } from '../channels/types'
import { nestsDeeper } from '../shared/json-depth'
import { log } from '../shared/logger'
import { translateRequest, TranslateError, type Translation } from '../translate'
import { admitAccessKey, refusalResponse, type AccessCaller } from './access-gate'
import { pickKey, type PickContext } from './attempt-keys'
import { lazySession, type AttemptPlan } from './attempt-plan'
import { runAttempts } from './attempts'
import { scopeOf } from './caller-scope'
import { readClientKey } from './client-key'
import { nativeError } from './native-error'
import { applyBodyRules, CLIENT_GONE, lookUpCache, readBody, type Admitted, type Prepared } from './prepare'
import { RequestRecord } from './request-record'
import type { RootCall } from './root-protocol'
import { candidatesFor, type Candidate } from './route-candidates'
import { upstreamRequest } from './translation-run'
import type { ProxyDeps, ProxyRequest } from './types'

/** Quick mode: a call no group's `models` claims is served by the `default` group, as before routing existed. */
export type Unrouted = (p: ProxyRequest) => Promise<Response>

const decoder = new TextDecoder()
const encoder = new TextEncoder()
const MAX_DEPTH = 256

export async function handleRouted(d: ProxyDeps, p: ProxyRequest, call: RootCall, unrouted?: Unrouted): Promise<Response> {
  const client = readClientKey(p.request.headers, p.url)
  const scope = scopeOf(d.runtime, client.key, d.callerScope)
  if (!scope && !unrouted) return nativeError(call.channel, 401, 'invalid or missing proxy key', 'invalid_api_key')
  // an access key: enabled, not expired, from an allowed address (its groups and models narrow the candidates)
  const accessKey = scope ? d.access?.find(client.key) : undefined
  const access: AccessCaller | null = accessKey && d.access ? { key: accessKey, control: d.access } : null
  const refusal = access ? access.control.check(access.key, null, p.ip) : null
  if (refusal) return refusalResponse(call.channel, refusal)
  if (!d.limiter.tryAcquire())
    return nativeError(call.channel, 429, 'too many concurrent requests, retry shortly', 'concurrency_limit', { 'retry-after': '1' })
  // the slot is released here until a record exists; from then on the record's finish releases it
  const release = () => d.limiter.release()
  const body = await readBody(p.request)
  if (body === CLIENT_GONE) {
    release()
    return new Response(null, { status: 499 })
  }
  const text = body && body.byteLength > 0 ? decoder.decode(body) : ''
  // what walks a parsed body afterwards (translation, re-serialising) would overflow the stack on one this deep
  if (nestsDeeper(text, MAX_DEPTH)) {
    release()
    return nativeError(call.channel, 400, `the request body nests deeper than ${MAX_DEPTH} levels`, 'invalid_request')
  }
  const parsed = parseJson(text)
  const model = call.channel.requestModel(p.path, parsed)
  const candidates = scope && model ? candidatesFor(d.runtime, d.rotation, call, model, scope) : []
  if (candidates.length === 0) {
    release()
    if (unrouted) return unrouted({ ...p, request: withBody(p.request, body) })
    if (!model) return nativeError(call.channel, 400, 'the request names no model', 'model_required')
    // the same answer whether the model exists elsewhere or not: the caller learns nothing it may not reach
    return nativeError(call.channel, 404, `model "${model}" is not available`, 'model_not_found')
  }
  const rec = new RequestRecord(d, candidates[0]!.rg, p)
  const head: Admitted = { p, group: candidates[0]!.rg, rec, clientUsedQueryKey: client.fromQuery, access }
  if (access) {
    // its counters (RPM, TPM, concurrency, budget) admit the request once, whichever candidate serves it
    const refused = await admitAccessKey(access, { ...head.group, channel: call.channel }, rec, () => model)
    if (refused) return refused
  }
  try {
    // keypool's own answers (no key left, upstream unreachable) take the caller's shape, whichever group was tried
    const first: Prepared = { ...head, group: { ...head.group, channel: call.channel }, path: p.path, body, modelList: false, cache: null }
    const plan = routedPlan(d, candidates, head, body, parsed, call.channel)
    const res = await runAttempts(d, first, plan)
    const cached = plan.cacheState()
    if (cached && !res.headers.has('x-keypool-cache')) res.headers.set('x-keypool-cache', cached)
    return res
  } catch (err) {
    log.error('routed request failed inside the gateway', { model, error: String(err) })
    rec.finish(503, false, `gateway error: ${String(err)}`)
    return nativeError(call.channel, 503, 'gateway temporarily unavailable, retry shortly', 'gateway_unavailable', { 'retry-after': '1' })
  }
}

/** The request again with the bytes already read from it. */
function withBody(request: Request, body: Uint8Array | null): Request {
  return new Request(request.url, { method: request.method, headers: request.headers, body: body as BodyInit | null, signal: request.signal })
}

function parseJson(text: string): unknown {
  if (text === '') return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/**
 * The request as candidate `c` takes it: translated into its protocol when it speaks another, then its body rules;
 * a native candidate whose group caches answers is looked up in its cache (a hit ends the request). A translated
 * one is not: its cache holds answers in its own protocol, and the caller speaks another.
 */
async function prepareFor(d: ProxyDeps, c: Candidate, head: Admitted, body: Uint8Array | null, parsed: unknown, caller: Channel): Promise<Prepared | Response> {
  if (!c.translation) {
    const got = applyBodyRules({ ...head, group: c.rg }, body)
    return got instanceof Response ? got : lookUpCache(got, d.cache)
  }
  const { p, rec } = head
  let t: Translation
  try {
    t = translateRequest(c.translation.caller, c.translation.upstream, p.path + p.url.search, parsed)
  } catch (err) {
    // the request cannot be said in this group's protocol: the caller's fault, answered in its shape
    const message = err instanceof TranslateError ? `cannot translate this request: ${err.message}` : 'cannot translate this request: the body is not valid'
    rec.finish(400, false, message)
    return nativeError(caller, 400, message, 'invalid_request_error')
  }
  const q = upstreamRequest(p, t)
  const got = applyBodyRules({ ...head, p: q, group: c.rg }, encoder.encode(JSON.stringify(t.body)))
  return got instanceof Response ? got : { ...got, translation: t }
}

function routedPlan(
  d: ProxyDeps,
  candidates: Candidate[],
  head: Admitted,
  body: Uint8Array | null,
  parsed: unknown,
  caller: Channel,
): AttemptPlan & { cacheState(): CacheState | null } {
  const failed = new Set<number>()
  /** candidates (by index) found without a usable key in this request */
  const out = new Set<number>()
  const prepared = new Map<number, Prepared>()
  const session = lazySession({ ...head, path: head.p.path, body, modelList: false, cache: null }, parsed)
  let at = stickyStart(d, candidates, session)
  /** the cache state of the candidate the last attempt went to (null: its group does not cache) */
  let cacheState: CacheState | null = null
  return {
    cacheState: () => cacheState,
    maxAttempts: candidates[0]!.rg.settings.max_retries + 1,
    async next(tried) {
      const ctx: PickContext = { tried, failed, session }
      for (let step = 0; step < candidates.length; step++) {
        const i = (at + step) % candidates.length
        if (out.has(i)) continue
        const c = candidates[i]!
        let r = prepared.get(i)
        if (!r) {
          const got = await prepareFor(d, c, head, body, parsed, caller)
          if (got instanceof Response) return got
          prepared.set(i, (r = got))
        }
        const picked = await pickKey(d, c.rg, ctx)
        if (picked) {
          at = i
          cacheState = r.cache?.state ?? null
          head.rec.protocols = r.translation ? { in: r.translation.caller, out: r.translation.upstream } : null
          return { r, picked, tier: c.tier }
        }
        out.add(i)
      }
      return null
    },
    failed(a) {
      failed.add(a.picked.target.group.id)
      at = (at + 1) % candidates.length
    },
  }
}

/** A session seen before starts at the group that served it, when that group is in the first tier. */
function stickyStart(d: ProxyDeps, candidates: Candidate[], session: () => string | null): number {
  const firstTier = candidates[0]!.tier
  for (let i = 0; i < candidates.length && candidates[i]!.tier === firstTier; i++) {
    const rg = candidates[i]!.rg
    if (!rg.settings.session_affinity) continue
    const s = session()
    if (s && d.affinity.get(rg.group.id, s)) return i
  }
  return 0
}
