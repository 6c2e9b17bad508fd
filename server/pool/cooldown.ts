/**
 * How long a rate-limited key cools down. Shared by both pools; the Redis scripts receive the same numbers
 * (`COOLDOWN_BASE_MS`, `COOLDOWN_MAX_MS`) as arguments so the rule is written once here.
 */

/** first default cooldown when the upstream did not say how long to wait */
export const COOLDOWN_BASE_MS = 60_000
/** the default cooldown doubles on consecutive rate limits up to this */
export const COOLDOWN_MAX_MS = 30 * 60_000

/**
 * @param retryAfterMs what the upstream asked for (Retry-After and friends), or null
 * @param repeats rate limits of this key in a row before this one (0 for the first)
 */
export function cooldownMs(retryAfterMs: number | null, repeats: number): number {
  if (retryAfterMs !== null && Number.isFinite(retryAfterMs)) return Math.max(0, Math.ceil(retryAfterMs))
  return Math.min(COOLDOWN_BASE_MS * 2 ** Math.min(repeats, 30), COOLDOWN_MAX_MS)
}
