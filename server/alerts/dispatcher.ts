/**
 * The leader's side of alerting: the cooldown (one alert per event and subject per `alert_cooldown_minutes`),
 * the per-minute batch of invalidated keys, the fan-out to the webhooks that want the event, and the history.
 * Only the node that leads runs it, so each alert leaves the cluster once.
 */
import type { AlertRecord, Store } from '../../db/types'
import { alertWebhooksOf, wantsEvent, type AlertWebhook } from '../config/alert-webhooks'
import type { SettingsService } from '../config/settings'
import type { Clock } from '../shared/clock'
import { log } from '../shared/logger'
import { deliver, type DeliveryPolicy } from './deliver'
import { keysInvalidatedBatch, type InvalidatedKey } from './events'
import { webhookTarget } from './target'
import type { Alert, DeliveryResult } from './types'

export interface DispatcherDeps {
  store: Pick<Store, 'insertAlerts' | 'listAlerts'>
  settings: SettingsService
  clock: Clock
  fetch: typeof fetch
}

/** History rows read to rebuild the cooldown when a node becomes the leader. */
const SEED_ROWS = 500
/** subjects remembered before expired ones are pruned */
const PRUNE_ABOVE = 5000

export class AlertDispatcher {
  private readonly lastSent = new Map<string, number>()
  private readonly pendingKeys = new Map<number, InvalidatedKey>()
  private firstPendingAt = 0
  private readonly sending = new Set<Promise<void>>()

  constructor(
    private readonly deps: DispatcherDeps,
    private readonly policy: DeliveryPolicy,
    private readonly batchMs: number,
    private readonly node: () => string,
  ) {}

  private cooldownMs(): number {
    return this.deps.settings.get().alert_cooldown_minutes * 60_000
  }

  /** true when this event and subject may be sent now (and marks it sent) */
  private claim(event: string, subject: string, now: number): boolean {
    const id = `${event}|${subject}`
    const last = this.lastSent.get(id)
    if (last !== undefined && now - last < this.cooldownMs()) return false
    this.lastSent.set(id, now)
    return true
  }

  /** A new leader continues the cooldown of the one before from the shared history. */
  async seedCooldown(): Promise<void> {
    const since = this.deps.clock.now() - this.cooldownMs()
    const { items } = await this.deps.store.listAlerts(1, SEED_ROWS)
    for (const row of items) {
      if (row.created_at < since || row.event === 'test') continue
      const id = `${row.event}|${row.subject}`
      this.lastSent.set(id, Math.max(this.lastSent.get(id) ?? 0, row.created_at))
    }
  }

  accept(alert: Alert): void {
    const now = this.deps.clock.now()
    if (alert.event === 'key_invalidated') {
      const key = alert.details as unknown as InvalidatedKey
      if (this.pendingKeys.size === 0) this.firstPendingAt = now
      this.pendingKeys.set(key.key_id, key)
      return
    }
    if (!this.claim(alert.event, alert.subject, now)) return
    this.track(this.send(alert))
  }

  /** Forgets subjects whose cooldown is over, so many keys dying over months do not grow memory. */
  prune(): void {
    if (this.lastSent.size < PRUNE_ABOVE) return
    const since = this.deps.clock.now() - this.cooldownMs()
    for (const [id, at] of this.lastSent) if (at < since) this.lastSent.delete(id)
  }

  /** invalidated keys waiting for the batch */
  pending(): number {
    return this.pendingKeys.size
  }

  /** Sends the batch of invalidated keys once it is `batchMs` old: one message listing them all. */
  flushDue(): void {
    const now = this.deps.clock.now()
    if (this.pendingKeys.size === 0 || now - this.firstPendingAt < this.batchMs) return
    const keys = [...this.pendingKeys.values()].filter((k) => this.claim('key_invalidated', `key:${k.group}:${k.key_id}`, now))
    this.pendingKeys.clear()
    if (keys.length === 0) return
    const batch = keysInvalidatedBatch(keys)
    this.track(this.send({ ...batch, at: new Date(now).toISOString(), node: this.node() }))
  }

  /** Every send started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.sending.size > 0) await Promise.all([...this.sending])
  }

  private track(p: Promise<void>): void {
    this.sending.add(p)
    void p.finally(() => this.sending.delete(p))
  }

  private async send(alert: Alert): Promise<void> {
    const hooks = alertWebhooksOf(this.deps.settings.get().alert_webhooks).filter((w) => wantsEvent(w, alert.event))
    if (hooks.length === 0) return
    const results = await Promise.all(hooks.map((w) => deliver(this.deps.fetch, w, alert, this.policy)))
    await this.record(alert, hooks, results)
  }

  /** One history row per webhook; failures are logged with the masked target, never the URL. */
  async record(alert: Alert, hooks: AlertWebhook[], results: DeliveryResult[]): Promise<void> {
    const rows: AlertRecord[] = hooks.map((w, i) => {
      const r = results[i]!
      if (!r.ok) log.warn('alert not delivered', { event: alert.event, target: webhookTarget(w.url), error: r.error, attempts: r.attempts })
      return {
        created_at: this.deps.clock.now(),
        event: alert.event,
        subject: alert.subject,
        message: alert.message,
        format: w.format,
        target: webhookTarget(w.url),
        ok: r.ok,
        status_code: r.status_code,
        attempts: r.attempts,
        error: r.error,
        node: alert.node,
      }
    })
    await this.deps.store.insertAlerts(rows).catch((err) => log.error('alert history not written', { error: String(err) }))
  }
}
