/**
 * What the proxy asks about an access key, in request order: who it is (registry, no I/O), whether it may call this
 * group from this address now (no I/O), whether it may use this model (no I/O), and whether its counters admit one
 * more request (one counter call; none for a key without limits). An admitted request holds a ticket until its
 * answer finished; the ticket debits the answer's tokens and cost.
 */
import type { Clock } from '../shared/clock'
import { log } from '../shared/logger'
import { addressAllowed, limitsOf, type CompiledAccessKey } from './compiled'
import type { AccessCounters, AdmitResult, CounterLimits } from './counters'
import { countersDown, denied, invalidKey, limitRefusal, type Refusal } from './refusal'
import type { AccessKeyRegistry } from './registry'

export interface AccessTicket {
  readonly keyId: number
  /** the answer finished: release the lease, debit tokens and cost (never awaited by the request) */
  finish(tokens: number, costMicros: number): void
}

let ticketSeq = 0
/** an outage refuses every limited request: say so in the log once per interval, not once per request */
const OUTAGE_LOG_INTERVAL_MS = 10_000
let lastOutageLog = 0
const NODE_TAG = Math.random().toString(36).slice(2, 8)

export class AccessControl {
  /** limits by compiled key (a reload compiles new ones, so a changed key is never served old limits) */
  private readonly limitCache = new WeakMap<CompiledAccessKey, CounterLimits>()
  constructor(
    readonly registry: AccessKeyRegistry,
    readonly counters: AccessCounters,
    private readonly clock: Clock,
  ) {}

  find(key: string | null): CompiledAccessKey | undefined {
    return this.registry.find(key)
  }

  /** Enabled, not expired, from an allowed address, for a group in its scope (null: the root routes, whose candidates are already in scope). */
  check(k: CompiledAccessKey, groupName: string | null, address: string): Refusal | null {
    const { row } = k
    if (!row.enabled) return invalidKey('this access key is disabled')
    if (row.expires_at !== null && row.expires_at <= this.clock.now()) return invalidKey('this access key has expired')
    if (!addressAllowed(k, address)) return denied(`this access key may not be used from ${address}`)
    if (groupName !== null && k.groups && !k.groups.has(groupName)) return denied(`this access key may not use group "${groupName}"`)
    return null
  }

  /** `model` null: the request names none (a model list, a file upload); only named models are restricted. */
  checkModel(k: CompiledAccessKey, model: string | null): Refusal | null {
    if (!k.models || model === null) return null
    return k.models.test(model) ? null : denied(`this access key may not use model "${model}"`)
  }

  /** Answered at once when the counters need no I/O; a promise only when they do (Redis, exact path). */
  admit(k: CompiledAccessKey): AccessTicket | Refusal | Promise<AccessTicket | Refusal> {
    const now = this.clock.now()
    const { row } = k
    this.registry.used(row.id, now)
    if (!k.limited) return { keyId: row.id, finish() {} }
    const limits = this.limitsAt(k, now)
    const ticket = `${NODE_TAG}-${(++ticketSeq).toString(36)}`
    let r: AdmitResult | Promise<AdmitResult>
    try {
      r = this.counters.admit({ ...limits, keyId: row.id, ticket, now })
    } catch (err) {
      return outage(err)
    }
    if (r instanceof Promise) return r.then((v) => this.ticket(k, limits, ticket, v), outage)
    return this.ticket(k, limits, ticket, r)
  }

  /** A key's limits now; its budget period's bounds are computed once per period, not per request. */
  private limitsAt(k: CompiledAccessKey, now: number): CounterLimits {
    const cached = this.limitCache.get(k)
    if (cached && now >= cached.periodStart && (cached.periodEnd === null || now < cached.periodEnd)) return cached
    const limits = limitsOf(k.row, now)
    this.limitCache.set(k, limits)
    return limits
  }

  private ticket(k: CompiledAccessKey, limits: CounterLimits, ticket: string, r: AdmitResult): AccessTicket | Refusal {
    const { row } = k
    if (!r.ok) return limitRefusal(limits, r)
    // an RPM-only key: nothing of the answer is counted (one counter call per request, not two)
    if (!k.debited) return { keyId: row.id, finish() {} }
    const counters = this.counters
    const clock = this.clock
    return {
      keyId: row.id,
      finish(tokens, costMicros) {
        const at = clock.now()
        counters
          .finish({ keyId: row.id, ticket, now: at, tokens, costMicros, periodStart: limits.periodStart, periodEnd: limits.periodEnd })
          .catch((err) => log.warn('access-key counters: debiting a finished answer failed', { error: String(err) }))
      },
    }
  }
}

function outage(err: unknown): Refusal {
  if (Date.now() - lastOutageLog >= OUTAGE_LOG_INTERVAL_MS) {
    lastOutageLog = Date.now()
    log.error('access-key counters unreachable: refusing requests of keys with limits (503)', { error: String(err) })
  }
  return countersDown
}

export function isRefusal(x: AccessTicket | Refusal): x is Refusal {
  return 'status' in x
}
