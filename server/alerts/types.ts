/** What an alert is, where it comes from and the ports the alert service is built from. */
import type { AlertEventName } from '../config/alert-webhooks'

/** An event as a part of the server raises it. `subject` decides the cooldown: one alert per subject per cooldown. */
export interface AlertInput {
  /** 'test' only for `POST /api/alerts/test` */
  event: AlertEventName | 'test'
  subject: string
  /** one line a person reads; never an unmasked key */
  message: string
  details: Record<string, unknown>
}

/** An alert as it is sent: the json format's body is exactly this. */
export interface Alert extends AlertInput {
  /** ISO time it was raised */
  at: string
  /** the node that raised it */
  node: string
}

/** Where the proxy, the pool watch and the jobs raise events; cheap enough for the request path. */
export interface AlertSink {
  emit(input: AlertInput): void
  /** false when nothing would be sent, so an emitter may skip the work of building an event */
  enabled?(): boolean
}

/**
 * How a node that does not lead hands its events to the one that does (a Redis list in a cluster,
 * server/cluster/alert-queue.ts). Only the leader drains.
 */
export interface AlertQueue {
  push(alert: Alert): Promise<void>
  drain(max: number): Promise<Alert[]>
}

/** What one webhook said to one alert (after the retries). */
export interface DeliveryResult {
  ok: boolean
  status_code: number | null
  /** the receiver's answer, cut short */
  response: string
  error: string
  attempts: number
}
