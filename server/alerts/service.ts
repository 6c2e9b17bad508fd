/**
 * Alerts on every node: `emit` takes an event from any part (the proxy, the key watch, the jobs, the access-key
 * counters), throttles repeats locally, and hands it to the leader: at once when this node leads, else through
 * the cluster's queue (a Redis list the leader drains). Alone without Redis a node is its own leader. The leader's
 * tick drains the queue, sends the due batch of invalidated keys and checks error rates.
 */
import type { Store } from '../../db/types'
import { parseOne, type AlertWebhook } from '../config/alert-webhooks'
import type { SettingsService } from '../config/settings'
import type { Clock } from '../shared/clock'
import { validationError } from '../shared/errors'
import { log } from '../shared/logger'
import { DEFAULT_DELIVERY, deliver, type DeliveryPolicy } from './deliver'
import { AlertDispatcher } from './dispatcher'
import { checkErrorRates } from './error-rate'
import { testAlert } from './events'
import { webhookTarget } from './target'
import type { Alert, AlertInput, AlertQueue, AlertSink, DeliveryResult } from './types'

export interface AlertTiming {
  /** real-time period of the leader's tick */
  tickMs: number
  /** age (by the clock) at which the batch of invalidated keys is sent */
  batchMs: number
  /** period (by the clock) of the error-rate check */
  errorRateEveryMs: number
  delivery: DeliveryPolicy
}

export const DEFAULT_ALERT_TIMING: AlertTiming = { tickMs: 1000, batchMs: 60_000, errorRateEveryMs: 60_000, delivery: DEFAULT_DELIVERY }

export interface AlertServiceDeps {
  store: Pick<Store, 'insertAlerts' | 'listAlerts' | 'requestCountsSince'>
  settings: SettingsService
  clock: Clock
  fetch: typeof fetch
}

/** A node never forwards the same event and subject more often than this, whatever the cooldown. */
const MIN_LOCAL_THROTTLE_MS = 5000
const MAX_LOCAL_THROTTLE_MS = 60_000
const DRAIN_BATCH = 200
const STOP_WAIT_MS = 2000

export class AlertService implements AlertSink {
  private readonly timing: AlertTiming
  private readonly dispatcher: AlertDispatcher
  private leads: () => boolean = () => true
  private queue: AlertQueue | null = null
  private node = 'local'
  private readonly lastEmitted = new Map<string, number>()
  private wasLeader = false
  private lastErrorCheck = Number.NEGATIVE_INFINITY
  private timer: ReturnType<typeof setInterval> | null = null
  private ticking: Promise<void> | null = null

  constructor(
    private readonly deps: AlertServiceDeps,
    timing: Partial<AlertTiming> = {},
  ) {
    this.timing = { ...DEFAULT_ALERT_TIMING, ...timing }
    this.dispatcher = new AlertDispatcher(deps, this.timing.delivery, this.timing.batchMs, () => this.node)
  }

  /** The cluster tells the service who leads and how to reach the leader (server/cluster/start.ts). */
  connect(opts: { isLeader: () => boolean; queue: AlertQueue | null; node: string }): void {
    this.leads = opts.isLeader
    this.queue = opts.queue
    this.node = opts.node
  }

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => void this.tick(), this.timing.tickMs)
    this.timer.unref?.()
  }

  /** Stops the tick; sends in flight get a moment to finish, not their whole retry schedule (shutdown is bounded). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.ticking
    await Promise.race([this.dispatcher.idle(), Bun.sleep(STOP_WAIT_MS)])
  }

  /** false while no webhook is set: raising events then costs nothing (no lookups, no Redis) */
  enabled(): boolean {
    return this.deps.settings.get().alert_webhooks !== '[]'
  }

  emit(input: AlertInput): void {
    if (!this.enabled()) return
    const now = this.deps.clock.now()
    const id = `${input.event}|${input.subject}`
    const throttle = Math.min(MAX_LOCAL_THROTTLE_MS, Math.max(MIN_LOCAL_THROTTLE_MS, this.deps.settings.get().alert_cooldown_minutes * 60_000))
    const last = this.lastEmitted.get(id)
    if (last !== undefined && now - last < throttle) return
    this.lastEmitted.set(id, now)
    if (this.lastEmitted.size > 10_000) this.lastEmitted.clear() // bounded: a flood of subjects must not grow memory
    const alert: Alert = { ...input, at: new Date(now).toISOString(), node: this.node }
    if (this.leads()) return this.dispatcher.accept(alert)
    if (!this.queue) return // a node that never leads (IS_SLAVE alone) has no one to send for it
    this.queue.push(alert).catch((err) => log.warn('alert not forwarded to the leader', { event: input.event, error: String(err) }))
  }

  /** One round of the leader's work; the timer calls it, tests may too. */
  tick(): Promise<void> {
    this.ticking ??= this.round()
      .catch((err) => log.error('alert round failed', { error: String(err) }))
      .finally(() => {
        this.ticking = null
      })
    return this.ticking
  }

  private async round(): Promise<void> {
    const leader = this.leads()
    if (leader && !this.wasLeader) await this.dispatcher.seedCooldown().catch(() => {})
    this.wasLeader = leader
    if (!leader) return
    // Redis away: the events wait in the list (or on their nodes) and the next tick tries again, without a log line a second
    if (this.queue) for (const alert of await this.queue.drain(DRAIN_BATCH).catch(() => [])) this.dispatcher.accept(alert)
    this.dispatcher.flushDue()
    this.dispatcher.prune()
    const now = this.deps.clock.now()
    if (now - this.lastErrorCheck >= this.timing.errorRateEveryMs) {
      this.lastErrorCheck = now
      for (const input of await checkErrorRates(this.deps, now)) this.emit(input)
    }
  }

  /** `POST /api/alerts/test`: one try, straight from this node, recorded in the history. */
  async test(raw: unknown, webhooks: AlertWebhook[]): Promise<DeliveryResult & { target: string }> {
    const webhook = resolveWebhook(raw, webhooks)
    const alert: Alert = { ...testAlert(), at: new Date(this.deps.clock.now()).toISOString(), node: this.node }
    const result = await deliver(this.deps.fetch, webhook, alert, { ...this.timing.delivery, attempts: 1 })
    await this.dispatcher.record(alert, [webhook], [result])
    return { ...result, target: webhookTarget(webhook.url) }
  }

  /** invalidated keys waiting for the per-minute batch (tests wait on it) */
  pendingKeys(): number {
    return this.dispatcher.pending()
  }

  /** every send started so far has finished */
  idle(): Promise<void> {
    return this.dispatcher.idle()
  }
}

function resolveWebhook(raw: unknown, webhooks: AlertWebhook[]): AlertWebhook {
  const body = (raw ?? {}) as Record<string, unknown>
  if (body.index !== undefined) {
    const i = body.index
    const hook = typeof i === 'number' && Number.isInteger(i) ? webhooks[i] : undefined
    if (!hook) throw validationError(`index must name one of the ${webhooks.length} webhooks of alert_webhooks (0-based)`)
    return hook
  }
  return parseOne(body, 'webhook')
}
