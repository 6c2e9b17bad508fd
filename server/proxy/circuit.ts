/**
 * Per-upstream circuit breaker. Consecutive transient failures (network, 5xx) open it for a cool-off so requests
 * go to the other upstreams. When the cool-off is over it is half-open: exactly one request, the probe, is let
 * through; its success closes the circuit, its failure opens it for another cool-off. Requests that find it open
 * or with a probe out go elsewhere (the upstream selector still falls back to an open upstream when every one is
 * open, so a group with one upstream is never refused by its circuit).
 */
const FAILURES_TO_OPEN = 5
const OPEN_MS = 30_000

export class Circuit {
  private failures = 0
  /** 0 = closed; otherwise the end of the cool-off */
  private openUntil = 0
  /** when the half-open probe went out; null = none out */
  private probeSince: number | null = null

  /** True when a request should not be sent here now: in the cool-off, or half-open with the probe out. */
  isOpen(now: number): boolean {
    if (this.openUntil === 0) return false
    if (now < this.openUntil) return true
    // A probe whose outcome never came (the client left first) stops blocking after one more cool-off.
    return this.probeSince !== null && now - this.probeSince < OPEN_MS
  }

  /** The request just sent here: after the cool-off the first one becomes the probe. */
  dispatched(now: number): void {
    if (this.openUntil !== 0 && now >= this.openUntil && !this.isOpen(now)) this.probeSince = now
  }

  success(): void {
    this.failures = 0
    this.openUntil = 0
    this.probeSince = null
  }

  failure(now: number): void {
    this.failures++
    const probeFailed = this.probeSince !== null || (this.openUntil !== 0 && now >= this.openUntil)
    this.probeSince = null
    if (probeFailed || this.failures >= FAILURES_TO_OPEN) this.openUntil = now + OPEN_MS
  }
}
