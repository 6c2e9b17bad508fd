/**
 * Everything known about one proxied request, turned into one request-log row (and metrics) when it ends.
 * `finish` runs once: it also releases the concurrency slot, so a stream holds its slot until its last byte, and the
 * key it holds (a paced key's concurrency slot in the pool), as does the next pick or a failed attempt's end.
 */
import type { RequestLog } from '../../db/types'
import type { PickedKey } from '../pool/types'
import { log } from '../shared/logger'
import { maskKey } from '../shared/mask'
import { scrubSecret } from '../shared/scrub'
import type { AccessTicket } from '../access/control'
import type { Usage } from '../channels/types'
import { priceAnswer, type Priced } from '../pricing/cost'
import type { ProxyDeps, ProxyRequest } from './types'
import type { RuntimeGroup } from './runtime-groups'

/** Pool keys' masked forms: a row per request would mask the same few keys again and again. */
const MASKED_MAX = 10_000
let masked = new Map<string, string>()
function maskedOf(value: string): string {
  let m = masked.get(value)
  if (m === undefined) {
    if (masked.size >= MASKED_MAX) masked = new Map()
    masked.set(value, (m = maskKey(value)))
  }
  return m
}

export class RequestRecord {
  readonly startedAt: number
  model = ''
  /** finds the model in the request when the answer did not name it */
  sniff: (() => string | null) | null = null
  requestBody: string | null = null
  headersAt: number | null = null
  firstByteAt: number | null = null
  isStream = false
  usage: Usage | null = null
  /** the access key's admission: the finished answer releases it and debits its tokens */
  access: AccessTicket | null = null
  /** the access key that made the request (null: a proxy key); the access-key check sets it */
  accessKeyId: number | null = null
  /**
   * A limit or budget needs this request's usage: an OpenAI chat stream then asks the upstream for it even when
   * the group's `openai_stream_usage` is off (the access-key check sets it for limited keys).
   */
  needsUsage = false
  /** keypool asked the upstream for stream usage the client did not ask for: the usage-only chunk is hidden */
  hideUsageChunk = false
  /** the final row's cost, set by `finish` (budgets read it) */
  cost: Priced = { cost_micros: 0, priced: false }
  /** the priority tier that served it, counted from 1 (2+ = a fallback tier); 0 = no tiers involved */
  tier = 0
  /** a routed call's translation for the group of the current attempt (null: native) */
  protocols: { in: string; out: string } | null = null
  /** answered from the response cache: no key, no upstream, no cost */
  cacheHit = false
  private attempts = 0
  private key: PickedKey | null = null
  private upstream = ''
  private group: RuntimeGroup
  private done = false
  /** the last picked key until its attempt or the request ends */
  private held: PickedKey | null = null

  constructor(
    private readonly d: ProxyDeps,
    rg: RuntimeGroup,
    readonly p: ProxyRequest,
  ) {
    this.startedAt = d.clock.now()
    this.group = rg
    d.logs.track(this)
  }

  /** The shutdown grace ran out while this request was open: its row says so (the client's connection is cut). */
  interrupt(): void {
    this.finish(503, false, 'interrupted by shutdown')
  }

  attempt(n: number, key: PickedKey, upstream: string, target: RuntimeGroup): void {
    this.attempts = n
    this.key = key
    this.upstream = upstream
    this.group = target
  }

  /** The group that answered without an attempt (a cache hit; for a routed call, the candidate whose cache held it). */
  servedBy(target: RuntimeGroup): void {
    this.group = target
  }

  /** A pick's key: the previous one (a failed attempt) is released now. */
  hold(key: PickedKey): void {
    this.releaseKey()
    this.held = key
  }

  /** The held key's attempt ended: its slot goes back to the pool, once. Not awaited (a Redis round trip). */
  releaseKey(): void {
    const key = this.held
    this.held = null
    if (!key?.lease) return
    try {
      const r = this.d.pool.release(key)
      if (r) r.catch((err) => log.warn('key release failed', { error: String(err) }))
    } catch (err) {
      log.warn('key release failed', { error: String(err) })
    }
  }

  /** Upstream error texts may quote the key; never let the real value reach logs or the admin UI. */
  scrub(text: string): string {
    return scrubSecret(text, this.key?.value)
  }

  /**
   * An attempt that failed and will be retried on another key: its own log row (request_type 'retry', as in
   * GPT-Load) so operators see which key failed and why; it does not count as a request in stats or metrics.
   */
  retried(status: number, error: string): void {
    if (this.done) return
    // A failed answer rarely names the model: the row takes the request's. Not kept in `model`, so the final row
    // still prefers the model the successful answer names.
    const row = this.row(status, false, error, 'retry')
    if (!row.model && this.sniff) row.model = this.sniff() ?? ''
    this.d.logs.push(row)
  }

  finish(status: number, success: boolean, error: string): void {
    if (this.done) return
    this.done = true
    this.d.logs.untrack(this)
    this.d.limiter.release()
    this.releaseKey()
    if (!this.model && this.sniff) this.model = this.sniff() ?? ''
    this.cost = priceAnswer(this.d.prices, this.model, this.usage)
    this.access?.finish(this.usage ? this.usage.prompt_tokens + this.usage.completion_tokens : 0, this.cost.cost_micros)
    const row = this.row(status, success, error, 'final')
    this.d.logs.push(row)
    this.d.metrics?.recordRequest({
      group: row.group_name,
      status,
      durationMs: row.duration_ms,
      ttfbMs: row.ttfb_ms,
      retries: row.retries,
      upstream: row.upstream,
    })
  }

  private row(status: number, success: boolean, error: string, type: RequestLog['request_type']): RequestLog {
    const now = this.d.clock.now()
    const ttfbAt = this.firstByteAt ?? this.headersAt
    return {
      timestamp: this.startedAt,
      group_id: this.group.group.id,
      group_name: this.group.group.name,
      key_id: this.key?.id ?? null,
      key_hash: this.key?.hash ?? '',
      key_masked: this.key ? maskedOf(this.key.value) : '',
      model: this.model,
      method: this.p.request.method,
      path: this.p.path,
      status_code: status,
      is_success: success,
      duration_ms: now - this.startedAt,
      ttfb_ms: ttfbAt === null ? null : ttfbAt - this.startedAt,
      is_stream: this.isStream,
      attempt: this.attempts,
      retries: Math.max(0, this.attempts - 1),
      upstream: this.upstream,
      source_ip: this.p.ip,
      user_agent: this.p.request.headers.get('user-agent') ?? '',
      error_message: this.scrub(error).slice(0, 2000),
      prompt_tokens: type === 'final' ? (this.usage?.prompt_tokens ?? 0) : 0,
      completion_tokens: type === 'final' ? (this.usage?.completion_tokens ?? 0) : 0,
      total_tokens: type === 'final' ? (this.usage?.total_tokens ?? 0) : 0,
      request_body: this.requestBody,
      request_type: type,
      protocol_in: (this.protocols ?? this.p.protocols)?.in ?? '',
      protocol_out: (this.protocols ?? this.p.protocols)?.out ?? '',
      access_key_id: this.accessKeyId,
      cost_micros: type === 'final' ? this.cost.cost_micros : 0,
      priced: type === 'final' ? this.cost.priced : false,
      cached_tokens: type === 'final' ? (this.usage?.cached_tokens ?? 0) : 0,
      cache_write_tokens: type === 'final' ? (this.usage?.cache_write_tokens ?? 0) : 0,
      tier: this.tier,
      cache_hit: this.cacheHit,
    }
  }
}
