/**
 * The counters behind access-key limits, one interface with two backends: in process (one node) and in Redis
 * (a cluster: every node enforces one limit). One `admit` per request decides RPM, TPM, concurrency and budget
 * together (in Redis: one script, one round trip); `finish` releases the concurrency lease and debits the tokens
 * and cost of the answer.
 */

export const WINDOW_MS = 60_000

export interface CounterLimits {
  /** 0 = none, for each */
  rpm: number
  tpm: number
  concurrency: number
  tokenBudget: number
  costBudgetMicros: number
  /** the budget period this request falls in: its start names the bucket, its end (null = never) expires it */
  periodStart: number
  periodEnd: number | null
}

export interface AdmitInput extends CounterLimits {
  keyId: number
  /** unique per request: names its concurrency lease */
  ticket: string
  now: number
}

/** What the windows held when the decision was made (for the x-ratelimit-* headers). */
export interface WindowState {
  /** requests admitted in the last 60 s, this one included when admitted */
  requests: number
  /** ms until the oldest of them leaves the window (0 when none) */
  requestsResetMs: number
  /** tokens of answers finished in the last 60 s */
  tokens: number
  tokensResetMs: number
}

export type AdmitResult =
  | ({ ok: true } & WindowState)
  | ({ ok: false; reason: 'rpm' | 'tpm' | 'concurrency' | 'budget'; retryAfterMs: number | null } & WindowState)

export interface FinishInput {
  keyId: number
  ticket: string
  now: number
  tokens: number
  costMicros: number
  periodStart: number
  periodEnd: number | null
}

export interface AccessCounters {
  readonly kind: 'memory' | 'redis'
  /** answered at once when no I/O is needed (in process; a local allowance on Redis): no promise per request */
  admit(input: AdmitInput): AdmitResult | Promise<AdmitResult>
  finish(input: FinishInput): Promise<void>
  /** tokens and cost spent in a budget period (the admin list's usage) */
  spent(keyId: number, periodStart: number): Promise<{ tokens: number; costMicros: number }>
  /**
   * What the store says a key already spent in a period (a restart, a Redis without the bucket): taken only when
   * the counters hold nothing for that period yet.
   */
  seed(keyId: number, periodStart: number, periodEnd: number | null, spent: { tokens: number; costMicros: number }): Promise<void>
  /** forget a deleted key's state */
  drop(keyId: number): Promise<void>
}

/** A lease a node never released (it died mid-request) stops counting after this long. */
export const LEASE_MS = 15 * 60_000
/** how long after its period ends a budget bucket is kept (the admin may still read it) */
export const BUDGET_GRACE_MS = 24 * 3600_000
