/**
 * Failed admin-key attempts per client address. The first MAX_FAILURES failures of a window are free; after them
 * the address backs off (1 s, doubling, after each further failure), and at REFUSE_AFTER failures it is refused
 * until the window ends. Only failures count, and a success does not clear them: behind a shared address an
 * admin's login must not hand a guesser a fresh set of free attempts. Which attempts the throttle applies to (every
 * one, or only the wrong ones) is the caller's decision: see AdminAuth.
 */
export const MAX_FAILURES = 5
export const REFUSE_AFTER = 10
export const WINDOW_MS = 15 * 60_000
const FIRST_BACKOFF_MS = 1000
const MAX_TRACKED = 10_000

interface Entry {
  failures: number
  windowStart: number
  lastFailure: number
}

export class LoginThrottle {
  private entries = new Map<string, Entry>()

  /** ms until this address may try again; 0 = allowed now */
  retryAfterMs(ip: string, now: number): number {
    const e = this.entries.get(ip)
    if (!e) return 0
    if (now - e.windowStart >= WINDOW_MS) {
      this.entries.delete(ip)
      return 0
    }
    if (e.failures >= REFUSE_AFTER) return e.windowStart + WINDOW_MS - now
    if (e.failures < MAX_FAILURES) return 0
    const backoff = FIRST_BACKOFF_MS * 2 ** (e.failures - MAX_FAILURES)
    return Math.max(0, e.lastFailure + backoff - now)
  }

  fail(ip: string, now: number): void {
    const e = this.entries.get(ip)
    if (!e || now - e.windowStart >= WINDOW_MS) {
      // Bound the memory a flood of addresses can take: drop the oldest records first.
      if (!e && this.entries.size >= MAX_TRACKED) this.entries.delete(this.entries.keys().next().value!)
      this.entries.set(ip, { failures: 1, windowStart: now, lastFailure: now })
    } else {
      e.failures++
      e.lastFailure = now
    }
  }
}
