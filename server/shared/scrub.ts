/**
 * The one key scrubber of the server. A pool key must never reach a proxy client, a log row or the process log:
 * wherever a text may quote one (upstream error bodies and headers, error messages, log lines) it passes here and
 * the key is replaced by its masked form (`sk-ab…wxyz`).
 */
import { maskKey } from './mask'

/** `text` with every occurrence of `secret` masked. */
export function scrubSecret(text: string, secret: string | null | undefined): string {
  return secret && text.includes(secret) ? text.replaceAll(secret, maskKey(secret)) : text
}

/**
 * For a text cut at a byte budget: besides whole occurrences, a cut may leave the key's first characters at the
 * very end; those go too (a short common prefix like `sk-` reveals nothing and stays).
 */
export function scrubCutText(text: string, secret: string): string {
  const scrubbed = scrubSecret(text, secret)
  for (let n = Math.min(secret.length - 1, scrubbed.length); n >= 4; n--)
    if (scrubbed.endsWith(secret.slice(0, n))) return scrubbed.slice(0, -n) + '…'
  return scrubbed
}

/**
 * The same headers when none quotes the secret, else a copy with it masked. Header values are Latin-1
 * (RFC 9110 §5.5), so the mask's ellipsis is written as three dots there.
 */
export function scrubHeaders(headers: Headers, secret: string): Headers {
  if (!secret) return headers
  // the usual case, no value quotes it: one pass over the values (cheaper than iterating entries)
  let quoted = false
  for (const value of headers.values())
    if (value.includes(secret)) {
      quoted = true
      break
    }
  if (!quoted) return headers
  let out: Headers | null = null
  const masked = maskKey(secret).replace('…', '...')
  for (const [name, value] of headers) {
    if (!value.includes(secret)) continue
    out ??= new Headers(headers)
    out.set(name, value.replaceAll(secret, masked))
  }
  return out ?? headers
}

// Where credentials sit in texts that describe a request: a `key=` query parameter (Gemini clients), an
// Authorization / x-api-key / x-goog-api-key header value, and the key shapes providers issue.
const CREDENTIAL_PATTERNS: RegExp[] = [
  /([?&]key=)([^&\s"'#]+)/gi,
  /((?:authorization|proxy-authorization)["']?\s*[:=]\s*["']?(?:bearer|basic)\s+)([^\s"',]+)/gi,
  /((?:x-api-key|x-goog-api-key)["']?\s*[:=]\s*["']?)([^\s"',]+)/gi,
  /()(\b(?:sk-ant-|sk-proj-|sk-)[A-Za-z0-9_-]{16,}|\bAIza[0-9A-Za-z_-]{30,})/g,
]

/**
 * For texts whose secrets are not known by value (the process log, errors printed by the runtime): masks every
 * credential found in the places and shapes above.
 */
export function scrubCredentials(text: string): string {
  let out = text
  for (const re of CREDENTIAL_PATTERNS) out = out.replace(re, (_all, before: string, value: string) => before + maskKey(value))
  return out
}
