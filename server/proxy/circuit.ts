/**
 * Per-upstream circuit breaker: consecutive transient failures (network, 5xx) open it for a cool-off so
 * requests go to the other upstreams; the first request after the cool-off is a trial (half-open).
 */
const FAILURES_TO_OPEN = 5
const OPEN_MS = 30_000

export class Circuit {
  private failures = 0
  private openUntil = 0

  isOpen(now: number): boolean {
    return this.openUntil > now
  }

  success(): void {
    this.failures = 0
    this.openUntil = 0
  }

  failure(now: number): void {
    this.failures++
    if (this.failures >= FAILURES_TO_OPEN) this.openUntil = now + OPEN_MS
  }
}
