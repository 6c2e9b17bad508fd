/**
 * A node's local allowance for access keys with a high RPM limit, in front of the Redis counters: while the shared
 * window is far from full, a request is admitted here without waiting for Redis, and the admissions made this way
 * are written to Redis in one call a moment later, as a count in the second of the latest of them: they leave the
 * shared window up to a second later than one by one (never earlier), and a batch costs Redis O(1), not O(n).
 * An awaited round trip per request cost ~20 % of a node's throughput; this costs a Redis call per batch.
 *
 * The bounds that keep the limit: a key is admitted locally only when its limit is at least LOCAL_MIN_RPM, it has
 * no concurrency limit (a lease must be shared at once), the node's last view of the shared window is at most
 * LOCAL_FRESH_MS old and shows it (with this node's unsent admissions) under half full, TPM and budgets under half
 * spent, and the node holds fewer than `share` unsent admissions (1/64 of the limit). Past any of these the exact
 * path (one script per request) decides. So N nodes can pass the limit only when the window fills from under half
 * to full within LOCAL_FRESH_MS, and then by at most N × share.
 */
import type { AdmitInput, WindowState } from './counters'

export const LOCAL_MIN_RPM = 1000
/** a node holds at most 1/LOCAL_SHARE of the limit in admissions Redis has not seen yet */
const LOCAL_SHARE = 64
/** and never more than this many (one call writes them all) */
const LOCAL_MAX_PENDING = 500
export const LOCAL_FRESH_MS = 250
/** unsent admissions wait at most this long (real time) before they are written */
export const LOCAL_FLUSH_MS = 20

/** The shared window as Redis last answered for one key, at `at` (the caller's clock). */
export interface SharedView extends WindowState {
  at: number
  periodStart: number
  spentTokens: number
  spentCostMicros: number
}

export interface Unsent {
  count: number
  /** the latest admission's time (the batch is written in its second) */
  lastAt: number
  /** the limits of the latest admission: which budget bucket and windows the batch write reads */
  input: AdmitInput
}

interface KeyAllowance {
  view: SharedView | null
  unsent: Unsent | null
  /** admissions being written now: they are in neither the view nor `unsent` */
  writing: number
}

export class LocalAllowance {
  private readonly keys = new Map<number, KeyAllowance>()

  private state(id: number): KeyAllowance {
    let s = this.keys.get(id)
    if (!s) this.keys.set(id, (s = { view: null, unsent: null, writing: 0 }))
    return s
  }

  /** Whether this key's limits allow the local path at all (else every admission is exact). */
  static eligible(a: AdmitInput): boolean {
    return a.rpm >= LOCAL_MIN_RPM && a.concurrency === 0
  }

  /** The window state of a local admission, or null when the exact path must decide. */
  tryAdmit(a: AdmitInput): WindowState | null {
    const s = this.keys.get(a.keyId)
    const v = s?.view
    if (!s || !v || v.periodStart !== a.periodStart) return null
    const age = a.now - v.at
    if (age < 0 || age > LOCAL_FRESH_MS) return null
    const share = Math.min(LOCAL_MAX_PENDING, Math.floor(a.rpm / LOCAL_SHARE))
    const unsent = s.unsent?.count ?? 0
    if (unsent >= share) return null
    const requests = v.requests + s.writing + unsent + 1
    if (requests * 2 > a.rpm) return null
    if (a.tpm > 0 && v.tokens * 2 >= a.tpm) return null
    if (a.tokenBudget > 0 && v.spentTokens * 2 >= a.tokenBudget) return null
    if (a.costBudgetMicros > 0 && v.spentCostMicros * 2 >= a.costBudgetMicros) return null
    if (!s.unsent) s.unsent = { count: 1, lastAt: a.now, input: a }
    else {
      s.unsent.count++
      s.unsent.input = a
      if (a.now > s.unsent.lastAt) s.unsent.lastAt = a.now
    }
    return {
      requests,
      requestsResetMs: v.requests > 0 ? Math.max(0, v.requestsResetMs - age) : 60_000,
      tokens: v.tokens,
      tokensResetMs: Math.max(0, v.tokensResetMs - age),
    }
  }

  /** The unsent admissions of a key, handed over to be written (they count as `writing` until `written`). */
  take(keyId: number): Unsent | null {
    const s = this.keys.get(keyId)
    const out = s?.unsent
    if (!s || !out) return null
    s.unsent = null
    s.writing += out.count
    return out
  }

  /** A write ended: on success the view Redis answered replaces ours; a failed write leaves the view to go stale. */
  written(keyId: number, count: number, view: SharedView | null): void {
    const s = this.state(keyId)
    s.writing = Math.max(0, s.writing - count)
    if (view) this.see(keyId, view)
  }

  /** What an exact admission (or a write) saw of the shared window. */
  see(keyId: number, view: SharedView): void {
    const s = this.state(keyId)
    if (!s.view || view.at >= s.view.at) s.view = view
  }

  /** Keys with admissions waiting to be written. */
  waiting(): number[] {
    const out: number[] = []
    for (const [id, s] of this.keys) if (s.unsent) out.push(id)
    return out
  }

  drop(keyId: number): void {
    this.keys.delete(keyId)
  }
}
