/**
 * How long a rate-limited key should rest, from the answer's headers:
 * `retry-after-ms` (OpenAI/Azure), `Retry-After` seconds or HTTP date (RFC 9110 §10.2.3),
 * `x-ratelimit-reset-requests` / `-tokens` (OpenAI durations like "1s", "6m0s", "20ms"). null = not said.
 */
export function parseRetryAfter(headers: Headers, now: number): number | null {
  const ms = headers.get('retry-after-ms')
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms))
  const ra = headers.get('retry-after')
  if (ra) {
    const t = ra.trim()
    if (/^\d+(\.\d+)?$/.test(t)) return Math.ceil(Number(t) * 1000)
    const date = Date.parse(t)
    if (!Number.isNaN(date)) return Math.max(0, date - now)
  }
  let longest: number | null = null
  for (const name of ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens', 'x-ratelimit-reset']) {
    const v = headers.get(name)
    if (!v) continue
    const d = parseDuration(v.trim())
    if (d !== null && (longest === null || d > longest)) longest = d
  }
  return longest
}

/** "1s", "6m0s", "1h2m3.5s", "250ms", or bare seconds. */
export function parseDuration(v: string): number | null {
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000)
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g
  let total = 0
  let matched = ''
  for (let m = re.exec(v); m; m = re.exec(v)) {
    const n = Number(m[1])
    total += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n
    matched += m[0]
  }
  return matched === v && matched !== '' ? Math.ceil(total) : null
}
