/**
 * The times of one key's last picks, for `key_rpm_limit`: a ring of at most `limit` times, so whether one more
 * pick fits in the sliding minute is one look at the oldest of them (O(1) per pick). The ring holds only as many
 * times as the key served, so a quiet key costs nothing. A changed limit rebuilds the ring once, newest kept.
 */

/**
 * The sliding window a key's RPM limit counts in: a minute and one second. The provider counts arrivals, keypool
 * counts picks; a request that took longer to arrive than a later one must not make the provider see N + 1 in its
 * minute, so the window is a little wider than the provider's.
 */
export const PACE_WINDOW_MS = 61_000
/** keys whose RPM rest ended one pick puts back at most (both pools), so a pick stays O(1); the rest follow */
export const PACE_WAKE_PER_PICK = 64
/**
 * keys found at a limit one pick moves out of the rotation before it gives up (null): a key is found so only
 * after the limits were lowered or it came back from cooling, once, so this bounds a pick, not the pacing
 */
export const PACE_SKIPS_PER_PICK = 64

export class PaceWindow {
  /** oldest first while not full; once full, a ring whose oldest is at `next` */
  private times: number[] = []
  private next = 0
  private cap = 0

  /** When the key may serve its next pick under `limit` picks per window: 0 = now. */
  freeAt(limit: number, now: number): number {
    this.fit(limit)
    if (this.times.length < limit) return 0
    const at = this.times[this.next]! + PACE_WINDOW_MS
    return at > now ? at : 0
  }

  /** Count a pick at `now` (call `freeAt` first: it sizes the ring to `limit`). */
  push(now: number): void {
    if (this.times.length < this.cap) {
      this.times.push(now)
      return
    }
    this.times[this.next] = now
    this.next = (this.next + 1) % this.cap
  }

  private fit(limit: number): void {
    if (limit === this.cap) return
    const ordered = [...this.times.slice(this.next), ...this.times.slice(0, this.next)]
    this.times = ordered.slice(Math.max(0, ordered.length - limit))
    this.next = 0
    this.cap = limit
  }
}
