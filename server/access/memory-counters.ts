/** Access-key counters in process: exact sliding windows per key, for a single node. */
import { BUDGET_GRACE_MS, WINDOW_MS, type AccessCounters, type AdmitInput, type AdmitResult, type FinishInput, type WindowState } from './counters'

interface KeyState {
  /** admission times, oldest first */
  admits: number[]
  /** finished answers' [time, tokens], oldest first */
  answers: [number, number][]
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
    if (!s) this.keys.set(id, (s = { admits: [], answers: [], answerTokens: 0, inFlight: new Set(), budgets: new Map() }))
    return s
  }

  private prune(s: KeyState, now: number): void {
    const cut = now - WINDOW_MS
    let i = 0
    while (i < s.admits.length && s.admits[i]! <= cut) i++
    if (i > 0) s.admits.splice(0, i)
    let j = 0
    while (j < s.answers.length && s.answers[j]![0] <= cut) s.answerTokens -= s.answers[j++]![1]
    if (j > 0) s.answers.splice(0, j)
    for (const [start, b] of s.budgets) if (b.until !== null && b.until + BUDGET_GRACE_MS < now) s.budgets.delete(start)
  }

  private window(s: KeyState, now: number): WindowState {
    return {
      requests: s.admits.length,
      requestsResetMs: s.admits.length ? s.admits[0]! + WINDOW_MS - now : 0,
      tokens: s.answerTokens,
      tokensResetMs: s.answers.length ? s.answers[0]![0] + WINDOW_MS - now : 0,
    }
  }

  async admit(a: AdmitInput): Promise<AdmitResult> {
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
      s.answers.push([f.now, f.tokens])
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
