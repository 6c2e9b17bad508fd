/**
 * Failed admin logins per client IP: after MAX_FAILURES within WINDOW_MS the IP is refused until the window ends.
 * Only failures count; a success clears the IP's record.
 */
export const MAX_FAILURES = 5
export const WINDOW_MS = 15 * 60_000
const MAX_TRACKED = 10_000

interface Entry {
  failures: number
  windowStart: number
}

export class LoginThrottle {
  private entries = new Map<string, Entry>()

  /** ms until this IP may try again; 0 = allowed now */
  retryAfterMs(ip: string, now: number): number {
    const e = this.entries.get(ip)
    if (!e) return 0
    if (now - e.windowStart >= WINDOW_MS) {
      this.entries.delete(ip)
      return 0
    }
    return e.failures >= MAX_FAILURES ? e.windowStart + WINDOW_MS - now : 0
  }

  fail(ip: string, now: number): void {
    const e = this.entries.get(ip)
    if (!e || now - e.windowStart >= WINDOW_MS) {
      // Bound the memory a flood of addresses can take: drop the oldest records first.
      if (this.entries.size >= MAX_TRACKED) this.entries.delete(this.entries.keys().next().value!)
      this.entries.set(ip, { failures: 1, windowStart: now })
    } else e.failures++
  }

  succeed(ip: string): void {
    this.entries.delete(ip)
  }
}
