/** Global in-flight request limit (MAX_CONCURRENT_REQUESTS). Over it: 429 with Retry-After, never a queue. */
export class Limiter {
  private inFlight = 0
  constructor(private readonly max: number) {}
  tryAcquire(): boolean {
    if (this.inFlight >= this.max) return false
    this.inFlight++
    return true
  }
  release(): void {
    this.inFlight--
  }
  get current(): number {
    return this.inFlight
  }
}
