/** Access-key counters in process: exact sliding windows per key, for a single node. */
import { BUDGET_GRACE_MS, WINDOW_MS, type AccessCounters, type AdmitInput, type AdmitResult, type FinishInput, type WindowState } from './counters'

/**
 * Times (and a number per time), oldest first. Taking from the front only moves an index: a key with a high limit
 * holds a minute of admissions, and shifting that array on every request would cost O(n) each time.
 */
class TimeQueue {
  private times: number[] = []
  private values: number[] = []
  private head = 0

  get size(): number {
    return this.times.length - this.head
  }
  oldest(): number {
    return this.times[this.head]!
  }
  push(t: number, v = 1): void {
    this.times.push(t)
    this.values.push(v)
  }
  /** drops entries at or before `cut`; answers the sum of their values */
  dropUpTo(cut: number): number {
    let sum = 0
    while (this.head < this.times.length && this.times[this.head]! <= cut) sum += this.values[this.head++]!
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head)
      this.values = this.values.slice(this.head)
      this.head = 0
    }
    return sum
  }
}

interface KeyState {
  admits: TimeQueue
  /** finished answers' times with their tokens */
  answers: TimeQueue
  answerTokens: number
  inFlight: Set<string>
  /** period start -> spent */
  budgets: Map<number, { tokens: number; costMicros: number; until: number | null }>
}

export class MemoryAccessCounters implements AccessCounters {
  readonly kind = 'memory'
  private readonly keys = new Map<number, KeyState>()

  private state(id: number): KeyState {
    let s = this.keys.get(id)
    if (!s) this.keys.set(id, (s = { admits: new TimeQueue(), answers: new TimeQueue(), answerTokens: 0, inFlight: new Set(), budgets: new Map() }))
    return s
  }

  private prune(s: KeyState, now: number): void {
    const cut = now - WINDOW_MS
    s.admits.dropUpTo(cut)
    s.answerTokens -= s.answers.dropUpTo(cut)
    for (const [start, b] of s.budgets) if (b.until !== null && b.until + BUDGET_GRACE_MS < now) s.budgets.delete(start)
  }

  private window(s: KeyState, now: number): WindowState {
    return {
      requests: s.admits.size,
      requestsResetMs: s.admits.size ? s.admits.oldest() + WINDOW_MS - now : 0,
      tokens: s.answerTokens,
      tokensResetMs: s.answers.size ? s.answers.oldest() + WINDOW_MS - now : 0,
    }
  }

  admit(a: AdmitInput): AdmitResult {
    const s = this.state(a.keyId)
    this.prune(s, a.now)
    const w = this.window(s, a.now)
    const b = s.budgets.get(a.periodStart)
    if (b && ((a.tokenBudget > 0 && b.tokens >= a.tokenBudget) || (a.costBudgetMicros > 0 && b.costMicros >= a.costBudgetMicros)))
      return { ok: false, reason: 'budget', retryAfterMs: a.periodEnd === null ? null : a.periodEnd - a.now, ...w }
    if (a.concurrency > 0 && s.inFlight.size >= a.concurrency) return { ok: false, reason: 'concurrency', retryAfterMs: 1000, ...w }
    if (a.rpm > 0 && w.requests >= a.rpm) return { ok: false, reason: 'rpm', retryAfterMs: w.requestsResetMs, ...w }
    if (a.tpm > 0 && w.tokens >= a.tpm) return { ok: false, reason: 'tpm', retryAfterMs: w.tokensResetMs, ...w }
    if (a.rpm > 0) s.admits.push(a.now)
    if (a.concurrency > 0) s.inFlight.add(a.ticket)
    return { ok: true, ...this.window(s, a.now) }
  }

  async finish(f: FinishInput): Promise<void> {
    const s = this.state(f.keyId)
    s.inFlight.delete(f.ticket)
    if (f.tokens > 0) {
      s.answers.push(f.now, f.tokens)
      s.answerTokens += f.tokens
    }
    if (f.tokens > 0 || f.costMicros > 0) {
      const b = s.budgets.get(f.periodStart) ?? { tokens: 0, costMicros: 0, until: f.periodEnd }
      b.tokens += f.tokens
      b.costMicros += f.costMicros
      s.budgets.set(f.periodStart, b)
    }
  }

  async spent(keyId: number, periodStart: number) {
    const b = this.keys.get(keyId)?.budgets.get(periodStart)
    return { tokens: b?.tokens ?? 0, costMicros: b?.costMicros ?? 0 }
  }

  async seed(keyId: number, periodStart: number, periodEnd: number | null, spent: { tokens: number; costMicros: number }) {
    const s = this.state(keyId)
    if (!s.budgets.has(periodStart)) s.budgets.set(periodStart, { ...spent, until: periodEnd })
  }

  async drop(keyId: number): Promise<void> {
    this.keys.delete(keyId)
  }
}
